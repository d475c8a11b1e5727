import Foundation

/// How a run's command line is built: argument lists with `{placeholders}`, each replaced inside its own argument
/// (never through a shell, so a prompt cannot become an option or a command).
///
/// Placeholders: `{clawguard}` `{agent}` `{prompt}` `{budget_usd}` `{allowed_tools}` (comma-separated)
/// `{settings}` `{session_id}` `{profile}` `{workspace}` `{state}` `{timeout_seconds}`, and in `sandbox` also
/// `{policy_args}` and `{env_args}` (each expands to several arguments) and `{agent_command}` (the whole agent
/// command line). Paths are as the agent sees them (inside the sandbox) except `{workspace}`, `{state}` and the
/// bind sources, which are host paths.
public struct CommandTemplate: Sendable, Hashable {
    /// The agent's command line.
    public var agent: [String]
    /// The wrapper around it (nil: run the agent directly, for trusted test setups only).
    public var sandbox: [String]?

    public init(agent: [String], sandbox: [String]?) {
        self.agent = agent
        self.sandbox = sandbox
    }

    /// Claude Code headless, with stream-json output and ClawGuard's hooks (per-run `--settings`).
    /// `--` ends the options: a prompt starting with `-` stays a prompt.
    public static let claudeCode: [String] = [
        "{agent}", "-p", "--max-budget-usd", "{budget_usd}", "--allowedTools", "{allowed_tools}",
        "--output-format", "stream-json", "--verbose", "--settings", "{settings}", "--session-id", "{session_id}",
        "--", "{prompt}",
    ]

    /// `clawguard run --profile …` with a restricted workspace and a minimal environment; the agent, its settings,
    /// the policy files are bound read-only, the state directory read-write (for the hook).
    public static let sandboxRun: [String] = [
        "{clawguard}", "run", "{policy_args}", "--profile", "{profile}", "--workspace", "{workspace}",
        "--state", "{state}", "--tmp-exec", "--timeout", "{timeout_seconds}s", "{bind_args}", "{env_args}",
        "--", "{agent_command}",
    ]

    /// The default: Claude Code inside `clawguard run`.
    public static let claudeCodeInSandbox = CommandTemplate(agent: claudeCode, sandbox: sandboxRun)

    /// Expands the template.
    /// - Parameters:
    ///   - values: single-argument placeholders.
    ///   - lists: placeholders that expand to several arguments (`{policy_args}`, `{agent_command}`…).
    /// - Returns: the argument vector (executable first).
    public static func expand(_ template: [String], values: [String: String], lists: [String: [String]]) -> [String] {
        var out: [String] = []
        for argument in template {
            if argument.hasPrefix("{"), argument.hasSuffix("}"), let list = lists[String(argument.dropFirst().dropLast())] {
                out.append(contentsOf: list)
                continue
            }
            out.append(substitute(argument, values))
        }
        return out
    }

    static func substitute(_ argument: String, _ values: [String: String]) -> String {
        guard argument.contains("{") else { return argument }
        // One pass, left to right: a value that itself contains `{name}` is not expanded again.
        var result = ""
        var rest = Substring(argument)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), let value = values[String(after[..<close])] {
                result += value
                rest = after[after.index(after: close)...]
            } else {
                result += "{"
                rest = after
            }
        }
        return result + rest
    }
}
