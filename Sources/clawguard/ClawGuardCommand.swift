import ArgumentParser
import ClawGuardGatewayClient
import ClawGuardHooks

/// `clawguard` — the command-line entry point. Wiring only: every command delegates to a library target.
@main
struct ClawGuardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clawguard",
        abstract: "The security layer between AI agents and the machines, data and money they can reach.",
        version: ClawGuardVersion.current,
        subcommands: [
            // Decisions (Commands/Check, Commands/Policy)
            CheckCommand.self, PolicyCommand.self, InitCommand.self,
            // Agents (Commands/Hooks, Commands/State)
            HookCommand.self, InstallCommand.self, UninstallCommand.self, StatusCommand.self,
            KillSwitchCommand.self, LogCommand.self,
            // Containment (Commands/Run)
            RunCommand.self, ChangesCommand.self,
            // Content (Commands/Scan)
            ScanCommand.self, RedactCommand.self,
            // Configuration audit (Commands/Audit)
            AuditCommand.self,
            // Gateway (Commands/Serve, Commands/Approvals)
            ServeCommand.self, TokenCommand.self, ApprovalsCommand.self,
            // Monitoring (Commands/Alerts)
            AlertsCommand.self, MetricsCommand.self,
        ]
    )
}

extension ClawGuardCommand {
    /// `clawguard hook …` starts once per tool call: it is answered before the argument parser is set up.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let (dialect, options) = HookFastPath.parse(arguments) {
            HookFastPath.answer(dialect, options, http: { URLSessionTransport(base: $0) })
        }
        await main(nil)
    }
}

/// Thrown by commands that are not built yet; exits 1 with a clear message.
struct NotImplemented: Error, CustomStringConvertible {
    var command: String
    var description: String { "clawguard \(command) is not implemented yet" }
}
