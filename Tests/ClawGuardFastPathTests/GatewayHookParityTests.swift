import ClawGuardCore
import ClawGuardHooks
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `clawguard hook … --server unix:/path` is answered by the slim front itself (RemoteHook, no exec of
/// clawguard-full). It must answer exactly as `clawguard-full` does — same stdout, stderr and exit status — for
/// allow, deny, ask (an approval that is not given: deny), an unreachable socket, a bad or missing token and a
/// malformed reply. The gateway is a real `clawguard serve` (debug build) on a unix socket in a temp directory.
@Suite(.serialized) struct GatewayHookParityTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The debug front and full executables; their absence fails the test (never a silent skip).
    static func binaries() throws -> (front: String, full: String) {
        let front = root.appendingPathComponent(".build/debug/clawguard").path
        let full = root.appendingPathComponent(".build/debug/clawguard-full").path
        for path in [front, full] where !FileManager.default.isExecutableFile(atPath: path) {
            let message = "\(path) is not built: run `swift build` first"
            Issue.record(Comment(rawValue: message))
            throw ClawGuardError(.notFound, message)
        }
        return (front, full)
    }

    struct Result: Equatable, CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(status), stdout \(stdout.debugDescription), stderr \(stderr.debugDescription)" }
    }

    /// Runs a process to its end (bounded: killed after `limit` seconds) with `stdin` as its input.
    static func run(_ executable: String, _ arguments: [String], stdin: String = "", environment: [String: String] = [:],
                    limit: Double = 60) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for name in ["CLAWGUARD_TOKEN", "CLAWGUARD_TOKEN_FILE", "CLAWGUARD_SERVER", "CLAWGUARD_POLICY", "CLAWGUARD_AGENT"] {
            env[name] = nil
        }
        for (name, value) in environment { env[name] = value }
        process.environment = env
        let input = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(limit)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            throw ClawGuardError(.timeout, "\(executable) \(arguments) did not end within \(limit) s")
        }
        return Result(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                      stderr: String(decoding: errors, as: UTF8.self))
    }

    /// A real `clawguard serve` on a unix socket, with its admin token in a file.
    final class Gateway {
        let directory: String
        let socket: String
        let tokenFile: String
        let process = Process()

        init(full: String) throws {
            directory = NSTemporaryDirectory() + "cg-parity-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            socket = directory + "/gw/gateway.sock"
            tokenFile = directory + "/token"
            let policy = directory + "/policy.yaml"
            try """
                version: 1
                permissions:
                  allow: ["Bash(echo *)"]
                  ask: ["Bash(git push *)"]
                  deny: ["Bash(rm -rf *)"]
                profiles:
                  locked:
                    permissions:
                      deny: ["Bash(echo *)"]
                """.write(toFile: policy, atomically: true, encoding: .utf8)
            let log = directory + "/serve.out"
            FileManager.default.createFile(atPath: log, contents: nil)
            process.executableURL = URL(fileURLWithPath: full)
            process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--state", directory + "/state.db",
                                 "--policy", policy, "--unix-socket", socket, "--approval-timeout", "1", "--rate-limit", "0"]
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            var text = ""
            while Date() < deadline {
                text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if text.contains("listening on unix:") { break }
                guard process.isRunning else { break }
                usleep(50_000)
            }
            guard text.contains("listening on unix:"),
                  let token = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).first(where: { $0.hasPrefix("cgt_") })
            else {
                stop()
                throw ClawGuardError(.io, "clawguard serve did not start on \(socket): \(text)")
            }
            try String(token).write(toFile: tokenFile, atomically: true, encoding: .utf8)
        }

        func stop() {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    static func preToolUse(_ command: String, session: String) -> String {
        #"{"hook_event_name":"PreToolUse","session_id":"\#(session)","cwd":"/tmp","tool_name":"Bash","tool_input":{"command":"\#(command)"}}"#
    }

    /// Approval IDs differ between two calls; everything else must be equal.
    static func normalized(_ result: Result) -> Result {
        var copy = result
        for pattern in [#"approval [A-Za-z0-9_-]+"#] {
            let regex = try! NSRegularExpression(pattern: pattern)
            for keyPath in [\Result.stdout, \Result.stderr] {
                let text = copy[keyPath: keyPath]
                copy[keyPath: keyPath] = regex.stringByReplacingMatches(
                    in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "approval ID")
            }
        }
        return copy
    }

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var dialect: String
        var command: String
        /// Extra arguments after `--server …`; `TOKEN_FILE` and `DIR` are replaced.
        var arguments: [String]
        var environment: [String: String] = [:]
        /// The exit status both must give (with `stdoutContains` in stdout, or `stderrContains` in stderr).
        var status: Int32
        var stdoutContains: String? = nil
        var stderrContains: String? = nil
        var socket: String? = nil
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "claude allow", dialect: "claude", command: "echo hi", arguments: ["--token-file", "TOKEN_FILE"],
             status: 0, stdoutContains: #""permissionDecision":"allow""#),
        Case(name: "claude deny", dialect: "claude", command: "rm -rf /tmp/x", arguments: ["--token-file", "TOKEN_FILE"],
             status: 0, stdoutContains: #""permissionDecision":"deny""#),
        Case(name: "codex allow", dialect: "codex", command: "echo hi", arguments: ["--token-file", "TOKEN_FILE", "--agent", "a1"],
             status: 0),
        Case(name: "codex deny", dialect: "codex", command: "rm -rf /tmp/x", arguments: ["--token-file", "TOKEN_FILE"],
             status: 2, stderrContains: "ClawGuard:"),
        Case(name: "codex ask, no approval", dialect: "codex", command: "git push origin main",
             arguments: ["--token-file", "TOKEN_FILE", "--server-wait", "20"], status: 2, stderrContains: "was not given within 1 s"),
        Case(name: "claude ask, no approval", dialect: "claude", command: "git push origin main",
             arguments: ["--token-file", "TOKEN_FILE"], status: 0, stdoutContains: #""permissionDecision":"deny""#),
        Case(name: "token from the environment", dialect: "claude", command: "echo hi", arguments: [],
             environment: ["CLAWGUARD_TOKEN_FILE": "TOKEN_FILE"], status: 0, stdoutContains: #""permissionDecision":"allow""#),
        Case(name: "bad token", dialect: "claude", command: "echo hi", arguments: [],
             environment: ["CLAWGUARD_TOKEN": "cgt_0000_0000"], status: 2, stderrContains: "401"),
        Case(name: "no token", dialect: "codex", command: "echo hi", arguments: [], status: 2, stderrContains: "no token"),
        Case(name: "unreadable token file", dialect: "claude", command: "echo hi", arguments: ["--token-file", "DIR/missing"],
             status: 2, stderrContains: "cannot read the token file"),
        Case(name: "unreachable socket", dialect: "claude", command: "echo hi", arguments: ["--token-file", "TOKEN_FILE"],
             status: 2, stderrContains: "cannot connect", socket: "DIR/nobody.sock"),
        Case(name: "relative socket path", dialect: "codex", command: "echo hi", arguments: ["--token-file", "TOKEN_FILE"],
             status: 2, stderrContains: "absolute socket path", socket: "relative.sock"),
        Case(name: "the hook's profile is held too", dialect: "claude", command: "echo hi",
             arguments: ["--token-file", "TOKEN_FILE", "--profile", "locked"], status: 0,
             stdoutContains: #"profile 'locked'"#),
        Case(name: "server wait 0", dialect: "claude", command: "echo hi", arguments: ["--token-file", "TOKEN_FILE", "--server-wait", "0"],
             status: 2, stderrContains: "in time"),
    ]

    @Test func frontAndFullAnswerAlike() throws {
        let (front, full) = try Self.binaries()
        let gateway = try Gateway(full: full)
        defer { gateway.stop() }
        func fill(_ text: String) -> String {
            text.replacingOccurrences(of: "TOKEN_FILE", with: gateway.tokenFile).replacingOccurrences(of: "DIR", with: gateway.directory)
        }
        for (index, testCase) in Self.cases.enumerated() {
            let server = testCase.socket.map { "unix:" + fill($0) } ?? "unix:" + gateway.socket
            let arguments = ["hook", testCase.dialect, "--server", server] + testCase.arguments.map(fill)
            let environment = testCase.environment.mapValues(fill)
            var results: [Result] = []
            for (which, binary) in [("front", front), ("full", full)] {
                let stdin = Self.preToolUse(testCase.command, session: "parity-\(index)-\(which)")
                results.append(try Self.run(binary, arguments, stdin: stdin, environment: environment))
            }
            let (a, b) = (Self.normalized(results[0]), Self.normalized(results[1]))
            #expect(a == b, "\(testCase): front \(a) vs full \(b)")
            #expect(a.status == testCase.status, "\(testCase): \(a)")
            if let needle = testCase.stdoutContains { #expect(a.stdout.contains(needle), "\(testCase): \(a)") }
            if let needle = testCase.stderrContains { #expect(a.stderr.contains(needle), "\(testCase): \(a)") }
        }
    }

    /// Events other than PreToolUse need no answer from the gateway; both say nothing.
    @Test func otherEventsNeedNoAnswer() throws {
        let (front, full) = try Self.binaries()
        let gateway = try Gateway(full: full)
        defer { gateway.stop() }
        let stdin = #"{"hook_event_name":"SessionStart","session_id":"s1","cwd":"/tmp"}"#
        let arguments = ["hook", "claude", "--server", "unix:" + gateway.socket, "--token-file", gateway.tokenFile]
        let a = try Self.run(front, arguments, stdin: stdin), b = try Self.run(full, arguments, stdin: stdin)
        #expect(a == b)
        #expect(a == Result(status: 0, stdout: "", stderr: ""))
    }

    /// The front answers a `unix:` server itself: a copy of it in a directory without clawguard-full still
    /// answers (the hand-over would fail there with exit 2 and "needs …/clawguard-full").
    @Test func frontAnswersWithoutTheFullExecutable() throws {
        let (front, full) = try Self.binaries()
        let gateway = try Gateway(full: full)
        defer { gateway.stop() }
        let lonely = gateway.directory + "/alone"
        try FileManager.default.createDirectory(atPath: lonely, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: front, toPath: lonely + "/clawguard")
        let arguments = ["hook", "claude", "--server", "unix:" + gateway.socket, "--token-file", gateway.tokenFile]
        let answer = try Self.run(lonely + "/clawguard", arguments, stdin: Self.preToolUse("echo hi", session: "alone"))
        #expect(answer.status == 0, "\(answer)")
        #expect(answer.stdout.contains(#""permissionDecision":"allow""#), "\(answer)")
        // An http:// server is still handed over (URLSession lives in clawguard-full).
        let handed = try Self.run(lonely + "/clawguard", ["hook", "claude", "--server", "http://127.0.0.1:9"],
                                  stdin: Self.preToolUse("echo hi", session: "alone"))
        #expect(handed.status == 2)
        #expect(handed.stderr.contains("clawguard-full"), "\(handed)")
    }

    /// A fake gateway on a unix socket that answers every connection with `reply` (bytes as given), to test
    /// what no real server sends: garbage, a bad status, an answer without a decision, a half reply.
    final class FakeGateway: @unchecked Sendable {
        let path: String
        let fd: Int32

        init(directory: String, reply: String) throws {
            path = directory + "/fake-\(UUID().uuidString.prefix(6)).sock"
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: bytes)
                raw[bytes.count] = 0
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard bound == 0, listen(fd, 8) == 0 else { throw ClawGuardError(.io, "cannot listen on \(path)") }
            let listener = fd, answer = Array(reply.utf8)
            let thread = Thread {
                while true {
                    let client = accept(listener, nil, nil)
                    if client < 0 { return }
                    // Read the whole request (head, then Content-Length bytes) before answering.
                    var request: [UInt8] = []
                    var buffer = [UInt8](repeating: 0, count: 65_536)
                    while true {
                        let n = recv(client, &buffer, buffer.count, 0)
                        if n <= 0 { break }
                        request += buffer[0..<n]
                        let text = String(decoding: request, as: UTF8.self)
                        if let end = text.range(of: "\r\n\r\n") {
                            let length = text[..<end.lowerBound].split(separator: "\r\n")
                                .first { $0.lowercased().hasPrefix("content-length:") }
                                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                            if text.utf8.distance(from: end.upperBound, to: text.endIndex) >= length { break }
                        }
                    }
                    _ = answer.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    close(client)
                }
            }
            thread.start()
        }

        func stop() {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
            unlink(path)
        }
    }

    static let malformedReplies: [(String, String)] = [
        ("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 2\r\n\r\n{}", "answered 500"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\n{\"reason\":\"x\"}", "no decision"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 26\r\n\r\n{\"decision\":\"maybe\"}", "ended after"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnope", "no decision"),
        ("garbage\r\n\r\n", "bad status line"),
        ("HTTP/1.1 200 OK\r\nContent-Le", "no complete header"),
    ]

    /// Anything but a clear answer is a deny (exit 2, the reason on stderr), the same from both executables.
    @Test func malformedRepliesAreDenied() throws {
        let (front, full) = try Self.binaries()
        let directory = NSTemporaryDirectory() + "cg-fake-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for dialect in ["claude", "codex"] {
            for (reply, reason) in Self.malformedReplies {
                let fake = try FakeGateway(directory: directory, reply: reply)
                defer { fake.stop() }
                let arguments = ["hook", dialect, "--server", "unix:" + fake.path, "--server-wait", "10"]
                let stdin = Self.preToolUse("echo hi", session: "fake")
                let a = try Self.run(front, arguments, stdin: stdin, environment: ["CLAWGUARD_TOKEN": "t"])
                let b = try Self.run(full, arguments, stdin: stdin, environment: ["CLAWGUARD_TOKEN": "t"])
                #expect(a == b, "\(reply.debugDescription): front \(a) vs full \(b)")
                #expect(a.status == 2 && a.stdout.isEmpty, "\(reply.debugDescription): \(a)")
                #expect(a.stderr.contains("so the call is denied") && a.stderr.contains(reason), "\(reply.debugDescription): \(a)")
            }
        }
    }
}
