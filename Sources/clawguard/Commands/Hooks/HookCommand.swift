import ArgumentParser
import ClawGuardGatewayClient
import ClawGuardHooks

/// `clawguard hook claude|codex`: answers an agent's command hook. Reads the hook's JSON on stdin, decides,
/// records, answers on stdout. Fails closed: any error, or overrunning its own time budget, is a deny
/// (exit 2, the reason on stderr), never an allow.
struct HookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook", abstract: "Answer an agent's hook (claude, codex).",
        subcommands: [ClaudeHookCommand.self, CodexHookCommand.self])
}

/// Options every hook takes.
struct HookOptions: ParsableArguments {
    @Option(name: .customLong("policy"), help: ArgumentHelp("A policy file; repeat to layer several (default: discovery from the hook's cwd).", valueName: "FILE"))
    var policies: [String] = []

    @Option(help: ArgumentHelp("The profile to apply.", valueName: "NAME"))
    var profile: String?

    @Option(help: ArgumentHelp("State database (default: $CLAWGUARD_STATE or ~/.clawguard/state.db).", valueName: "PATH"))
    var state: String?

    @Option(help: ArgumentHelp("The agent's name in sessions and the audit trail.", valueName: "NAME"))
    var agent: String?

    @Option(name: .customLong("timeout-ms"), help: ArgumentHelp("ClawGuard's own time budget; past it the answer is deny.", valueName: "MS"))
    var timeoutMilliseconds: Int = 5_000

    @Option(help: ArgumentHelp("Ask this ClawGuard gateway instead of deciding locally (token: $CLAWGUARD_TOKEN or --token-file); unreachable means deny.", valueName: "URL"))
    var server: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("A file holding the gateway token.", valueName: "FILE"))
    var tokenFile: String?

    @Option(name: .customLong("server-wait"), help: ArgumentHelp("Seconds to wait for the gateway (approvals included) before denying.", valueName: "S"))
    var serverWait: Double = 130

    /// Answers the hook — through the gateway when `--server` is given — as the fast paths do
    /// (`HookFastPath.answer`), with the URLSession transport for `http(s)://` servers. Never returns.
    func answer(_ dialect: HookDialect) -> Never {
        HookFastPath.answer(dialect, settings, http: { URLSessionTransport(base: $0) })
        fatalError("HookFastPath.answer returns only without an HTTP transport")
    }

    var settings: HookSettings {
        HookSettings(policies: policies, profile: profile, state: state, agent: agent, timeoutMilliseconds: timeoutMilliseconds,
                     server: server, tokenFile: tokenFile, serverWait: serverWait)
    }
}

struct ClaudeHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claude", abstract: "Claude Code's command-hook protocol (PreToolUse, PostToolUse, UserPromptSubmit, SessionStart, SessionEnd, Stop).")

    @OptionGroup var options: HookOptions

    func run() throws {
        options.answer(.claude)
    }
}

struct CodexHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codex", abstract: "Codex's hook protocol (PreToolUse; an ask becomes a deny that says what approval is needed).")

    @OptionGroup var options: HookOptions

    func run() throws {
        options.answer(.codex)
    }
}

