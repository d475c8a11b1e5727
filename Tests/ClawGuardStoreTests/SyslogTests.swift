import ClawGuardCore
import Foundation
import Testing
@testable import ClawGuardStore

#if canImport(Glibc)
import Glibc
#endif

/// A private rsyslogd (Debian's package, installed by scripts/setup.d/30-agents.sh) listening on loopback UDP and
/// TCP ports and a unix socket in a temp directory, writing what it parses to a file. Killed at the end.
final class PrivateRsyslog {
    let dir: TempDir
    let udpPort: UInt16
    let tcpPort: UInt16
    let socketPath: String
    let output: String
    let process = Process()

    static let binary = "/usr/sbin/rsyslogd"

    init() throws {
        dir = try TempDir()
        udpPort = try Self.freePort(type: Int32(SOCK_DGRAM.rawValue))
        tcpPort = try Self.freePort(type: Int32(SOCK_STREAM.rawValue))
        socketPath = dir.file("log.sock")
        output = dir.file("out.log")
        let config = """
            global(workDirectory="\(dir.path)")
            module(load="imudp")
            input(type="imudp" address="127.0.0.1" port="\(udpPort)")
            module(load="imtcp")
            input(type="imtcp" address="127.0.0.1" port="\(tcpPort)")
            module(load="imuxsock" SysSock.Use="off")
            input(type="imuxsock" Socket="\(socketPath)" UseSpecialParser="off" ParseHostname="on")
            template(name="cg" type="string" string="%protocol-version%|%hostname%|%app-name%|%msgid%|%pri%|%structured-data%|%msg%\\n")
            *.* action(type="omfile" file="\(output)" template="cg")
            """
        try config.write(toFile: dir.file("rsyslog.conf"), atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["-n", "-f", dir.file("rsyslog.conf"), "-i", dir.file("rsyslogd.pid")]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready when the unix socket exists and the TCP port accepts.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: socketPath),
                let fd = try? SyslogForwarder.connectInet(host: "127.0.0.1", port: tcpPort, type: Int32(SOCK_STREAM.rawValue), timeout: 1)
            {
                close(fd)
                return
            }
            usleep(50_000)
        }
        stop()
        throw ClawGuardError(.timeout, "rsyslogd did not come up within 10 s")
    }

    func stop() {
        if process.isRunning {
            // SIGKILL, not SIGTERM: children spawned from the test runner's threads inherit a signal mask that
            // blocks SIGTERM, so rsyslogd would never see it.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        dir.cleanup()
    }

    /// Lines of the output file once it holds at least `count` (waits up to 10 s).
    func lines(atLeast count: Int) -> [String] {
        let deadline = Date().addingTimeInterval(10)
        var lines: [String] = []
        while Date() < deadline {
            lines = ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            if lines.count >= count { break }
            usleep(50_000)
        }
        return lines
    }

    static func freePort(type: Int32) throws -> UInt16 {
        let fd = socket(AF_INET, type, 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { throw ClawGuardError(.io, "cannot find a free port") }
        return UInt16(bigEndian: address.sin_port)
    }
}

@Suite(.serialized) struct SyslogForwardingTests {
    static func securityRecords() throws -> [AuditRecord] {
        let store = try StateStore.inMemory()
        _ = try store.recordToolCall(bashCall("ls"), verdict: allow, limits: .none, now: noon)
        _ = try store.recordToolCall(bashCall("rm -rf / # sk-ant-api03-SECRETSECRETSECRETSECRET99"),
                                     verdict: Verdict(decision: .deny, reason: "destructive \"rm -rf /\" ] here", rule: "deny: Bash(rm -rf:*)"),
                                     limits: .none, now: noon)
        return try store.auditRecords()
    }

    @Test(arguments: ["udp", "tcp", "unix"])
    func rsyslogReceivesSecurityEvents(transport: String) throws {
        #expect(FileManager.default.isExecutableFile(atPath: PrivateRsyslog.binary),
                "rsyslogd missing: run scripts/setup.d/30-agents.sh (apt-get install rsyslog)")
        guard FileManager.default.isExecutableFile(atPath: PrivateRsyslog.binary) else { return }
        let rsyslog = try PrivateRsyslog()
        defer { rsyslog.stop() }
        let records = try Self.securityRecords()
        #expect(records.map(\.type) == ["agent_started", "tool_invoked", "tool_blocked"])
        let target: SyslogTransport = switch transport {
        case "udp": .udp(host: "127.0.0.1", port: rsyslog.udpPort)
        case "tcp": .tcp(host: "127.0.0.1", port: rsyslog.tcpPort)
        default: .unix(path: rsyslog.socketPath)
        }
        let forwarder = SyslogForwarder(target)
        // Only the security event (tool_blocked) is forwarded by default; then everything, to check framing of several.
        #expect(try forwarder.forward(records) == 1)
        #expect(try forwarder.forward(records, all: true) == 3)
        let lines = rsyslog.lines(atLeast: 4)
        #expect(lines.count == 4, "rsyslog wrote: \(lines)")
        guard let first = lines.first else { return }
        let fields = first.split(separator: "|", maxSplits: 6, omittingEmptySubsequences: false).map(String.init)
        #expect(fields.count == 7)
        guard fields.count == 7 else { return }
        #expect(fields[0] == "1", "RFC 5424 version")
        #expect(fields[1] == AuditRecord.hostname)
        #expect(fields[2] == "clawguard")
        #expect(fields[3] == "tool_blocked")
        #expect(fields[4] == "84")  // authpriv.warning
        #expect(fields[5].hasPrefix("[clawguard@32473 seq=\"3\" hash=\"\(records[2].hash)\""))
        #expect(fields[6] == "destructive \"rm -rf /\" ] here")
        #expect(!first.contains("SECRETSECRET"), "credentials must be redacted before forwarding")
        #expect(lines[1...].map { $0.split(separator: "|")[3] } == ["agent_started", "tool_invoked", "tool_blocked"])
    }

    @Test func unreachableTargetThrows() throws {
        let port = try PrivateRsyslog.freePort(type: Int32(SOCK_STREAM.rawValue))
        let records = try Self.securityRecords()
        #expect(throws: ClawGuardError.self) {
            try SyslogForwarder(.tcp(host: "127.0.0.1", port: port)).forward(records)
        }
        #expect(throws: ClawGuardError.self) {
            try SyslogForwarder(.unix(path: "/nonexistent/clawguard.sock")).forward(records)
        }
    }
}
