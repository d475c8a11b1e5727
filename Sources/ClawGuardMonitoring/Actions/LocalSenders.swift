import ClawGuardCore
import ClawGuardStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a command with a notification's JSON on standard input.
public struct CommandRunner: Sendable {
    /// Seconds before the command is killed.
    public var timeout: TimeInterval

    public init(timeout: TimeInterval = 10) {
        self.timeout = timeout
    }

    /// Runs `argv` (no shell), writes `input` to its standard input and waits.
    /// - Throws: `ClawGuardError(.io)` when it cannot start, exits non-zero, or is killed at the timeout.
    public func run(_ argv: [String], input: Data) async throws(ClawGuardError) {
        guard let program = argv.first else { throw ClawGuardError(.invalidInput, "a command action needs a program") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.contains("/") ? program : "/usr/bin/env")
        process.arguments = program.contains("/") ? Array(argv.dropFirst()) : argv
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        let stderr = Pipe()
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw ClawGuardError(.io, "cannot start \(program): \(error.localizedDescription)", underlying: error)
        }
        // A command that does not read its input closes the pipe: that must be EPIPE (ignored here, the exit status
        // decides), never a SIGPIPE that kills the service.
        signal(SIGPIPE, SIG_IGN)
        try? stdin.fileHandleForWriting.write(contentsOf: input)
        try? stdin.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() >= deadline {
                process.terminate()
                throw ClawGuardError(.timeout, "\(program) did not finish within \(Int(timeout)) s; it was stopped")
            }
            do { try await Task.sleep(for: .milliseconds(20)) } catch {
                process.terminate()
                throw ClawGuardError(.timeout, "\(program) was stopped: the alert dispatcher is shutting down")
            }
        }
        guard process.terminationStatus == 0 else {
            let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile().prefix(300), as: UTF8.self)
            throw ClawGuardError(.io, "\(program) exited with status \(process.terminationStatus): \(message)")
        }
    }
}

/// Sends one RFC 5424 message to the local syslog socket (`/dev/log`, or `CLAWGUARD_SYSLOG_SOCKET`).
public struct LocalSyslog: Sendable {
    public static let facilities: [String: Int] = [
        "user": 1, "daemon": 3, "auth": 4, "local0": 16, "local1": 17, "local2": 18, "local3": 19, "local4": 20,
        "local5": 21, "local6": 22, "local7": 23,
    ]

    public var socketPath: String

    public init(socketPath: String = ProcessInfo.processInfo.environment["CLAWGUARD_SYSLOG_SOCKET"] ?? "/dev/log") {
        self.socketPath = socketPath
    }

    /// The RFC 5424 line for a notification (severity: warning when firing, notice when resolved).
    public static func message(_ n: AlertNotification, facility: String, tag: String, now: Date = Date()) -> String {
        let severity = n.status == .firing ? 4 : 5
        let priority = (facilities[facility] ?? 1) * 8 + severity
        let host = ProcessInfo.processInfo.hostName
        return "<\(priority)>1 \(ActionPayloads.iso(now)) \(host.isEmpty ? "-" : host) \(tag) \(getpid()) alert - \(n.summary)"
    }

    /// Sends a message as one datagram, through the audit trail's `SyslogForwarder` (one socket implementation).
    /// - Throws: `ClawGuardError(.io)` when the socket is missing or refuses it.
    public func send(_ message: String) throws(ClawGuardError) {
        try SyslogForwarder(.unix(path: socketPath)).send([message])
    }
}
