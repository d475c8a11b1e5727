import ArgumentParser
import ClawGuardHooks
import ClawGuardRunCLI
import Testing

@testable import clawguard_full

/// The slim front parses `run` and `hook` itself; whatever it accepts must mean exactly what `clawguard-full`'s
/// ArgumentParser commands make of it, and whatever it cannot be sure of must be handed over (nil).
@Suite struct FastPathParsingTests {
    static let runLines: [[String]] = [
        ["--", "/bin/true"],
        ["--no-cgroups", "--workspace", "/tmp/ws", "--", "/bin/true"],
        ["--workspace=/tmp/ws", "--json", "--", "sh", "-c", "echo hi"],
        ["--network", "allowlist", "--allow-domain", "example.com", "--allow-domain", "*.github.com",
         "--deny-domain", "evil.example.com", "--allow-port", "443", "--allow-port", "8443", "--proxy-port", "3129",
         "--", "curl", "https://example.com"],
        ["--timeout", "30s", "--memory", "512m", "--processes", "64", "--cpu-seconds", "10", "--open-files", "256",
         "--file-size", "1g", "--tmp-size", "50m", "--tmp-exec", "--", "make", "-j2"],
        ["--ro-bind", "/opt/data", "--bind", "/tmp/out:/out", "--env", "A=1", "--env", "TERM", "--cwd", "/workspace/src",
         "--", "ls", "-la"],
        ["--profile", "strict", "--policy", "p.yaml", "--state", "s.db", "--overlay", "--runs-dir", "/tmp/runs", "--", "true"],
        ["--policy", "a.yaml", "--policy", "b.yaml", "--profile", "p", "--", "true"],
        ["--no-workspace", "--backend", "docker", "--image", "debian:12", "--", "true"],
        ["--memory", "1g", "--memory", "2g", "--", "true"],
        ["--", "--", "true"],
        ["--", "sh", "--", "-x"],
    ]

    @Test(arguments: runLines)
    func runParsersAgree(_ words: [String]) throws {
        let fast = try #require(RunArguments.parse(words), "the front must accept \(words)")
        let full = try RunCommand.parse(words).invocation
        #expect(fast == full)
    }

    /// Lines the front must not interpret (help, short flags, unknown or malformed options, no command).
    static let handedOver: [[String]] = [
        ["--help"], ["-h"], ["/bin/true"], ["--"], ["--workspace"], ["--processes", "many", "--", "true"],
        ["--no-such-flag", "--", "true"], ["--json=yes", "--", "true"], ["--memory", "--", "true"],
    ]

    @Test(arguments: handedOver)
    func runLinesTheFrontHandsOver(_ words: [String]) {
        #expect(RunArguments.parse(words) == nil)
    }

    /// Every option of `RunCommand` is in the front's table, and nothing else.
    @Test func runOptionTablesMatch() {
        let names = Set(RunCommand.helpMessage(columns: 400).split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("--") else { return nil }
            return String(trimmed.dropFirst(2).prefix { $0.isLetter || $0.isNumber || $0 == "-" })
        }).subtracting(["help"])
        #expect(names == RunArguments.optionNames)
    }

    static let hookLines: [[String]] = [
        ["hook", "claude"],
        ["hook", "codex", "--policy", "a.yaml", "--policy", "b.yaml", "--profile", "p", "--state", "s.db",
         "--agent", "me", "--timeout-ms", "900"],
        ["hook", "claude", "--server", "unix:/run/cg/gateway.sock", "--token-file", "/run/cg/token", "--server-wait", "20"],
        ["hook", "codex", "--server", "http://127.0.0.1:8080", "--server-wait", "0.5", "--agent", "w"],
        ["hook", "claude", "--server", "unix:relative.sock", "--server-wait", "1e1"],
    ]

    @Test(arguments: hookLines)
    func hookParsersAgree(_ words: [String]) throws {
        let (dialect, fast) = try #require(HookFastPath.parse(words))
        let full: HookSettings
        switch dialect {
        case .claude: full = try ClaudeHookCommand.parse(Array(words.dropFirst(2))).options.settings
        case .codex: full = try CodexHookCommand.parse(Array(words.dropFirst(2))).options.settings
        }
        #expect(fast == full)
    }

    @Test(arguments: [["hook", "claude", "--help"], ["hook", "gemini"], ["hook", "claude", "--timeout-ms", "x"], ["hook"],
                             ["hook", "claude", "--server-wait", "soon"], ["hook", "claude", "--server"],
                             ["hook", "claude", "--server=unix:/x"], ["hook", "claude", "--token", "t"]])
    func hookLinesTheFrontHandsOver(_ words: [String]) {
        #expect(HookFastPath.parse(words).map { _ in true } == nil)
    }
}
