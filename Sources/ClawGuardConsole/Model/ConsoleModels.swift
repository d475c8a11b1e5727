import ClawGuardStore
import Foundation

/// How long an approval holds: this call only, every identical call of the session, or always (a policy rule).
public enum ConsoleApprovalScope: String, Sendable, Hashable, CaseIterable {
    case once, session, always

    /// Words for the button.
    public var label: String {
        switch self {
        case .once: "once"
        case .session: "for this session"
        case .always: "always"
        }
    }
}

/// A risk the analysis found: its kind (`destructive`, `network`, `dynamic`…) and what exactly.
public struct RiskItem: Sendable, Hashable {
    public var kind: String
    public var detail: String

    public init(kind: String, detail: String) {
        self.kind = kind
        self.detail = detail
    }
}

/// An approval request as the console shows it. Every string may be attacker-controlled.
public struct ApprovalItem: Sendable, Hashable {
    public var id: String
    public var createdAt: Date
    /// `pending`, `approved`, `denied`, `expired`.
    public var status: String
    public var session: String?
    public var agent: String?
    public var user: String?
    public var tool: String
    /// The shell command (Bash) or a one-line summary of the input.
    public var command: String?
    /// The tool input as pretty-printed JSON.
    public var input: String?
    /// The engine's reason for asking.
    public var reason: String?
    /// The rule that asked.
    public var rule: String?
    /// `low`, `medium`, `high`, `critical`, or the risk kinds joined.
    public var riskLevel: String?
    public var risks: [RiskItem]
    /// A unified diff for Edit / Write / MultiEdit inputs.
    public var diff: String?
    public var decidedBy: String?
    public var decidedAt: Date?
    public var scope: String?
    public var decisionReason: String?

    public init(id: String, createdAt: Date, status: String = "pending", session: String? = nil, agent: String? = nil,
                user: String? = nil, tool: String, command: String? = nil, input: String? = nil, reason: String? = nil,
                rule: String? = nil, riskLevel: String? = nil, risks: [RiskItem] = [], diff: String? = nil,
                decidedBy: String? = nil, decidedAt: Date? = nil, scope: String? = nil, decisionReason: String? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.status = status
        self.session = session
        self.agent = agent
        self.user = user
        self.tool = tool
        self.command = command
        self.input = input
        self.reason = reason
        self.rule = rule
        self.riskLevel = riskLevel
        self.risks = risks
        self.diff = diff
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.scope = scope
        self.decisionReason = decisionReason
    }
}

/// An agent run started through the worker API (`/v1/runs`), as the console shows it.
public struct RunItem: Sendable, Hashable {
    public var id: String
    public var user: String
    /// `queued`, `running`, `awaiting_approval`, `completed`, `failed`, `cancelled`, `timed_out`, `budget_exceeded`.
    public var status: String
    public var profile: String?
    public var prompt: String?
    public var costUSD: Double
    public var budgetUSD: Double?
    public var startedAt: Date
    public var endedAt: Date?
    /// The session the run's agent uses (links to its timeline).
    public var session: String?

    public init(id: String, user: String, status: String, profile: String? = nil, prompt: String? = nil,
                costUSD: Double = 0, budgetUSD: Double? = nil, startedAt: Date, endedAt: Date? = nil, session: String? = nil) {
        self.id = id
        self.user = user
        self.status = status
        self.profile = profile
        self.prompt = prompt
        self.costUSD = costUSD
        self.budgetUSD = budgetUSD
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.session = session
    }

    /// Still going.
    public var isActive: Bool { ["queued", "running", "awaiting_approval"].contains(status) }
}

/// Budgets shown against spend on the dashboard (from the policy's `budgets`).
public struct ConsoleBudgets: Sendable, Hashable {
    public var sessionUSD: Double?
    public var dailyUSDPerUser: Double?

    public init(sessionUSD: Double? = nil, dailyUSDPerUser: Double? = nil) {
        self.sessionUSD = sessionUSD
        self.dailyUSDPerUser = dailyUSDPerUser
    }
}

/// An audit search as typed into the form.
public struct AuditSearch: Sendable, Hashable {
    public var session: String?
    public var type: String?
    /// Substring match over tool, reason, rule, user and details.
    public var text: String?
    /// Show records with `seq` below this (older page); nil: the newest.
    public var beforeSeq: Int64?
    public var limit: Int
    /// Re-read the whole trail instead of continuing from the last verified record.
    public var fullVerification: Bool

    public init(session: String? = nil, type: String? = nil, text: String? = nil, beforeSeq: Int64? = nil, limit: Int = 100,
                fullVerification: Bool = false) {
        self.session = session
        self.type = type
        self.text = text
        self.beforeSeq = beforeSeq
        self.limit = limit
        self.fullVerification = fullVerification
    }
}

/// One page of audit search results with the chain's verification status.
public struct AuditResults: Sendable, Hashable {
    public var records: [AuditRecord]
    public var verification: AuditVerification?
    /// Set when verification itself failed (the store could not be read): shown as "not verified", never as ok.
    public var verificationError: String?
    /// The `beforeSeq` of the next (older) page, nil at the end.
    public var nextBeforeSeq: Int64?

    public init(records: [AuditRecord], verification: AuditVerification?, verificationError: String? = nil,
                nextBeforeSeq: Int64? = nil) {
        self.records = records
        self.verification = verification
        self.verificationError = verificationError
        self.nextBeforeSeq = nextBeforeSeq
    }
}
