import ClawGuardCore
import Foundation
import Synchronization

/// An in-memory machine for tests: files with modes, directories, symlinks, a uid and listening sockets.
public final class FixtureHost: HostFacts, Sendable {
    private struct State {
        var files: [String: (data: Data, mode: UInt16)] = [:]
        var directories: [String: UInt16] = [:]
        var symlinks: [String: String] = [:]
    }

    private let state = Mutex(State())
    public let effectiveUID: UInt32
    private let sockets: [ListeningSocket]

    public init(uid: UInt32 = 1000, sockets: [ListeningSocket] = []) {
        self.effectiveUID = uid
        self.sockets = sockets
    }

    /// Add a file (and its parent directories, mode 0700) with `mode`.
    public func addFile(_ path: String, _ contents: String, mode: UInt16 = 0o600) {
        addFile(path, data: Data(contents.utf8), mode: mode)
    }

    public func addFile(_ path: String, data: Data, mode: UInt16 = 0o600) {
        addParents(of: path)
        state.withLock { $0.files[path] = (data, mode) }
    }

    /// Add a directory with `mode`.
    public func addDirectory(_ path: String, mode: UInt16 = 0o700) {
        addParents(of: path)
        state.withLock { $0.directories[path] = mode }
    }

    /// Make `path` a symlink to `target`.
    public func addSymlink(_ path: String, to target: String) {
        addParents(of: path)
        state.withLock { $0.symlinks[path] = target }
    }

    private func addParents(of path: String) {
        var parent = (path as NSString).deletingLastPathComponent
        state.withLock { state in
            while parent != "/" && !parent.isEmpty {
                if state.directories[parent] == nil { state.directories[parent] = 0o700 }
                parent = (parent as NSString).deletingLastPathComponent
            }
        }
    }

    /// The current mode of `path` (after `--fix`), or nil.
    public func mode(of path: String) -> UInt16? {
        state.withLock { $0.files[path]?.mode ?? $0.directories[path] }
    }

    private func resolve(_ path: String) -> String {
        var current = path
        for _ in 0..<16 {
            guard let target = state.withLock({ $0.symlinks[current] }) else { return current }
            current = target.hasPrefix("/") ? target : ((current as NSString).deletingLastPathComponent + "/" + target)
        }
        return current
    }

    public func status(_ path: String) -> FileStatus? {
        state.withLock { state in
            if state.symlinks[path] != nil { return FileStatus(kind: .symlink, mode: 0o777, ownerUID: effectiveUID) }
            if let file = state.files[path] { return FileStatus(kind: .file, mode: file.mode, ownerUID: effectiveUID) }
            if let mode = state.directories[path] {
                return FileStatus(kind: .directory, mode: mode, ownerUID: effectiveUID)
            }
            return nil
        }
    }

    public func statusFollowingLinks(_ path: String) -> FileStatus? { status(resolve(path)) }

    public func read(_ path: String, limit: Int) throws -> Data {
        let resolved = resolve(path)
        guard let file = state.withLock({ $0.files[resolved] }) else {
            throw ClawGuardError(.io, "cannot open \(path) for reading (missing or permission denied)")
        }
        if file.data.count > limit {
            throw ClawGuardError(.limitExceeded, "\(path) is larger than \(limit) bytes; refusing to read it")
        }
        return file.data
    }

    public func list(_ path: String) -> [String] {
        let dir = resolve(path)
        let prefix = dir.hasSuffix("/") ? dir : dir + "/"
        return state.withLock { state in
            let all = Array(state.files.keys) + Array(state.directories.keys) + Array(state.symlinks.keys)
            return Set(
                all.filter { $0.hasPrefix(prefix) && !$0.dropFirst(prefix.count).contains("/") }
                    .map { String($0.dropFirst(prefix.count)) }
            ).sorted()
        }
    }

    public func listeningSockets() throws -> [ListeningSocket] { sockets }

    public func realPath(_ path: String) -> String? {
        let resolved = resolve(path)
        return status(resolved) == nil ? nil : resolved
    }

    public func setMode(_ path: String, _ mode: UInt16) throws {
        try state.withLock { state in
            if state.files[path] != nil {
                state.files[path]!.mode = mode
            } else if state.directories[path] != nil {
                state.directories[path] = mode
            } else {
                throw ClawGuardError(.notFound, "\(path) does not exist")
            }
        }
    }
}
