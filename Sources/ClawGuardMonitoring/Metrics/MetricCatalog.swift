import ClawGuardCore

/// The metrics ClawGuard exports, as a table: the reference design's metrics (docs/04-monitoring.md and
/// examples/alert-rules.yml) plus decision latency, pending approvals and audit events. Names are
/// `PREFIX_` + `suffix`; with the prefix `openclaw` they are exactly the reference's names.
public enum MetricCatalog {
    /// The Prometheus metric type.
    public enum Kind: String, Sendable { case counter, gauge, histogram }

    /// One exported metric.
    public struct Metric: Sendable, Hashable {
        public var suffix: String
        public var kind: Kind
        public var labels: [String]
        public var help: String
        /// Histogram bucket upper bounds.
        public var buckets: [Double]

        public init(_ suffix: String, _ kind: Kind, labels: [String] = [], buckets: [Double] = [], help: String) {
            self.suffix = suffix
            self.kind = kind
            self.labels = labels
            self.help = help
            self.buckets = buckets
        }

        /// The full name under `prefix`.
        public func name(_ prefix: String) -> String { prefix + "_" + suffix }
    }

    public static let agentSessions = Metric(
        "agent_sessions_total", .counter, labels: ["user_id", "agent_type"], help: "Total agent sessions started")
    public static let toolInvocations = Metric(
        "tool_invocations_total", .counter, labels: ["tool", "status"],
        help: "Total tool invocations by outcome (success, error, blocked)")
    public static let securityViolations = Metric(
        "security_violations_total", .counter, labels: ["violation_type"], help: "Security violations detected")
    public static let sessionDuration = Metric(
        "session_duration_seconds", .histogram, buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
        help: "Agent session duration in seconds")
    public static let apiCost = Metric(
        "api_cost_usd", .histogram, buckets: [0.01, 0.05, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0], help: "API cost per session in USD")
    public static let activeSessions = Metric(
        "active_sessions", .gauge, help: "Number of currently active agent sessions")
    public static let budgetRemaining = Metric(
        "budget_remaining_usd", .gauge, labels: ["user_id"], help: "Remaining daily budget in USD")
    public static let authFailures = Metric(
        "auth_failures_total", .counter, help: "Failed authentications at the gateway")
    public static let rateLimitExceeded = Metric(
        "rate_limit_exceeded_total", .counter, labels: ["user_id"], help: "Calls and requests refused by a rate limit")
    public static let decisionLatency = Metric(
        "decision_latency_seconds", .histogram,
        buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1], help: "Time to decide one tool call")
    public static let pendingApprovals = Metric(
        "pending_approvals", .gauge, help: "Approval requests waiting for a person")
    public static let spend = Metric(
        "spend_usd_total", .counter, labels: ["user_id"], help: "API spend observed on sessions in USD, as it happens")
    public static let approvalRequests = Metric(
        "approval_requests_total", .counter, help: "Tool calls that asked a person for approval")
    public static let budgetExceeded = Metric(
        "budget_exceeded_total", .counter, labels: ["user_id"], help: "Tool calls denied because a budget was spent")
    public static let sessionToolCallsMax = Metric(
        "session_tool_calls_max", .gauge, labels: ["tool"],
        help: "The most calls of one tool (tool=\"all\": of all tools) made by any one active session")
    public static let auditEvents = Metric(
        "audit_events_total", .counter, labels: ["type"], help: "Audit trail records seen, by event type")

    /// Every metric, in the order they are documented.
    public static let all: [Metric] = [
        agentSessions, toolInvocations, securityViolations, sessionDuration, apiCost, activeSessions, budgetRemaining,
        authFailures, rateLimitExceeded, decisionLatency, pendingApprovals, spend, approvalRequests, budgetExceeded,
        sessionToolCallsMax, auditEvents,
    ]

    /// Checks a name prefix: a Prometheus metric name start (`[a-zA-Z_:][a-zA-Z0-9_:]*`), without a trailing `_`.
    /// - Throws: `ClawGuardError(.invalidInput)` saying what is wrong.
    public static func validate(prefix: String) throws(ClawGuardError) {
        guard let first = prefix.unicodeScalars.first else {
            throw ClawGuardError(.invalidInput, "the metric name prefix is empty; use e.g. 'clawguard' or 'openclaw'")
        }
        func letter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || c == ":" }
        guard letter(first), prefix.unicodeScalars.allSatisfy({ letter($0) || ("0"..."9").contains($0) }) else {
            throw ClawGuardError(.invalidInput, "metric name prefix '\(prefix)' must match [a-zA-Z_:][a-zA-Z0-9_:]*")
        }
        guard !prefix.hasSuffix("_") else {
            throw ClawGuardError(.invalidInput, "metric name prefix '\(prefix)' must not end in '_' (it is added)")
        }
    }
}
