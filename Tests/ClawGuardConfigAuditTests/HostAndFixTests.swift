import ClawGuardCore
import Foundation
import Testing

@testable import ClawGuardConfigAudit

@Suite("Host facts, --fix, hostile inputs")
struct HostAndFixTests {
    @Test func procNetParsing() {
        let v4 = ProcNetTCP.parse(Fixtures.text("proc/tcp"), ipv6: false)
        #expect(
            v4 == [
                ListeningSocket(address: "0.0.0.0", port: 18789), ListeningSocket(address: "127.0.0.1", port: 18791),
            ])
        let v6 = ProcNetTCP.parse(Fixtures.text("proc/tcp6"), ipv6: true)
        #expect(v6 == [ListeningSocket(address: "::", port: 18792), ListeningSocket(address: "::1", port: 9090)])
        #expect(!v6[0].isLoopback && v6[1].isLoopback)
        #expect(ProcNetTCP.parse("garbage\n 0: zz:zz 0A\n", ipv6: false).isEmpty)
    }

    @Test func realHostReadsProcNetFixtureDirectory() throws {
        let host = RealHost(procNetDirectory: Fixtures.url("proc").path)
        let sockets = try host.listeningSockets()
        #expect(sockets.count == 4)
        #expect(sockets.filter { !$0.isLoopback }.map(\.port).sorted() == [18789, 18792])
    }

    private func tempHome() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-audit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/.openclaw", withIntermediateDirectories: true)
        return dir
    }

    private func mode(_ path: String) -> UInt16? {
        RealHost().status(path)?.mode
    }

    @Test func fixChmodsRealFilesAndDryRunDoesNot() throws {
        let home = try tempHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let host = RealHost()
        let config = home + "/.openclaw/openclaw.json"
        try "{gateway: {bind: \"loopback\"}}".write(toFile: config, atomically: true, encoding: .utf8)
        try host.setMode(config, 0o644)
        try host.setMode(home + "/.openclaw", 0o755)
        let options = AuditOptions(home: home, projectDirectory: home, systemRoot: home + "/none")
        let report = Auditor().run(InputLoader(host: host).load(options))
        #expect(report.findings.contains { $0.checkId == "fs.config.perms_world_readable" })

        let planned = PermissionFixer(host: host).fix(report.findings, dryRun: true)
        #expect(Set(planned.map(\.path)) == [config, home + "/.openclaw"])
        #expect(planned.allSatisfy { !$0.applied })
        #expect(mode(config) == 0o644)

        let applied = PermissionFixer(host: host).fix(report.findings, dryRun: false)
        #expect(applied.allSatisfy { $0.applied && $0.error == nil })
        #expect(mode(config) == 0o600)
        #expect(mode(home + "/.openclaw") == 0o700)
        let after = Auditor().run(InputLoader(host: host).load(options))
        #expect(!after.findings.contains { $0.checkId.hasPrefix("fs.") })
    }

    /// --fix only removes bits and never touches a symlink itself.
    @Test func fixOnlyRemovesBitsAndSkipsSymlinks() throws {
        let home = try tempHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let host = RealHost()
        let target = home + "/real.json"
        try "{}".write(toFile: target, atomically: true, encoding: .utf8)
        try host.setMode(target, 0o404)
        let link = home + "/link.json"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let findings = [
            Finding(
                checkId: "x", severity: .warn, title: "", detail: "", remediation: "", area: .host,
                fix: PermissionFix(path: target, mode: 0o600)),
            Finding(
                checkId: "y", severity: .warn, title: "", detail: "", remediation: "", area: .host,
                fix: PermissionFix(path: link, mode: 0o600)),
        ]
        let changes = PermissionFixer(host: host).fix(findings, dryRun: false)
        #expect(changes.map(\.path) == [target])
        #expect(mode(target) == 0o400)
    }

    @Test func fixtureHostFix() {
        let env = Env().openclaw("{}", mode: 0o666)
        let report = env.report()
        _ = PermissionFixer(host: env.host).fix(report.findings, dryRun: false)
        #expect(env.host.mode(of: Env.config) == 0o600)
    }

    @Test(arguments: [
        ("huge", String(repeating: " ", count: 2 * 1024 * 1024 + 1)),
        ("deep", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)),
        ("not json", "gateway = lan"),
        ("truncated", "{gateway: {bind: \"lan\""),
    ])
    func hostileOpenClawConfigIsUnreadableNotPassed(_ name: String, _ text: String) {
        let env = Env().openclaw(text)
        let report = env.report()
        #expect(
            report.findings.contains { $0.checkId == "clawguard.input.unreadable" && $0.severity == .critical },
            "\(name)")
        #expect(report.summary.readErrors == 1)
    }

    @Test func nonUTF8IsUnreadable() {
        let env = Env()
        env.host.addFile(Env.config, data: Data([0x7B, 0xFF, 0xFE, 0x7D]))
        #expect(env.ids().contains("clawguard.input.unreadable"))
    }

    @Test(arguments: [
        ("claude", "{\"permissions\": ", "/home/u/.claude/settings.json"),
        ("codex", "approval_policy = = \"never\"", "/home/u/.codex/config.toml"),
        ("clawguard", "mode: [unclosed", "/home/u/.clawguard/policy.yaml"),
    ])
    func malformedOtherInputsAreUnreadable(_ kind: String, _ text: String, _ path: String) {
        let unreadable = Env().file(path, text).findings("clawguard.input.unreadable")
        #expect(unreadable.count == 1)
        #expect(unreadable.first?.file == path)
        #expect(unreadable.first?.detail.hasPrefix(kind) == true)
    }

    @Test func explicitMissingFileIsUnreadable() {
        let env = Env()
        let inputs = InputLoader(host: env.host, readApprovalsRow: { _ in nil }).load(
            AuditOptions(
                home: Env.home, projectDirectory: "/work/proj", openClawConfig: "/nope/openclaw.json",
                systemRoot: "/sysroot"))
        #expect(inputs.problems.map(\.path) == ["/nope/openclaw.json"])
    }

    @Test func configPathFromEnvironmentMustExist() {
        let env = Env()
        env.environment = ["OPENCLAW_CONFIG_PATH": "/etc/openclaw/missing.json"]
        #expect(env.inputs().problems.map(\.path) == ["/etc/openclaw/missing.json"])
        env.file("/etc/openclaw/missing.json", "{gateway: {bind: \"lan\"}}")
        #expect(env.ids().contains("gateway.bind_no_auth"))
    }

    /// The exec approvals row of OpenClaw's SQLite state, read through GRDB from a database made by the sqlite3 CLI.
    @Test func execApprovalsFromSQLite() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-sqlite-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/state", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let database = dir + "/state/openclaw.sqlite"
        let raw = #"{"version":1,"defaults":{"security":"full","askFallback":"full"}}"#
        let sql = """
            CREATE TABLE exec_approvals_config (config_key TEXT NOT NULL PRIMARY KEY, raw_json TEXT NOT NULL, socket_path TEXT,
              has_socket_token INTEGER NOT NULL, default_security TEXT, default_ask TEXT, default_ask_fallback TEXT,
              auto_allow_skills INTEGER, agent_count INTEGER NOT NULL, allowlist_count INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT;
            INSERT INTO exec_approvals_config VALUES ('default', '\(raw)', NULL, 0, 'full', 'off', 'full', 0, 0, 0, 1);
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database, sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try SQLiteExecApprovals.read(database) == raw)

        let host = RealHost()
        let inputs = InputLoader(host: host).load(
            AuditOptions(home: dir, projectDirectory: dir, openClawStateDir: dir, systemRoot: dir + "/none"))
        #expect(inputs.execApprovals?.path == database + "#exec_approvals_config")
        let ids = Set(Auditor().run(inputs).findings.map(\.checkId))
        #expect(ids.contains("clawguard.exec_approvals.ask_fallback_full"))
        #expect(ids.contains("tools.exec.security_full_configured"))
    }

    @Test func corruptSQLiteIsUnreadable() throws {
        let env = Env()
        env.host.addFile(Env.state + "/state/openclaw.sqlite", "not a database")
        let inputs = InputLoader(
            host: env.host, readApprovalsRow: { _ in throw ClawGuardError(.store, "file is not a database") }
        ).load(env.options)
        #expect(inputs.problems.first?.kind == "openclaw-exec-approvals")
    }

    @Test func lineLocator() {
        let text = "{\n  gateway: {\n    auth: {\n      'mode': \"token\",\n      token: \"x\"\n    }\n  }\n}\n"
        #expect(LineLocator.line(of: ["gateway", "auth", "token"], in: text) == 5)
        #expect(LineLocator.line(of: ["gateway", "auth", "mode"], in: text) == 4)
        #expect(LineLocator.locate(["gateway", "nope"], in: text)?.complete == false)
        // Structural: a same-named key nested elsewhere, in a string or a comment does not count.
        let nested = """
            {
              // tools: { exec: { mode: "commented" } }
              agents: { entries: { main: { tools: { exec: { mode: "full" } } } } },
              note: "tools: not a key",
              tools: {
                exec: { mode: "full" },
              },
            }
            """
        #expect(LineLocator.line(of: ["tools", "exec", "mode"], in: nested) == 6)
        #expect(LineLocator.line(of: ["agents", "entries", "main", "tools", "exec", "mode"], in: nested) == 3)
        #expect(LineLocator.locate(["tools", "fs"], in: nested)?.complete == false)
        let array = "{\"a\": [{\"t\": 1},\n {\"x\": 2},\n {\"t\": 3}]}"
        #expect(LineLocator.line(of: ["a", "1", "t"], in: array) == 3)
        let toml = "[sandbox_workspace_write]\nnetwork_access = true\n"
        #expect(LineLocator.line(of: ["sandbox_workspace_write", "network_access"], in: toml) == 2)
    }

    @Test func envSubstitutionRules() {
        let env = ["TOKEN": "abc", "lower": "no"]
        #expect(OpenClawLoader.substituteString("${TOKEN}", env) == ("abc", true))
        #expect(OpenClawLoader.substituteString("$${TOKEN}", env) == ("${TOKEN}", false))
        #expect(OpenClawLoader.substituteString("${lower}", env) == ("${lower}", false))
        #expect(OpenClawLoader.substituteString("${MISSING}", env) == ("${MISSING}", true))
        #expect(OpenClawLoader.substituteString("${pass:team/token}", env) == ("${pass:team/token}", true))
    }
}

@Suite("Codex rules reading")
struct CodexRulesTests {
    @Test(arguments: [
        ("prefix_rule(pattern = [\"python3\"], decision = \"allow\")", true),
        ("prefix_rule(pattern = [\"python3\"])", true),  // decision defaults to allow
        ("prefix_rule(pattern = [[\"bash\", \"sh\"]], justification = \"shells (really)\")", true),
        ("prefix_rule(pattern = [\"python3\"], decision = \"prompt\")", false),
        ("prefix_rule(pattern = [\"python3\", \"-m\", \"pytest\"])", false),
        ("prefix_rule(pattern = [\"git\"])", false),
    ])
    func broadAllow(_ rules: String, _ flagged: Bool) {
        let env = Env().codex("model = \"x\"\n").file("/home/u/.codex/rules/default.rules", rules + "\n")
        #expect(env.ids().contains("codex.rules.broad_allow") == flagged)
    }
}

@Suite("YAML alias bomb")
struct YAMLBombTests {
    /// A "billion laughs" policy must be refused quickly, not expanded.
    @Test func aliasBombIsRefused() {
        var yaml = "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for level in 1...9 {
            let refs = (0..<9).map { _ in "*a\(level - 1)" }.joined(separator: ",")
            yaml += "a\(level): &a\(level) [\(refs)]\n"
        }
        let env = Env().policy(yaml)
        let unreadable = env.findings("clawguard.input.unreadable")
        #expect(unreadable.count == 1)
        #expect(unreadable.first?.detail.contains("too large") == true, "\(unreadable.first?.detail ?? "none")")
    }
}
