import ClawGuardCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The machine the audit runs on.
public struct RealHost: HostFacts {
    /// Where `/proc/net/tcp{,6}` are read from (a test may point it at a fixture directory).
    public var procNetDirectory: String

    public init(procNetDirectory: String = "/proc/net") {
        self.procNetDirectory = procNetDirectory
    }

    public var effectiveUID: UInt32 { UInt32(geteuid()) }

    public func status(_ path: String) -> FileStatus? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Self.makeStatus(info)
    }

    public func statusFollowingLinks(_ path: String) -> FileStatus? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Self.makeStatus(info)
    }

    private static func makeStatus(_ info: stat) -> FileStatus {
        let type = info.st_mode & S_IFMT
        let kind: FileStatus.Kind =
            switch type {
            case S_IFREG: .file
            case S_IFDIR: .directory
            case S_IFLNK: .symlink
            default: .other
            }
        return FileStatus(kind: kind, mode: UInt16(info.st_mode & 0o7777), ownerUID: UInt32(info.st_uid))
    }

    public func read(_ path: String, limit: Int) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ClawGuardError(.io, "cannot open \(path) for reading (missing or permission denied)")
        }
        defer { try? handle.close() }
        let data = try handle.read(upToCount: limit + 1) ?? Data()
        if data.count > limit {
            throw ClawGuardError(.limitExceeded, "\(path) is larger than \(limit) bytes; refusing to read it")
        }
        return data
    }

    public func list(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    public func listeningSockets() throws -> [ListeningSocket] {
        var sockets: [ListeningSocket] = []
        for (name, v6) in [("tcp", false), ("tcp6", true)] {
            let path = procNetDirectory + "/" + name
            guard let data = try? read(path, limit: 16 << 20) else { continue }
            sockets += ProcNetTCP.parse(String(decoding: data, as: UTF8.self), ipv6: v6)
        }
        return sockets
    }

    public func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    public func setMode(_ path: String, _ mode: UInt16) throws {
        guard chmod(path, mode_t(mode)) == 0 else {
            throw ClawGuardError(.io, "chmod \(String(mode, radix: 8)) \(path) failed (errno \(errno))")
        }
    }
}

/// Parser for the Linux `/proc/net/tcp` and `/proc/net/tcp6` tables.
public enum ProcNetTCP {
    /// The LISTEN sockets in one table's text.
    public static func parse(_ text: String, ipv6: Bool) -> [ListeningSocket] {
        var result: [ListeningSocket] = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 3, fields[3] == "0A" else { continue }  // 0A = TCP_LISTEN
            let local = fields[1].split(separator: ":")
            guard local.count == 2, let port = Int(local[1], radix: 16) else { continue }
            guard let address = ipv6 ? decodeIPv6(String(local[0])) : decodeIPv4(String(local[0])) else { continue }
            result.append(ListeningSocket(address: address, port: port))
        }
        return result
    }

    /// `0100007F` → `127.0.0.1` (the kernel prints the address in host byte order, little-endian here).
    static func decodeIPv4(_ hex: String) -> String? {
        guard hex.count == 8, let value = UInt32(hex, radix: 16) else { return nil }
        let bytes = [value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, (value >> 24) & 0xff]
        return bytes.map(String.init).joined(separator: ".")
    }

    /// 32 hex digits as four little-endian 32-bit words → compressed IPv6 text (`::`, `::1`, `::ffff:a.b.c.d`).
    static func decodeIPv6(_ hex: String) -> String? {
        guard hex.count == 32 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        for _ in 0..<4 {
            let end = hex.index(index, offsetBy: 8)
            guard let word = UInt32(hex[index..<end], radix: 16) else { return nil }
            bytes += [UInt8(word & 0xff), UInt8((word >> 8) & 0xff), UInt8((word >> 16) & 0xff), UInt8(word >> 24)]
            index = end
        }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return "::ffff:" + bytes[12..<16].map(String.init).joined(separator: ".")
        }
        var groups: [UInt16] = []
        for i in stride(from: 0, to: 16, by: 2) { groups.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])) }
        // Compress the longest run of zero groups.
        var bestStart = -1
        var bestLength = 0
        var i = 0
        while i < 8 {
            if groups[i] == 0 {
                var j = i
                while j < 8 && groups[j] == 0 { j += 1 }
                if j - i > bestLength {
                    bestStart = i
                    bestLength = j - i
                }
                i = j
            } else {
                i += 1
            }
        }
        let text = groups.map { String($0, radix: 16) }
        if bestLength >= 2 {
            let head = text[0..<bestStart].joined(separator: ":")
            let tail = text[(bestStart + bestLength)...].joined(separator: ":")
            return head + "::" + tail
        }
        return text.joined(separator: ":")
    }
}
