import Foundation

/// What the audit knows about one path on disk.
public struct FileStatus: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case file, directory, symlink, other }
    public var kind: Kind
    /// Permission bits (`st_mode & 0o7777`) of the path itself (for a symlink, of its target when known).
    public var mode: UInt16
    public var ownerUID: UInt32

    public init(kind: Kind, mode: UInt16, ownerUID: UInt32 = 0) {
        self.kind = kind
        self.mode = mode
        self.ownerUID = ownerUID
    }

    public var groupReadable: Bool { mode & 0o040 != 0 }
    public var worldReadable: Bool { mode & 0o004 != 0 }
    public var groupWritable: Bool { mode & 0o020 != 0 }
    public var worldWritable: Bool { mode & 0o002 != 0 }
    /// The mode as `0644`-style text.
    public var octal: String { "0" + String(mode, radix: 8) }
}

/// A TCP socket in LISTEN state.
public struct ListeningSocket: Sendable, Hashable {
    /// The local address in text form (`0.0.0.0`, `127.0.0.1`, `::`, `::1`, ...).
    public var address: String
    public var port: Int

    public init(address: String, port: Int) {
        self.address = address
        self.port = port
    }

    /// Whether the socket is reachable only from this host.
    public var isLoopback: Bool {
        address.hasPrefix("127.") || address == "::1" || address == "::ffff:127.0.0.1"
            || address.hasPrefix("::ffff:127.")
    }
}

/// The host facts the audit reads: the seam between checks and the machine, so every host check can run on
/// a fixture. `RealHost` reads the machine; `FixtureHost` is an in-memory machine for tests.
public protocol HostFacts: Sendable {
    /// The effective user id of the audit process.
    var effectiveUID: UInt32 { get }
    /// Status of `path` without following a final symlink (`lstat`), or nil when it does not exist.
    func status(_ path: String) -> FileStatus?
    /// Status of `path` following symlinks (`stat`), or nil.
    func statusFollowingLinks(_ path: String) -> FileStatus?
    /// The bytes of `path`, refusing more than `limit` bytes.
    func read(_ path: String, limit: Int) throws -> Data
    /// Names in directory `path` (empty when it is not a readable directory).
    func list(_ path: String) -> [String]
    /// TCP sockets in LISTEN state (IPv4 and IPv6).
    func listeningSockets() throws -> [ListeningSocket]
    /// The canonical path with symlinks resolved, or nil.
    func realPath(_ path: String) -> String?
    /// Change the permission bits of `path` (used only by `--fix`).
    func setMode(_ path: String, _ mode: UInt16) throws
}

extension HostFacts {
    /// Whether `path` exists (not following a final symlink).
    public func exists(_ path: String) -> Bool { status(path) != nil }
}
