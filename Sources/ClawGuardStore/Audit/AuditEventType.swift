/// How serious an audit event is; maps onto syslog severities.
public enum AuditSeverity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case info, warning, error, critical

    /// RFC 5424 severity number.
    public var syslogSeverity: Int {
        switch self {
        case .info: 6
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// CEF severity 0–10.
    public var cefSeverity: Int {
        switch self {
        case .info: 3
        case .warning: 6
        case .error: 8
        case .critical: 10
        }
    }

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// One kind of audit event: its name, severity, the detail fields it carries and whether it is a security
/// event (forwarded to syslog). The table is the reference design's critical-events table plus ClawGuard's own.
public struct AuditEventType: Sendable, Hashable, Codable, CustomStringConvertible {
    public var name: String
    public var severity: AuditSeverity
    /// The `details` fields this event carries (documentation; see docs/AUDIT-TRAIL.md).
    public var fields: [String]
    /// Forwarded to syslog / SIEMs by default.
    public var security: Bool

    public init(_ name: String, _ severity: AuditSeverity, fields: [String], security: Bool) {
        self.name = name
        self.severity = severity
        self.fields = fields
        self.security = security
    }

    public var description: String { name }

    public static let agentStarted = AuditEventType("agent_started", .info, fields: ["tools", "budget"], security: false)
    public static let toolInvoked = AuditEventType("tool_invoked", .info, fields: ["parameters", "approved"], security: false)
    public static let toolBlocked = AuditEventType("tool_blocked", .warning, fields: ["parameters", "hits"], security: true)
    public static let approvalRequested = AuditEventType("approval_requested", .info, fields: ["action", "risk_level"], security: false)
    public static let approvalDenied = AuditEventType("approval_denied", .warning, fields: ["action"], security: true)
    /// An approval granted by a person, a webhook or a command approver (the gateway).
    public static let approvalGranted = AuditEventType("approval_granted", .info, fields: ["action", "approval_id", "decided_by", "scope"], security: false)
    public static let budgetExceeded = AuditEventType("budget_exceeded", .warning, fields: ["limit", "actual"], security: true)
    public static let timeout = AuditEventType("timeout", .error, fields: ["duration"], security: true)
    public static let error = AuditEventType("error", .error, fields: ["error_type", "stack_trace"], security: true)
    public static let securityViolation = AuditEventType("security_violation", .critical, fields: ["violation_type", "details"], security: true)
    public static let agentCompleted = AuditEventType("agent_completed", .info, fields: ["duration", "cost", "success"], security: false)
    // ClawGuard's own lifecycle events.
    public static let budgetWarning = AuditEventType("budget_warning", .warning, fields: ["limit", "actual", "threshold"], security: true)
    public static let killSwitch = AuditEventType("kill_switch", .critical, fields: ["on", "reason"], security: true)
    public static let sessionTerminated = AuditEventType("session_terminated", .warning, fields: ["reason"], security: true)
    /// A connection through the sandbox's egress proxy (refused ones are `security_violation`s).
    public static let networkConnection = AuditEventType("network_connection", .info, fields: ["host", "port", "method"], security: false)

    /// Every known event type.
    public static let all: [AuditEventType] = [
        agentStarted, toolInvoked, toolBlocked, approvalRequested, approvalDenied, budgetExceeded, timeout, error,
        securityViolation, agentCompleted, budgetWarning, killSwitch, sessionTerminated, networkConnection,
        approvalGranted,
    ]

    /// The event type called `name`, or nil.
    public static func named(_ name: String) -> AuditEventType? { all.first { $0.name == name } }
}
