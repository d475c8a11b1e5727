import Foundation
import Testing
@testable import ClawGuardCore

@Suite("Policy files: loading, validation, profiles, layering, Claude settings")
struct PolicyLoaderTests {
    let home = PolicyFixtures.home
    let cwd = PolicyFixtures.cwd

    @Test func fullFixtureLoadsEverySection() throws {
        let policy = try PolicyLoader.load(paths: [PolicyFixtures.path("full.yaml")], profile: nil, cwd: cwd, home: home)
        #expect(policy.profileName == "ci")
        #expect(policy.mode == .dontAsk)
        #expect(policy.sources == [PolicyFixtures.path("full.yaml"), "builtin:builder"])
        #expect(policy.rule(forCommand: "curl https://x")?.effect == .deny)
        #expect(policy.rule(forCommand: "npm run test:unit")?.effect == .allow)
        #expect(policy.rule(forCommand: "git push origin main")?.effect == .ask)  // inherited from builder
        #expect(policy.rule(forBareTool: "mcp__github__create_pr")?.effect == .ask)
        #expect(policy.rule(forBareTool: "mcp__github__get_issue")?.effect == .ask)  // ask beats allow
        #expect(policy.additionalDirectories == ["/home/alice/shared", "/home/alice/cache", "/opt/tools"])
        #expect(policy.limits.perAgent == RateLimit(perMinute: 60, perHour: 1000, perDay: 10000))
        #expect(policy.limits.perSession.perMinute == 30)
        #expect(policy.limits.perUser.perDay == 5000)
        #expect(policy.budgets.sessionUSD == 5)
        #expect(policy.budgets.dailyUSDPerUser == 50.5)
        #expect(policy.budgets.prices["claude-sonnet-4"]?.outputPerMTok == 15)
        #expect(policy.loopDetection.repeatCount == 3 && policy.loopDetection.window == 5 && policy.loopDetection.action == .deny)
        #expect(policy.timeWindows.count == 1)
        #expect(policy.timeWindows[0].timeZone == "Europe/Berlin")
        #expect(policy.timeWindows[0].allowed[0].days == [1, 2, 3, 4, 5])
        #expect(policy.timeWindows[0].allowed[0].startMinute == 480)
        #expect(policy.timeWindows[0].outside == .ask)
        #expect(policy.sessionTimeoutSeconds == 7200)
        #expect(policy.shadow == false)
        #expect(policy.sandbox.memoryBytes == 2 << 30)
        #expect(policy.sandbox.tmpSizeBytes == 100 << 20)
        #expect(policy.sandbox.network == .allowlist)
        #expect(policy.sandbox.timeoutSeconds == 600)
        #expect(policy.scanners.postToolUse == .block)
        #expect(policy.scanners.injectionThreshold == 0.8)
        #expect(policy.alerts.map(\.name) == ["spend", "chatty", "secret", "denials"])
        #expect(policy.alerts[0].threshold.value == 5 && policy.alerts[0].threshold.unit == "USD" && policy.alerts[0].threshold.per == "hour")
        #expect(policy.alerts[3].threshold.unit == "%")
        #expect(policy.actions["pager"] == .pagerduty(routingKeyEnv: "PD_KEY", severity: "critical"))
        #expect(policy.actions["notify"] == .command(argv: ["notify-send", "ClawGuard"]))
        #expect(policy.network.evaluate(host: "github.com", port: 443) == .allowed(rule: "github.com"))
        #expect(policy.access("/home/alice/project/secrets/x", write: false).outcome == .denied)
        #expect(policy.protectedPaths.match(PolicyFixtures.path("full.yaml"))?.category == .agentConfig)
    }

    @Test func extendsChainsAddUpAndChildScalarsWin() throws {
        let policy = try PolicyLoader.load(paths: [PolicyFixtures.path("full.yaml")], profile: "local", cwd: cwd, home: home)
        #expect(policy.mode == .acceptEdits)
        #expect(policy.rule(forCommand: "make all")?.effect == .allow)
        #expect(policy.rule(forCommand: "npm run test:unit")?.effect == .allow)
        #expect(policy.rule(forCommand: "curl x")?.effect == .deny)
    }

    @Test(arguments: BuiltinProfiles.names)
    func builtinProfilesLoad(_ name: String) throws {
        let policy = try PolicyLoader.builtin(name, cwd: cwd, home: home)
        #expect(policy.profileName == name)
        #expect(policy.sources == ["builtin:\(name)"])
        #expect(policy.rule(forTool: "Read", path: "/home/alice/project/README.md")?.effect == .allow)
        #expect(policy.rule(forCommand: "ls -la")?.effect == .allow)
    }

    struct ArchetypeCase: Sendable, CustomStringConvertible {
        var profile: String
        var tool: String
        var input: String
        var effect: RuleEffect?
        var description: String { "\(profile): \(tool) \(input)" }
    }

    @Test(arguments: [
        ArchetypeCase(profile: "explorer", tool: "Edit", input: "/home/alice/project/a.swift", effect: .deny),
        ArchetypeCase(profile: "explorer", tool: "Bash", input: "git status", effect: .allow),
        ArchetypeCase(profile: "explorer", tool: "Bash", input: "rm -rf build", effect: nil),
        ArchetypeCase(profile: "reviewer", tool: "Bash", input: "pytest -q tests", effect: .allow),
        ArchetypeCase(profile: "reviewer", tool: "Bash", input: "eslint src", effect: .allow),
        ArchetypeCase(profile: "reviewer", tool: "Write", input: "/home/alice/project/a.swift", effect: .deny),
        ArchetypeCase(profile: "refactorer", tool: "Edit", input: "/home/alice/project/a.swift", effect: .ask),
        ArchetypeCase(profile: "refactorer", tool: "Write", input: "/home/alice/project/a.swift", effect: .ask),
        ArchetypeCase(profile: "builder", tool: "Edit", input: "/home/alice/project/a.swift", effect: .allow),
        ArchetypeCase(profile: "builder", tool: "Edit", input: "/home/alice/elsewhere/a.swift", effect: nil),
        ArchetypeCase(profile: "builder", tool: "Bash", input: "git commit -m x", effect: .allow),
        ArchetypeCase(profile: "builder", tool: "Bash", input: "git push origin main", effect: .ask),
        ArchetypeCase(profile: "builder", tool: "Bash", input: "npm install left-pad", effect: .ask),
        ArchetypeCase(profile: "deployer", tool: "Bash", input: "kubectl apply -f x.yaml", effect: .ask),
        ArchetypeCase(profile: "deployer", tool: "Bash", input: "docker push img", effect: .ask),
        ArchetypeCase(profile: "deployer", tool: "Bash", input: "git status", effect: .ask),
        ArchetypeCase(profile: "deployer", tool: "Edit", input: "/home/alice/project/a", effect: .deny),
    ])
    func archetypes(_ c: ArchetypeCase) throws {
        let policy = try PolicyLoader.builtin(c.profile, cwd: cwd, home: home)
        let rule = c.tool == "Bash" ? policy.rule(forCommand: c.input) : policy.rule(forTool: c.tool, path: c.input)
        #expect(rule?.effect == c.effect, "decided by \(rule?.text ?? "no rule")")
    }

    @Test func unknownBuiltinIsRefused() {
        #expect(throws: ClawGuardError.self) { try PolicyLoader.builtin("admin", cwd: "/", home: "/") }
    }

    // MARK: Layering

    @Test func denyAnywhereWinsAndScalarsTakeTheSafeSide() throws {
        let paths = [PolicyFixtures.path("full.yaml"), PolicyFixtures.path("team.yaml")]
        let policy = try PolicyLoader.load(paths: paths, profile: nil, cwd: cwd, home: home)
        #expect(policy.profileName == "ci")
        #expect(policy.mode == .plan)  // strictest of dontAsk and plan
        #expect(policy.rule(forCommand: "npm publish --tag next")?.effect == .deny)
        #expect(policy.rule(forTool: "Write", path: "/etc/hosts")?.effect == .deny)
        #expect(policy.budgets.sessionUSD == 2)  // smaller budget
        #expect(policy.shadow == false)  // one layer says false: enforcing wins
        #expect(policy.network.allowPorts == [443])  // intersection
        if case .denied = policy.network.evaluate(host: "x.pastebin.com", port: 443) {} else { Issue.record("pastebin must be denied") }
        // Order does not matter.
        let reversed = try PolicyLoader.load(paths: paths.reversed(), profile: "ci", cwd: cwd, home: home)
        #expect(reversed.mode == .plan)
        #expect(reversed.rule(forCommand: "npm publish")?.effect == .deny)
        #expect(Set(reversed.rules.map(\.text)) == Set(policy.rules.map(\.text)))
    }

    @Test func aLaterAllowCannotReopenAnEarlierDeny() throws {
        let a = PolicyLoader.Input(name: "/p/a.yaml", text: "version: 1\npermissions:\n  deny: [Bash(rm *)]\n")
        let b = PolicyLoader.Input(name: "/p/b.yaml", text: "version: 1\npermissions:\n  allow: [Bash(rm -rf build)]\n")
        let policy = try PolicyLoader.load(inputs: [a, b], profile: nil, cwd: cwd, home: home)
        #expect(policy.rule(forCommand: "rm -rf build")?.effect == .deny)
        #expect(policy.rule(forCommand: "rm -rf build")?.source.file == "/p/a.yaml")
    }

    @Test func shadowOnlyWhenNoLayerRefuses() throws {
        let a = PolicyLoader.Input(name: "/p/a.yaml", text: "version: 1\nshadow: true\n")
        let b = PolicyLoader.Input(name: "/p/b.yaml", text: "version: 1\n")
        #expect(try PolicyLoader.load(inputs: [a, b], profile: nil, cwd: cwd, home: home).shadow)
        #expect(try !PolicyLoader.load(inputs: [b], profile: nil, cwd: cwd, home: home).shadow)
    }

    // MARK: Claude Code settings

    @Test func claudeSettingsImport() throws {
        let path = PolicyFixtures.path("project/.claude/settings.json")
        let projectRoot = PolicyFixtures.path("project")
        let result = PolicyLoader.validate(paths: [path], profile: nil, cwd: projectRoot, home: home)
        let policy = try #require(result.policy, "\(result.issues)")
        #expect(policy.mode == .acceptEdits)
        #expect(policy.rule(forCommand: "npm run lint")?.effect == .allow)
        #expect(policy.rule(forCommand: "git push origin")?.effect == .ask)
        #expect(policy.rule(forCommand: "curl -s x")?.effect == .deny)
        #expect(policy.rule(forTool: "Write", path: projectRoot + "/src/a.ts")?.effect == .allow)  // /src relative to project root
        #expect(policy.rule(forTool: "Read", path: projectRoot + "/.env")?.effect == .deny)
        #expect(policy.rules(matchingTool: "WebFetch").first?.matches(host: "evil.example") == true)
        #expect(policy.additionalDirectories == [PolicyFixtures.directory + "/docs"])
        #expect(policy.network.allow.map(\.text) == ["github.com", "*.npmjs.org"])
        #expect(policy.filesystem.write.first?.pattern.matches("/tmp/build/x") == true)
        #expect(policy.filesystem.denyWrite.first?.pattern.matches(projectRoot + "/dist/a.js") == true)
        #expect(policy.filesystem.deny.first?.pattern.matches(home + "/.aws/credentials") == true)
        #expect(policy.warnings.contains { $0.message.contains("futureKey") })
        // The built-in default profile is layered underneath.
        #expect(policy.sources.first == "builtin:default")
        #expect(policy.rule(forCommand: "ls")?.effect == .allow)
    }

    @Test func claudeSettingsWithLineNumbersAndBadTypes() {
        let json = """
            {
              "permissions": {
                "allow": ["Bash(ls"],
                "defaultMode": "yolo"
              }
            }
            """
        let result = PolicyLoader.validate(
            inputs: [.init(name: "/p/.claude/settings.json", text: json)], profile: nil, cwd: cwd, home: home)
        #expect(!result.isValid)
        let unbalanced = result.issues.first { $0.message.contains("unbalanced") }
        #expect(unbalanced?.line == 3)
        #expect(unbalanced?.key == "permissions.allow[0]")
        #expect(result.issues.contains { $0.message.contains("'yolo' is not a permission mode") && $0.line == 4 })
    }

    @Test func claudeAutoModeIsAWarning() throws {
        let json = #"{"permissions": {"defaultMode": "auto"}}"#
        let policy = try PolicyLoader.load(inputs: [.init(name: "/p/settings.json", text: json)], profile: nil, cwd: cwd, home: home)
        #expect(policy.mode == .default)
        #expect(policy.warnings.contains { $0.message.contains("auto") })
    }

    // MARK: Validation errors

    struct ErrorCase: Sendable, CustomStringConvertible {
        var name: String
        var yaml: String
        var line: Int
        var key: String
        var message: String
        var description: String { name }
    }

    @Test(arguments: [
        ErrorCase(name: "unknown top-level key", yaml: "version: 1\nmodee: plan\n", line: 2, key: "modee", message: "did you mean 'mode'"),
        ErrorCase(name: "unknown key in permissions", yaml: "version: 1\nprofiles:\n  a:\n    permissions:\n      alow: [Bash]\n", line: 5, key: "profiles.a.permissions.alow", message: "unknown key 'alow'"),
        ErrorCase(name: "unknown key in a price", yaml: "version: 1\nbudgets:\n  prices:\n    m:\n      input_per_mtok: 1\n      output_per_mtok: 2\n      color: red\n", line: 7, key: "budgets.prices.m.color", message: "unknown key 'color'"),
        ErrorCase(name: "unknown key in a time window", yaml: "version: 1\ntime_windows:\n  allowed:\n    - from: \"09:00\"\n      to: \"17:00\"\n      day: [mon]\n", line: 6, key: "time_windows.allowed[0].day", message: "did you mean 'days'"),
        ErrorCase(name: "unknown key in an action", yaml: "version: 1\nactions:\n  a:\n    type: webhook\n    url: https://x\n    methd: POST\n", line: 6, key: "actions.a.methd", message: "unknown key"),
        ErrorCase(name: "unknown key in sandbox", yaml: "version: 1\nsandbox:\n  memroy: 1G\n", line: 3, key: "sandbox.memroy", message: "did you mean 'memory'"),
        ErrorCase(name: "wrong type: list expected", yaml: "version: 1\npermissions:\n  allow: Bash\n", line: 3, key: "permissions.allow", message: "expected a list"),
        ErrorCase(name: "wrong type: mapping expected", yaml: "version: 1\nprofiles: [a, b]\n", line: 2, key: "profiles", message: "expected a mapping"),
        ErrorCase(name: "wrong type: bool", yaml: "version: 1\nshadow: maybe\n", line: 2, key: "shadow", message: "expected true or false"),
        ErrorCase(name: "wrong type: integer", yaml: "version: 1\nsandbox:\n  pids: many\n", line: 3, key: "sandbox.pids", message: "expected an integer"),
        ErrorCase(name: "out of range", yaml: "version: 1\nnetwork:\n  allow_ports: [0]\n", line: 3, key: "network.allow_ports[0]", message: "out of range"),
        ErrorCase(name: "bad mode", yaml: "version: 1\nmode: yolo\n", line: 2, key: "mode", message: "'yolo' is not one of"),
        ErrorCase(name: "bad rule", yaml: "version: 1\npermissions:\n  deny:\n    - Bash(rm\n", line: 4, key: "permissions.deny[0]", message: "unbalanced"),
        ErrorCase(name: "bad glob", yaml: "version: 1\nfilesystem:\n  read: [\"src/[a\"]\n", line: 3, key: "filesystem.read[0]", message: "unclosed '['"),
        ErrorCase(name: "bad host", yaml: "version: 1\nnetwork:\n  allow: [\"https://x.com\"]\n", line: 3, key: "network.allow[0]", message: "not a host"),
        ErrorCase(name: "bad size", yaml: "version: 1\nsandbox:\n  memory: lots\n", line: 3, key: "sandbox.memory", message: "not a size"),
        ErrorCase(name: "bad duration", yaml: "version: 1\nsession_timeout: soon\n", line: 2, key: "session_timeout", message: "not a duration"),
        ErrorCase(name: "bad threshold", yaml: "version: 1\nalerts:\n  - name: x\n    threshold: 5 bananas/hour\n", line: 4, key: "alerts[0].threshold", message: "not a known unit"),
        ErrorCase(name: "bad time", yaml: "version: 1\ntime_windows:\n  allowed:\n    - { from: \"25:00\", to: \"26:00\" }\n", line: 4, key: "time_windows.allowed[0].from", message: "not a time"),
        ErrorCase(name: "bad time zone", yaml: "version: 1\ntime_windows:\n  time_zone: Mars\n", line: 3, key: "time_windows.time_zone", message: "not a time zone"),
        ErrorCase(name: "loop repeat > window", yaml: "version: 1\nloop_detection:\n  repeat: 9\n  window: 5\n", line: 3, key: "loop_detection", message: "cannot exceed"),
        ErrorCase(name: "unknown extends", yaml: "version: 1\nprofiles:\n  a:\n    extends: root\n", line: 4, key: "profiles.a.extends", message: "unknown profile 'root'"),
        ErrorCase(name: "extends at top level", yaml: "version: 1\nextends: builder\n", line: 1, key: "", message: "belongs in a profile"),
        ErrorCase(name: "unsupported version", yaml: "version: 2\n", line: 1, key: "version", message: "unsupported version 2"),
        ErrorCase(name: "missing version", yaml: "mode: plan\n", line: 1, key: "", message: "missing 'version: 1'"),
        ErrorCase(name: "duplicate key", yaml: "version: 1\nmode: plan\nmode: default\n", line: 2, key: "", message: "duplicate"),
        ErrorCase(name: "alert names unknown action", yaml: "version: 1\nalerts:\n  - name: x\n    threshold: 1 occurrence\n    action: nowhere\n", line: 3, key: "alerts", message: "unknown action 'nowhere'"),
        ErrorCase(name: "action without type", yaml: "version: 1\nactions:\n  a: { url: https://x }\n", line: 3, key: "actions.a", message: "needs a 'type'"),
        ErrorCase(name: "webhook with a bad URL", yaml: "version: 1\nactions:\n  a: { type: webhook, url: ftp://x }\n", line: 3, key: "actions.a.url", message: "not an http(s) URL"),
        ErrorCase(name: "not YAML", yaml: "version: 1\npermissions: [\n", line: 3, key: "", message: "not valid YAML"),
        ErrorCase(name: "not a mapping", yaml: "- a\n- b\n", line: 1, key: "", message: "must be a mapping"),
        ErrorCase(name: "empty file", yaml: "", line: 0, key: "", message: "empty"),
        ErrorCase(name: "default_profile unknown", yaml: "version: 1\ndefault_profile: nope\n", line: 0, key: "default_profile", message: "neither defined"),
    ])
    func validationErrors(_ c: ErrorCase) {
        let result = PolicyFixtures.validate(c.yaml)
        #expect(!result.isValid)
        #expect(result.policy == nil)
        let match = result.issues.first { $0.severity == .error && $0.message.contains(c.message) }
        #expect(match != nil, "issues: \(result.issues.map(\.description))")
        if let match {
            #expect(match.line == c.line, "\(match)")
            #expect(match.key == c.key, "\(match)")
            #expect(match.file == "/home/alice/project/clawguard.yaml")
        }
    }

    @Test func everyErrorIsReportedInOneRun() {
        let yaml = "version: 1\nmodee: plan\nshadow: maybe\npermissions:\n  allow: [Bash(]\n"
        let result = PolicyFixtures.validate(yaml)
        #expect(result.issues.filter { $0.severity == .error }.count == 3)
    }

    @Test func loadThrowsInvalidPolicyWithEveryIssue() {
        do {
            _ = try PolicyFixtures.load("version: 1\nmodee: plan\n")
            Issue.record("must throw")
        } catch let error as ClawGuardError {
            #expect(error.code == .invalidPolicy)
            #expect(error.message.contains("clawguard.yaml:2:1: modee: unknown key"))
            #expect((error.underlying as? PolicyIssues)?.issues.count == 1)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func extendsCycleIsRefused() {
        let result = PolicyLoader.validate(paths: [PolicyFixtures.path("cycle.yaml")], profile: "a", cwd: cwd, home: home)
        #expect(!result.isValid)
        let cycle = result.issues.first { $0.message.contains("cycle in extends: a → b → c → a") }
        #expect(cycle != nil, "\(result.issues)")
        #expect(cycle?.line == 4)
    }

    @Test func unknownProfileIsRefused() {
        let result = PolicyFixtures.validate("version: 1\nprofiles:\n  a: {}\n", profile: "zzz")
        #expect(!result.isValid)
        #expect(result.issues.contains { $0.message.contains("unknown profile 'zzz'") && $0.message.contains("a, builder") })
    }

    @Test func bypassPermissionsLoadsWithAWarning() throws {
        let policy = try PolicyFixtures.load("version: 1\nmode: bypassPermissions\npermissions:\n  deny: [Bash(rm *)]\n")
        #expect(policy.mode == .bypassPermissions)
        #expect(policy.warnings.contains { $0.message.contains("bypassPermissions") && $0.line == 2 })
        #expect(policy.rule(forCommand: "rm -rf x")?.effect == .deny)
    }

    @Test func missingAndUnreadableFilesFailClosed() throws {
        #expect(throws: ClawGuardError.self) {
            try PolicyLoader.load(paths: ["/nonexistent/clawguard.yaml"], profile: nil, cwd: cwd, home: home)
        }
        let dir = try PolicyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data([0xFF, 0xFE, 0x00, 0x41]).write(to: URL(fileURLWithPath: dir + "/bin.yaml"))
        let result = PolicyLoader.validate(paths: [dir + "/bin.yaml"], profile: nil, cwd: dir, home: home)
        #expect(!result.isValid)
        let huge = String(repeating: "# padding\n", count: 110_000)
        #expect(!PolicyFixtures.validate("version: 1\n" + huge).isValid)
    }

    @Test func hostileInputsAreRefusedNotCrashed() {
        let deep = String(repeating: "[", count: 5000)
        #expect(!PolicyFixtures.validate("version: 1\npermissions: " + deep).isValid)
        #expect(!PolicyFixtures.validate("version: 1\npermissions:\n  allow: [\"\(String(repeating: "(", count: 500))\"]\n").isValid)
        #expect(!PolicyFixtures.validate("version: 1\nprofiles:\n  a: &x\n    extends: b\n  b: *x\n").isValid)
    }

    // MARK: Locator

    @Test func locatorOrderAndEnvironment() throws {
        let dir = try PolicyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fm = FileManager.default
        let home = dir + "/home"
        let repo = home + "/repo"
        try fm.createDirectory(atPath: repo + "/.git", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: repo + "/pkg/sub", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: home + "/.clawguard", withIntermediateDirectories: true)
        for file in [home + "/.clawguard/policy.yaml", repo + "/.clawguard.yaml", repo + "/pkg/clawguard.yaml", home + "/.clawguard.yaml"] {
            try "version: 1\n".write(toFile: file, atomically: true, encoding: .utf8)
        }
        let found = PolicyLocator.locate(cwd: repo + "/pkg/sub", home: home, environment: [:])
        #expect(found == [home + "/.clawguard/policy.yaml", repo + "/.clawguard.yaml", repo + "/pkg/clawguard.yaml"])
        let explicit = PolicyLocator.locate(cwd: repo, home: home, environment: ["CLAWGUARD_POLICY": "a.yaml:~/b.yaml"])
        #expect(explicit == [repo + "/a.yaml", home + "/b.yaml"])
        let none = PolicyLocator.locate(cwd: "/", home: dir + "/nohome", environment: [:])
        #expect(none.isEmpty)
        let fallback = try PolicyLocator.loadPolicy(cwd: "/", home: dir + "/nohome", environment: [:])
        #expect(fallback.profileName == "default")
        #expect(fallback.sources == ["builtin:default"])
    }

    // MARK: Lint

    @Test(arguments: [
        ("Bash", "every shell command"),
        ("Bash(*)", "every shell command"),
        ("Bash(python:*)", "python"),
        ("Bash(python3 *)", "python3"),
        ("Bash(/usr/bin/python3.12 -c *)", "python"),
        ("Bash(sudo *)", "root"),
        ("Bash(sudo systemctl restart *)", "root"),
        ("Bash(env *)", "any program"),
        ("Bash(xargs:*)", "input"),
        ("Bash(find . -name *)", "-exec"),
        ("Bash(timeout 10 *)", "argument"),
        ("Bash(bash -c *)", "shell"),
        ("Bash(ssh prod *)", "remote"),
        ("Bash(git:*)", "git"),
        ("Bash(* --version)", "leading wildcard"),
        ("Bash(npm run * --prod)", "wildcard before the end"),
        ("Edit", "editing any file"),
        ("Edit(//**)", "every file"),
        ("WebFetch", "any host"),
    ])
    func lintFlagsUnboundedAllows(_ text: String, _ reason: String) throws {
        let message = PolicyLint.message(for: try PolicyFixtures.rule(text))
        #expect(message?.contains(reason) == true, "message: \(message ?? "nil")")
    }

    @Test(arguments: ["Bash(git diff *)", "Bash(npm run test:*)", "Bash(python manage.py test *)", "Bash(ls *)", "Edit(./src/**)", "Read", "WebFetch(domain:github.com)", "Bash(pytest)"])
    func lintLeavesBoundedAllowsAlone(_ text: String) throws {
        #expect(PolicyLint.message(for: try PolicyFixtures.rule(text)) == nil)
    }

    @Test func lintOnlyLooksAtAllows() throws {
        let policy = try PolicyFixtures.load("version: 1\npermissions:\n  deny: [Bash]\n  ask: [Bash(sudo *)]\nnetwork:\n  allow: [\"*\"]\n")
        let findings = PolicyLint.findings(policy)
        #expect(!findings.contains { $0.rule == "Bash" || $0.rule == "Bash(sudo *)" })
        #expect(findings.contains { $0.rule == "*" && $0.message.contains("every host") })
    }

    // MARK: init template

    @Test(arguments: BuiltinProfiles.names)
    func starterPolicyValidates(_ base: String) throws {
        let text = try PolicyTemplate.starter(extending: base)
        let result = PolicyFixtures.validate(text)
        #expect(result.isValid, "\(result.issues)")
        #expect(result.policy?.profileName == "project")
        #expect(result.policy?.rule(forCommand: "curl https://example.com")?.effect == .deny)
    }

    @Test func starterRefusesUnknownBase() {
        #expect(throws: ClawGuardError.self) { try PolicyTemplate.starter(extending: "root") }
    }

    // MARK: Units

    @Test(arguments: [("2G", Int64(2) << 30), ("100M", 100 << 20), ("512K", 512 << 10), ("1024", 1024), ("1GiB", 1 << 30), ("3 MB", 3 << 20)])
    func sizes(_ text: String, _ bytes: Int64) {
        #expect(Units.size(text) == bytes)
    }

    @Test(arguments: [("30s", 30), ("5m", 300), ("2h", 7200), ("1d", 86400), ("90", 90)])
    func durations(_ text: String, _ seconds: Int) {
        #expect(Units.duration(text) == seconds)
    }

    @Test(arguments: ["5 USD/hour", "50 commands/session", "1 occurrence", "10%", "0.5 usd/day"])
    func thresholds(_ text: String) {
        if case .failure(let e) = AlertThreshold.parse(text) { Issue.record("\(text): \(e)") }
    }

    @Test(arguments: ["5", "five USD", "5 USD/fortnight", "120%", "5 USD/hour/day", "-1 USD"])
    func badThresholds(_ text: String) {
        if case .success = AlertThreshold.parse(text) { Issue.record("\(text) should be refused") }
    }
}

@Suite("Policy files: YAML corner cases")
struct PolicyYAMLCornerTests {
    @Test func aliasesReadAsTheirTargetOrAreRefused() {
        let result = PolicyFixtures.validate("version: 1\npermissions:\n  deny: &d [Bash(rm *)]\n  ask: *d\n")
        if let policy = result.policy {
            // Yams resolved the alias: the rule appears under both effects and deny still wins.
            #expect(policy.rule(forCommand: "rm -rf x")?.effect == .deny)
        } else {
            #expect(result.issues.contains { $0.message.contains("alias") })
        }
    }

    @Test func billionLaughsDoesNotExplode() {
        var yaml = "version: 1\nx0: &a0 [Read, Read, Read, Read, Read, Read, Read, Read, Read, Read]\n"
        for i in 1..<9 { yaml += "x\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        let result = PolicyFixtures.validate(yaml)
        #expect(!result.isValid)
        #expect(result.issues.count < 100)
    }

    @Test func issueDescriptionNamesFileLineColumnAndKey() {
        let issue = PolicyIssue(.error, file: "/p/c.yaml", line: 3, column: 5, key: "profiles.a.mode", "bad")
        #expect(issue.description == "/p/c.yaml:3:5: profiles.a.mode: bad")
        #expect(PolicyIssue(.warning, file: "f", "w").description == "f: w")
    }

    @Test func quotedScalarsAreStringsNotNumbers() {
        #expect(!PolicyFixtures.validate("version: 1\nnetwork:\n  allow_ports: [\"443\"]\n").isValid)
        #expect(PolicyFixtures.validate("version: 1\npermissions:\n  allow: [\"Bash(npm test)\"]\n").isValid)
    }
}

@Suite("Policy files: format detection and workspace")
struct PolicyFormatTests {
    @Test func claudeSettingsDetectedByContent() throws {
        let text = #"{"permissions": {"deny": ["Bash(rm:*)"]}}"#
        let policy = try PolicyLoader.load(
            inputs: [.init(name: "/p/team-settings", text: text)], profile: nil, cwd: PolicyFixtures.cwd, home: PolicyFixtures.home)
        #expect(policy.rule(forCommand: "rm -rf /")?.effect == .deny)
    }

    @Test func clawguardPolicyInJSONDetectedByContent() throws {
        let text = #"{"version": 1, "permissions": {"deny": ["Bash(rm:*)"]}, "shadow": true}"#
        let policy = try PolicyLoader.load(
            inputs: [.init(name: "/p/policy.json", text: text)], profile: nil, cwd: PolicyFixtures.cwd, home: PolicyFixtures.home)
        #expect(policy.shadow)
        #expect(policy.rule(forCommand: "rm x")?.effect == .deny)
    }

    @Test func unknownKeyInJSONPolicyIsStillAnError() {
        let text = #"{"version": 1, "permisions": {}}"#
        let result = PolicyLoader.validate(
            inputs: [.init(name: "/p/policy.json", text: text)], profile: nil, cwd: PolicyFixtures.cwd, home: PolicyFixtures.home)
        #expect(result.issues.contains { $0.message.contains("did you mean 'permissions'") && $0.line == 1 })
    }

    @Test(arguments: [
        ("/home/alice/project", true), ("/home/alice/project/src/a", true), ("/home/alice/projectx", false),
        ("/home/alice/shared/x", true), ("/opt/tools", true), ("/opt/toolsx", false), ("/etc/passwd", false),
    ])
    func workspace(_ path: String, _ inside: Bool) throws {
        let policy = try PolicyFixtures.load("version: 1\nadditional_directories: [../shared, \"//opt/tools\"]\n")
        #expect(policy.isInWorkspace(path) == inside)
    }
}
