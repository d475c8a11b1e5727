/// One action an agent wants to take: a tool name (`Bash`, `Read`, `Edit`, `WebFetch`, `mcp__server__tool`…),
/// the tool's input as the agent sent it, and the working directory it was sent from.
public struct ToolCall: Codable, Sendable, Hashable {
    public var tool: String
    public var input: JSONValue
    /// Absolute working directory of the agent; relative paths in the input resolve against it.
    public var cwd: String?

    public init(tool: String, input: JSONValue, cwd: String? = nil) {
        self.tool = tool
        self.input = input
        self.cwd = cwd
    }

    /// A `Bash` call with `command`.
    public static func bash(_ command: String, cwd: String? = nil) -> ToolCall {
        ToolCall(tool: "Bash", input: .object(["command": .string(command)]), cwd: cwd)
    }
}

/// What ClawGuard answers for one tool call: the decision, a human-readable reason, the rule that decided
/// (nil when the permission mode's default decided), the risks found, and the commands that would run.
/// This is the `check --jsonl` output object and the `/v1/decide` answer.
public struct Verdict: Codable, Sendable, Hashable {
    public var decision: Decision
    public var reason: String
    public var rule: String?
    public var risks: [Risk]
    public var commands: [CommandReport]

    public init(decision: Decision, reason: String, rule: String? = nil, risks: [Risk] = [], commands: [CommandReport] = []) {
        self.decision = decision
        self.reason = reason
        self.rule = rule
        self.risks = risks
        self.commands = commands
    }

    private enum CodingKeys: String, CodingKey { case decision, reason, rule, risks, commands }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        decision = try c.decode(Decision.self, forKey: .decision)
        reason = try c.decode(String.self, forKey: .reason)
        rule = try c.decodeIfPresent(String.self, forKey: .rule)
        risks = try c.decodeIfPresent([Risk].self, forKey: .risks) ?? []
        commands = try c.decodeIfPresent([CommandReport].self, forKey: .commands) ?? []
    }

    /// Encodes every key, with `rule: null` when no rule decided (the `check --jsonl` format).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(decision, forKey: .decision)
        try c.encode(reason, forKey: .reason)
        if let rule { try c.encode(rule, forKey: .rule) } else { try c.encodeNil(forKey: .rule) }
        try c.encode(risks, forKey: .risks)
        try c.encode(commands, forKey: .commands)
    }

    /// A deny for input that could not be judged; fail closed.
    public static func failClosed(_ reason: String, kind: RiskKind = .parseError) -> Verdict {
        Verdict(decision: .deny, reason: reason, rule: nil, risks: [Risk(kind, reason)])
    }

    /// The stricter of two verdicts on the same call (deny > ask > allow; on a tie, `self`). When `other` decides,
    /// its reason says which policy it came from (`layer`), so the explanation names it.
    public func strictest(_ other: Verdict, layer: String) -> Verdict {
        guard other.decision > decision else { return self }
        var chosen = other
        chosen.reason = "\(layer): \(other.reason)"
        return chosen
    }
}

/// One simple command that would run, as reported in a verdict.
public struct CommandReport: Codable, Sendable, Hashable {
    /// argv after quote removal; dynamic parts are shown as written (e.g. `$HOME`).
    public var argv: [String]
    /// Where the command sits: `top`, `pipeline`, `substitution`, `background`, `wrapped-by:sudo`…
    public var context: String
    /// This command's own decision.
    public var decision: Decision
    /// The rule that decided this command, if any.
    public var rule: String?
    /// Why.
    public var reason: String

    public init(argv: [String], context: String, decision: Decision, rule: String?, reason: String) {
        self.argv = argv
        self.context = context
        self.decision = decision
        self.rule = rule
        self.reason = reason
    }
}
