import ClawGuardCore
import Foundation

/// How far an approval reaches: this call, every identical call of the session, or every identical call.
public enum ApprovalScope: String, Sendable, Codable, CaseIterable {
    case once, session, always
}

/// An approval's state.
public enum ApprovalStatus: String, Sendable, Codable, CaseIterable {
    case pending, approved, denied, expired
}

/// One approval request with its whole context.
public struct ApprovalRecord: Sendable, Codable, Hashable {
    public var id: String
    public var createdAt: Date
    public var session: String
    public var agent: String
    public var user: String
    public var tool: String
    /// Identifies identical calls (see `ToolCallEvent.fingerprint`).
    public var fingerprint: String
    public var cwd: String?
    /// The tool input, credentials redacted.
    public var input: JSONValue
    /// The decision engine's verdict (analysis, risks, per-command reports).
    public var verdict: Verdict
    /// The risks in one line (`exec,network`), or `unknown`.
    public var risk: String
    /// A diff preview for Edit, Write and MultiEdit.
    public var diff: String?
    public var status: ApprovalStatus
    public var decidedBy: String?
    public var reason: String?
    public var scope: ApprovalScope?
    public var decidedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, createdAt = "created_at", session, agent, user, tool, fingerprint, cwd, input, verdict, risk, diff, status
        case decidedBy = "decided_by", reason, scope, decidedAt = "decided_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(session, forKey: .session)
        try c.encode(agent, forKey: .agent)
        try c.encode(user, forKey: .user)
        try c.encode(tool, forKey: .tool)
        try c.encode(fingerprint, forKey: .fingerprint)
        try c.encode(cwd, forKey: .cwd)
        try c.encode(input, forKey: .input)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(risk, forKey: .risk)
        try c.encode(diff, forKey: .diff)
        try c.encode(status, forKey: .status)
        try c.encode(decidedBy, forKey: .decidedBy)
        try c.encode(reason, forKey: .reason)
        try c.encode(scope, forKey: .scope)
        try c.encode(decidedAt, forKey: .decidedAt)
    }

    /// The command (Bash) or the main argument, for one-line displays.
    public var summary: String {
        for key in ["command", "file_path", "notebook_path", "url", "query", "path", "pattern"] {
            if let text = input[key]?.stringValue { return text }
        }
        return JSONText.encode(input)
    }
}

/// A verdict on an approval from any approver (a person through the API, a webhook, a command).
public struct ApprovalDecision: Sendable, Codable, Hashable {
    public var approve: Bool
    public var reason: String?
    public var scope: ApprovalScope

    public init(approve: Bool, reason: String? = nil, scope: ApprovalScope = .once) {
        self.approve = approve
        self.reason = reason
        self.scope = scope
    }
}
