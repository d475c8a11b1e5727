import Foundation
import Testing

/// `clawguard audit` as a process: exit codes, formats, --fix. Uses the binary `swift build` produced.
@Suite("clawguard audit (process)", .serialized)
struct CLITests {
    static var binary: URL? {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { dir.deleteLastPathComponent() }
        let build = dir.appendingPathComponent(".build")
        let candidates =
            [build.appendingPathComponent("debug/clawguard")]
            + ((try? FileManager.default.contentsOfDirectory(atPath: build.path)) ?? []).map {
                build.appendingPathComponent($0).appendingPathComponent("debug/clawguard")
            }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func run(_ arguments: [String], home: String) throws -> Run {
        let binary = try #require(Self.binary, "build the clawguard executable first (swift build)")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["audit", "--home", home, "--project-dir", home, "--no-color"] + arguments
        var environment = ProcessInfo.processInfo.environment
        for key in ["OPENCLAW_CONFIG_PATH", "OPENCLAW_STATE_DIR", "CODEX_HOME", "OPENCLAW_GATEWAY_TOKEN"] {
            environment.removeValue(forKey: key)
        }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    func makeHome(config: String?, mode: Int = 0o600) throws -> String {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("cg-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(
            atPath: home + "/.openclaw", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if let config {
            try config.write(toFile: home + "/.openclaw/openclaw.json", atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes(
                [.posixPermissions: mode], ofItemAtPath: home + "/.openclaw/openclaw.json")
        }
        return home
    }

    @Test func exitCodes() throws {
        let home = try makeHome(config: Fixtures.text("openclaw/reference-template.json"))
        defer { try? FileManager.default.removeItem(atPath: home) }
        #expect(try run([], home: home).status == 0)
        #expect(try run(["--fail-on", "critical"], home: home).status == 1)
        let suppressed = try run(
            [
                "--fail-on", "critical", "--suppress", "clawguard.gateway.token_placeholder=rotated at deploy",
                // The host's real sockets are not under this test's control (shared machine).
                "--suppress", "host.*=host facts are tested with FixtureHost",
            ], home: home
        )
        #expect(suppressed.status == 0, "\(suppressed.stdout)")
        #expect(suppressed.stdout.contains("reason: rotated at deploy"))
        #expect(
            try run(["--fail-on", "warn", "--suppress", "clawguard.gateway.token_placeholder=x"], home: home).status
                == 1)
        #expect(try run(["--fail-on", "bogus"], home: home).status == 2)
        #expect(try run(["--suppress", "gateway.bind_no_auth"], home: home).status == 2)
        #expect(try run(["--json", "--sarif"], home: home).status == 2)
        #expect(try run(["--dry-run"], home: home).status == 2)
        #expect(try run(["--report", "html"], home: home).status == 2)
    }

    @Test func unreadableConfigExitsTwoAndIsReported() throws {
        let home = try makeHome(config: "{gateway: ")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let result = try run(["--json"], home: home)
        #expect(result.status == 2)
        #expect(result.stdout.contains("clawguard.input.unreadable"))
    }

    @Test func formats() throws {
        let home = try makeHome(config: Fixtures.text("openclaw/reference-template.json"))
        defer { try? FileManager.default.removeItem(atPath: home) }
        let json = try run(["--json"], home: home)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["findings"] is [Any])
        #expect(object?["summary"] is [String: Any])
        let sarif = try run(["--sarif"], home: home)
        #expect(sarif.stdout.contains("\"version\" : \"2.1.0\""))
        let markdown = try run(["--report", "md"], home: home)
        #expect(markdown.stdout.hasPrefix("# Security Audit Report"))
        #expect(markdown.stdout.contains("## Audit Sign-Off"))
    }

    @Test func fixAndDryRun() throws {
        let home = try makeHome(config: "{gateway: {bind: \"loopback\"}}", mode: 0o644)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let config = home + "/.openclaw/openclaw.json"
        func mode() throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: config)[.posixPermissions] as? Int) ?? -1
        }
        let dry = try run(["--fix", "--dry-run"], home: home)
        #expect(dry.stdout.contains("would chmod 0644 -> 0600 \(config)"))
        #expect(try mode() == 0o644)
        let fixed = try run(["--fix"], home: home)
        #expect(fixed.stdout.contains("chmod 0644 -> 0600 \(config)"))
        #expect(try mode() == 0o600)
        #expect(!fixed.stdout.contains("fs.config.perms_world_readable"))
    }
}
