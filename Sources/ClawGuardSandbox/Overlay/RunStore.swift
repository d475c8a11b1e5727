import CClawGuardSandbox
import ClawGuardCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One copy-on-write run, as recorded in `<runs>/<id>/run.json`.
public struct RunRecord: Sendable, Codable, Equatable {
    public var id: String
    /// The real workspace (host path).
    public var workspace: String
    public var command: [String]
    /// Seconds since the Unix epoch.
    public var created: Double
    public var exitCode: Int32?
    public var stoppedBy: String?
    /// Set once `apply` copied the changes into the workspace.
    public var applied: Bool = false
    /// The run directory (not stored).
    public var directory: String = ""

    enum CodingKeys: String, CodingKey { case id, workspace, command, created, exitCode, stoppedBy, applied }

    public var upper: String { directory + "/upper" }
    public var work: String { directory + "/work" }
    /// The overlay layers for the run itself.
    public var layers: OverlayLayers { OverlayLayers(lower: [workspace], upper: upper, work: work) }
}

/// One changed path in a run's upper layer.
public struct WorkspaceChange: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case added, modified, deleted, replaced }
    /// Relative to the workspace.
    public var path: String
    public var kind: Kind
    public var isDirectory: Bool
}

/// The runs directory (default `~/.clawguard/runs`): creates runs, lists, diffs, applies and discards their
/// changes. Nothing reaches the real workspace before `apply`.
public struct RunStore: Sendable {
    public var root: String

    public init(root: String) { self.root = root }

    public static func defaultRoot() -> String {
        PathUtilities.join(Environment.value("HOME") ?? "/root", ".clawguard/runs")
    }

    /// Creates a run directory with empty upper and work layers.
    public func create(workspace: String, command: [String]) throws(ClawGuardError) -> RunRecord {
        // overlayfs refuses layers inside one another, and the command must not reach its own layers.
        if PathUtilities.relative(PathUtilities.absolute(root), to: PathUtilities.absolute(workspace)) != nil {
            throw ClawGuardError(
                .invalidInput,
                "the runs directory \(root) is inside the workspace \(workspace); pass --runs-dir outside it")
        }
        let id = RunID.generate()
        var record = RunRecord(id: id, workspace: workspace, command: command, created: Date().timeIntervalSince1970)
        record.directory = PathUtilities.join(root, id)
        do {
            try FileManager.default.createDirectory(atPath: record.upper, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.createDirectory(atPath: record.work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            chmod(root, 0o700)
        } catch {
            throw ClawGuardError(.io, "cannot create the run directory \(record.directory)", underlying: error)
        }
        try save(record)
        return record
    }

    public func save(_ record: RunRecord) throws(ClawGuardError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(record).write(to: URL(fileURLWithPath: record.directory + "/run.json"), options: .atomic)
        } catch {
            throw ClawGuardError(.io, "cannot write \(record.directory)/run.json", underlying: error)
        }
    }

    public func load(_ id: String) throws(ClawGuardError) -> RunRecord {
        guard RunID.isValid(id) else { throw ClawGuardError(.invalidInput, "'\(id)' is not a run id") }
        let directory = PathUtilities.join(root, id)
        guard let data = FileManager.default.contents(atPath: directory + "/run.json") else {
            throw ClawGuardError(.notFound, "no run \(id) in \(root)")
        }
        do {
            var record = try JSONDecoder().decode(RunRecord.self, from: data)
            record.directory = directory
            return record
        } catch {
            throw ClawGuardError(.io, "run \(id): unreadable run.json", underlying: error)
        }
    }

    /// All runs, oldest first.
    public func list() -> [RunRecord] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return ids.sorted().compactMap { try? load($0) }
    }

    /// The changes in a run's upper layer, parents before children.
    public func changes(_ record: RunRecord) throws(ClawGuardError) -> [WorkspaceChange] {
        guard !record.applied else { return [] }
        var result: [WorkspaceChange] = []
        try Self.walk(upper: record.upper, lower: record.workspace, relative: "", into: &result)
        return result
    }

    static func walk(upper: String, lower: String, relative: String, into result: inout [WorkspaceChange]) throws(ClawGuardError) {
        let dir = relative.isEmpty ? upper : upper + "/" + relative
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
            throw ClawGuardError(.io, "cannot read the run layer \(dir)")
        }
        for name in names.sorted() {
            let rel = relative.isEmpty ? name : relative + "/" + name
            let upperPath = upper + "/" + rel, lowerPath = lower + "/" + rel
            var st = stat()
            guard lstat(upperPath, &st) == 0 else { continue }
            var lowerStat = stat()
            let inLower = lstat(lowerPath, &lowerStat) == 0
            let type = st.st_mode & S_IFMT
            if type == S_IFCHR && st.st_rdev == 0 || isWhiteoutXattr(upperPath) {
                if inLower { result.append(WorkspaceChange(path: rel, kind: .deleted, isDirectory: (lowerStat.st_mode & S_IFMT) == S_IFDIR)) }
                continue
            }
            if type == S_IFDIR {
                if !inLower {
                    result.append(WorkspaceChange(path: rel, kind: .added, isDirectory: true))
                } else if isOpaque(upperPath) || (lowerStat.st_mode & S_IFMT) != S_IFDIR {
                    result.append(WorkspaceChange(path: rel, kind: .replaced, isDirectory: true))
                } else if (st.st_mode & 0o7777) != (lowerStat.st_mode & 0o7777) {
                    result.append(WorkspaceChange(path: rel, kind: .modified, isDirectory: true))
                }
                try walk(upper: upper, lower: lower, relative: rel, into: &result)
                continue
            }
            result.append(WorkspaceChange(path: rel, kind: inLower ? .modified : .added, isDirectory: false))
        }
    }

    static func isOpaque(_ path: String) -> Bool {
        ["trusted.overlay.opaque", "user.overlay.opaque"].contains { xattr(path, $0) == "y" }
    }

    static func isWhiteoutXattr(_ path: String) -> Bool {
        xattr(path, "user.overlay.whiteout") != nil || xattr(path, "trusted.overlay.whiteout") != nil
    }

    static func xattr(_ path: String, _ name: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = cg_lgetxattr(path, name, &buffer, buffer.count)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n], as: UTF8.self)
    }

    /// A unified diff of a run's changes (text files; binary files are named).
    public func diff(_ record: RunRecord) throws(ClawGuardError) -> String {
        var output = ""
        for change in try changes(record) where !change.isDirectory {
            let old = change.kind == .added ? "/dev/null" : record.workspace + "/" + change.path
            let new = change.kind == .deleted ? "/dev/null" : record.upper + "/" + change.path
            output += Self.runDiff(old: old, new: new, label: change.path)
        }
        return output
    }

    static func runDiff(old: String, new: String, label: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
        process.arguments = ["-u", "--label", "a/" + label, "--label", "b/" + label, old, new]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return "--- cannot run diff for \(label): \(error)\n" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Copies a run's changes into the real workspace, then drops the layers.
    @discardableResult
    public func apply(_ record: RunRecord) throws(ClawGuardError) -> [WorkspaceChange] {
        guard !record.applied else { throw ClawGuardError(.invalidInput, "run \(record.id) was already applied") }
        let changes = try changes(record)
        let fm = FileManager.default
        for change in changes {
            let target = record.workspace + "/" + change.path
            let source = record.upper + "/" + change.path
            do {
                switch change.kind {
                case .deleted:
                    try fm.removeItem(atPath: target)
                case .replaced:
                    if fm.fileExists(atPath: target) || (try? fm.destinationOfSymbolicLink(atPath: target)) != nil {
                        try fm.removeItem(atPath: target)
                    }
                    try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
                    chmod(target, Self.mode(source))
                case .added where change.isDirectory, .modified where change.isDirectory:
                    if !fm.fileExists(atPath: target) { try fm.createDirectory(atPath: target, withIntermediateDirectories: true) }
                    chmod(target, Self.mode(source))
                case .added, .modified:
                    if (try? fm.attributesOfItem(atPath: target)) != nil { try fm.removeItem(atPath: target) }
                    try fm.copyItem(atPath: source, toPath: target)
                }
            } catch {
                throw ClawGuardError(.io, "applying run \(record.id) failed at \(change.path) (earlier changes were applied)", underlying: error)
            }
        }
        var done = record
        done.applied = true
        try save(done)
        Self.removeTree(record.upper)
        Self.removeTree(record.work)
        return changes
    }

    /// Deletes a run and its layers; the workspace is untouched.
    public func discard(_ record: RunRecord) throws(ClawGuardError) {
        Self.removeTree(record.directory)
        guard !FileManager.default.fileExists(atPath: record.directory) else {
            throw ClawGuardError(.io, "could not remove \(record.directory)")
        }
    }

    static func mode(_ path: String) -> mode_t {
        var st = stat()
        return lstat(path, &st) == 0 ? st.st_mode & 0o7777 : 0o755
    }

    /// Removes a tree, first making directories writable (overlay leaves a mode-000 `work/work`).
    static func removeTree(_ path: String) {
        let fm = FileManager.default
        if let enumerator = fm.enumerator(atPath: path) {
            chmod(path, 0o700)
            for case let rel as String in enumerator {
                var st = stat()
                let full = path + "/" + rel
                if lstat(full, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { chmod(full, 0o700) }
            }
        }
        try? fm.removeItem(atPath: path)
    }
}
