import ClawGuardCore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import ClawGuardMonitoring

/// The `syslog` action sends through the store's `SyslogForwarder`: a real unix datagram socket receives the line.
@Suite struct SyslogActionTests {
    /// Binds a unix datagram socket at a fresh path; returns the descriptor and the path.
    func boundSocket() throws -> (Int32, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cg-syslog-\(UUID().uuidString.prefix(8)).sock").path
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        try #require(fd >= 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        return (fd, path)
    }

    @Test func aMessageArrivesAsOneDatagram() throws {
        let (fd, path) = try boundSocket()
        defer { close(fd); unlink(path) }
        let line = "<164>1 2026-11-25T00:00:00Z host clawguard 1 alert - HighCostRate firing"
        try LocalSyslog(socketPath: path).send(line)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        #expect(n == line.utf8.count)
        #expect(String(decoding: buffer.prefix(max(n, 0)), as: UTF8.self) == line)
    }

    @Test func aMissingSocketIsAnError() {
        let path = "/nonexistent-\(UUID().uuidString)/log"
        #expect(throws: ClawGuardError.self) { try LocalSyslog(socketPath: path).send("x") }
    }
}
