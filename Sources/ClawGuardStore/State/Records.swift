import ClawGuardCore
import Foundation

/// One tool call as the hook sees it, to be checked against the limits and recorded.
public struct ToolCallEvent: Sendable, Hashable {
    public var session: String
    public var agent: String
    public var user: String
    public var cwd: String?
    public var tool: String
    /// The tool input as the agent sent it (redacted before it is written).
    public var input: JSONValue
    /// Identifies "the same call" for loop detection; by default SHA-256 of the canonical JSON of tool and input.
    public var fingerprint: String
    /// The agent's transcript (Claude Code's `transcript_path`) for reading the session's spend.
    public var transcriptPath: String?

    public init(session: String, agent: String, user: String, cwd: String? = nil, tool: String, input: JSONValue,
                fingerprint: String? = nil, transcriptPath: String? = nil) {
        self.session = session
        self.agent = agent
        self.user = user
        self.cwd = cwd
        self.tool = tool
        self.input = input
        self.fingerprint = fingerprint ?? Self.fingerprint(tool: tool, input: input)
        self.transcriptPath = transcriptPath
    }

    /// SHA-256 (hex) of the canonical JSON `{"input":…,"tool":…}`.
    public static func fingerprint(tool: String, input: JSONValue) -> String {
        AuditRecord.sha256Hex(Data(CanonicalJSON.encode(.object(["tool": .string(tool), "input": input])).utf8))
    }
}

/// Which limit stopped a call.
public enum LimitKind: String, Sendable, Hashable, Codable, CaseIterable {
    case killSwitch = "kill-switch"
    case sessionTerminated = "session-terminated"
    case sessionTimeout = "session-timeout"
    case timeWindow = "time-window"
    case rateLimit = "rate-limit"
    case sessionBudget = "session-budget"
    case dailyBudget = "daily-budget"
    case budgetUnknown = "budget-unknown"
    case loop = "loop"
}

/// One limit a call ran into: which, the rule as the policy names it, and why, in words.
public struct LimitHit: Sendable, Hashable, Codable {
    public var kind: LimitKind
    public var rule: String
    public var reason: String

    public init(_ kind: LimitKind, rule: String, reason: String) {
        self.kind = kind
        self.rule = rule
        self.reason = reason
    }
}

/// A session as stored.
public struct SessionSnapshot: Sendable, Hashable, Codable {
    public var id: String
    public var agent: String
    public var user: String
    public var cwd: String?
    public var startedAt: Date
    public var lastActivity: Date
    public var endedAt: Date?
    /// `active`, `ended`, `terminated`, `timed_out`.
    public var status: String
    public var statusReason: String?
    public var costUSD: Double
    /// The spend includes a model priced at the most expensive known price, or unreadable transcript lines.
    public var costFlagged: Bool
    public var calls: Int
    /// Tool-call counts by tool and status (`allow`, `ask`, `deny`, and `success`/`error` from results).
    public var counts: [String: [String: Int]]
}

/// The answer for one tool call.
public struct ToolCallOutcome: Sendable, Hashable {
    /// The decision ClawGuard computed: the verdict's, raised to deny by any limit hit.
    public var decision: Decision
    /// What to enforce: `decision`, except in shadow mode, where it is `allow` unless the kill switch is on.
    public var enforced: Decision
    /// Shadow mode was on for this call.
    public var shadow: Bool
    /// A human-readable reason for `decision`.
    public var reason: String
    /// The rule that decided (the first limit hit's rule, else the verdict's).
    public var rule: String?
    /// Every limit the call ran into.
    public var hits: [LimitHit]
    /// Warnings (budget thresholds crossed, unknown model prices) to pass on to the user.
    public var warnings: [String]
    /// The session after this call.
    public var session: SessionSnapshot
    /// The audit records written for this call.
    public var audit: [AuditRecord]
}

/// A new session's details.
public struct SessionStart: Sendable, Hashable {
    public var session: String
    public var agent: String
    public var user: String
    public var cwd: String?
    public var transcriptPath: String?
    /// Free-form start details for the `agent_started` event (`tools`, `budget`, `source`…).
    public var details: [String: JSONValue]

    public init(session: String, agent: String, user: String, cwd: String? = nil, transcriptPath: String? = nil,
                details: [String: JSONValue] = [:]) {
        self.session = session
        self.agent = agent
        self.user = user
        self.cwd = cwd
        self.transcriptPath = transcriptPath
        self.details = details
    }
}

/// The kill switch's state.
public struct KillSwitchState: Sendable, Hashable, Codable {
    public var on: Bool
    public var reason: String?
    public var changedAt: Date?
    public var changedBy: String?
}

extension ToolCallEvent {
    /// The event for a Claude Code `PreToolUse` hook input (`session_id`, `tool_name`, `tool_input`, `cwd`,
    /// `transcript_path`), as the real CLI sends it (see Tests/E2E).
    /// - Throws: `ClawGuardError(.invalidInput)` naming the missing field when `session_id` or `tool_name` is absent.
    public static func claudeHook(_ input: JSONValue, agent: String = "claude-code", user: String) throws(ClawGuardError) -> ToolCallEvent {
        guard case .object = input else { throw ClawGuardError(.invalidInput, "hook input is not a JSON object") }
        guard let session = input["session_id"]?.stringValue, !session.isEmpty else {
            throw ClawGuardError(.invalidInput, "hook input has no session_id")
        }
        guard let tool = input["tool_name"]?.stringValue, !tool.isEmpty else {
            throw ClawGuardError(.invalidInput, "hook input has no tool_name")
        }
        return ToolCallEvent(session: session, agent: agent, user: user, cwd: input["cwd"]?.stringValue, tool: tool,
                             input: input["tool_input"] ?? .null, transcriptPath: input["transcript_path"]?.stringValue)
    }
}
