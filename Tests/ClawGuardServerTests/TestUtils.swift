import ClawGuardCore
@testable import ClawGuardServer
import ClawGuardStore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// A gateway over a real SQLite store in a temporary directory, with its policy file and an admin token.
struct TestGateway {
    static let defaultPolicy = """
        version: 1
        permissions:
          allow: ["Bash(echo *)", "Bash(ls *)", "Read"]
          ask: ["Bash(git push *)", "Edit"]
          deny: ["Bash(rm -rf *)"]
        """

    let directory: String
    let services: GatewayServices
    let admin: String

    init(policy: String = TestGateway.defaultPolicy, auth: AuthSettings = AuthSettings(), maxBodyBytes: Int = 1 << 20,
         approvalTimeout: Duration = .seconds(20)) throws {
        directory = try Self.temporaryDirectory()
        let policyPath = directory + "/policy.yaml"
        try policy.write(toFile: policyPath, atomically: true, encoding: .utf8)
        let store = try StateStore(path: directory + "/state.db")
        var logger = Logger(label: "test.gateway")
        logger.logLevel = .warning
        services = try Gateway.services(
            configuration: GatewayConfiguration(host: "127.0.0.1", port: 0, policyPaths: [policyPath], workingDirectory: directory,
                                                home: directory, auth: auth, maxBodyBytes: maxBodyBytes, approvalTimeout: approvalTimeout),
            store: store, logger: logger)
        admin = try services.tokens.create(name: "admin", scopes: [.all], createdBy: "test").token
    }

    /// A token with `scopes`.
    func token(_ scopes: [Scope], name: String = "t-\(UUID().uuidString.prefix(8))") throws -> String {
        try services.tokens.create(name: name, scopes: scopes, createdBy: "test").token
    }

    /// Runs `body` against the real HTTP server on a free loopback port.
    func live(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = try Gateway.application(services)
        try await app.test(.live) { client in try await body(client) }
    }

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("clawguard-gw-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

extension TestClientProtocol {
    /// Sends a request with an optional bearer token and JSON body.
    @discardableResult
    func call(_ method: HTTPRequest.Method, _ path: String, token: String?, json: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    /// The body as JSON.
    var json: JSONValue { (try? JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))) ?? .null }
    var text: String { String(buffer: body) }
}

/// The built `clawguard` binary (for real hook processes).
enum Binary {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var clawguard: String? {
        for candidate in [".build/debug/clawguard", ".build/release/clawguard"] {
            let path = root.appendingPathComponent(candidate).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

/// A process started in the background, finished later.
final class RunningProcess: @unchecked Sendable {
    let process = Process()
    let out = Pipe(), err = Pipe()

    init(_ executable: String, _ arguments: [String], stdin: String, environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["CLAWGUARD_POLICY"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
    }

    /// Waits for the exit (without blocking the cooperative pool).
    func finish() async -> (status: Int32, stdout: String, stderr: String) {
        let (process, out, err) = (self.process, self.out, self.err)
        return await withCheckedContinuation { continuation in
            Thread {
                let o = out.fileHandleForReading.readDataToEndOfFile()
                let e = err.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self)))
            }.start()
        }
    }
}

/// A Claude Code PreToolUse hook input.
func preToolUse(session: String, command: String, cwd: String) -> String {
    JSONText.encode(JSONValue.object([
        "hook_event_name": "PreToolUse", "session_id": .string(session), "cwd": .string(cwd), "tool_name": "Bash",
        "tool_input": .object(["command": .string(command)]),
    ]))
}

/// Polls until `condition` returns a value (bounded).
func eventually<T: Sendable>(_ what: String, attempts: Int = 200, _ condition: () async throws -> T?) async throws -> T {
    for _ in 0..<attempts {
        if let value = try await condition() { return value }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("timed out waiting for \(what)")
    throw GatewayError(.internalError, "timed out waiting for \(what)")
}
