import ClawGuardCore
import ClawGuardStore
import Foundation

/// One thing that happened, as metrics and alerts see it. Most come from the audit trail (see
/// `AuditEventMapping`); the gateway reports the rest (authentication failures, rate-limit rejections, decision
/// latency) through `MonitoringService.report(_:)`.
public struct MonitoringEvent: Sendable, Hashable {
    /// What happened.
    public struct Kind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A session started (`agent_started`).
        public static let sessionStarted = Kind(rawValue: "session_started")
        /// A session ended (`agent_completed`); `value` is its duration in seconds.
        public static let sessionEnded = Kind(rawValue: "session_ended")
        /// A session's total spend at its end (`agent_completed`); `value` is USD.
        public static let sessionCost = Kind(rawValue: "session_cost")
        /// A session was terminated or timed out: no more calls will pass.
        public static let sessionStopped = Kind(rawValue: "session_stopped")
        /// A tool call was allowed (`tool_invoked`).
        public static let toolAllowed = Kind(rawValue: "tool_allowed")
        /// A tool call needs approval (`approval_requested`).
        public static let toolAsked = Kind(rawValue: "tool_asked")
        /// A tool call was denied (`tool_blocked`).
        public static let toolBlocked = Kind(rawValue: "tool_blocked")
        /// A tool ran and failed (`error` with a tool).
        public static let toolError = Kind(rawValue: "tool_error")
        /// A security violation; label `violation_type`.
        public static let securityViolation = Kind(rawValue: "security_violation")
        /// A call was refused by a rate limit (store or gateway).
        public static let rateLimited = Kind(rawValue: "rate_limited")
        /// A budget was exhausted (`budget_exceeded`).
        public static let budgetExceeded = Kind(rawValue: "budget_exceeded")
        /// Spend observed on a session since the last observation; `value` is USD.
        public static let cost = Kind(rawValue: "cost")
        /// The kill switch changed; label `on` is `true` or `false`.
        public static let killSwitch = Kind(rawValue: "kill_switch")
        /// An approval was denied (`approval_denied`).
        public static let approvalDenied = Kind(rawValue: "approval_denied")
        /// A request failed authentication (gateway).
        public static let authFailure = Kind(rawValue: "auth_failure")
        /// How long a decision took; `value` is seconds (gateway).
        public static let decisionLatency = Kind(rawValue: "decision_latency")
        /// How many approvals wait for a person now; `value` is the count (gateway).
        public static let pendingApprovals = Kind(rawValue: "pending_approvals")
    }

    public var kind: Kind
    public var time: Date
    /// The audit record it came from (nil for reported events).
    public var seq: Int64?
    public var session: String?
    public var agent: String?
    public var user: String?
    public var tool: String?
    /// Seconds, USD or a count, depending on `kind`; 1 for plain occurrences.
    public var value: Double
    /// Extra dimensions (`violation_type`, `on`, `reason`…).
    public var labels: [String: String]
    /// The reason recorded with it, if any.
    public var reason: String?

    public init(_ kind: Kind, time: Date = Date(), seq: Int64? = nil, session: String? = nil, agent: String? = nil,
                user: String? = nil, tool: String? = nil, value: Double = 1, labels: [String: String] = [:],
                reason: String? = nil) {
        self.kind = kind
        self.time = time
        self.seq = seq
        self.session = session
        self.agent = agent
        self.user = user
        self.tool = tool
        self.value = value
        self.labels = labels
        self.reason = reason
    }

    /// An authentication failure at the gateway.
    public static func authFailure(reason: String? = nil, time: Date = Date()) -> MonitoringEvent {
        MonitoringEvent(.authFailure, time: time, reason: reason)
    }

    /// A request refused by the gateway's rate limit.
    public static func rateLimited(user: String?, time: Date = Date()) -> MonitoringEvent {
        MonitoringEvent(.rateLimited, time: time, user: user, labels: ["source": "gateway"])
    }

    /// How long one decision took.
    public static func decisionLatency(seconds: Double, time: Date = Date()) -> MonitoringEvent {
        MonitoringEvent(.decisionLatency, time: time, value: seconds)
    }

    /// How many approvals are pending now.
    public static func pendingApprovals(_ count: Int, time: Date = Date()) -> MonitoringEvent {
        MonitoringEvent(.pendingApprovals, time: time, value: Double(count))
    }
}
