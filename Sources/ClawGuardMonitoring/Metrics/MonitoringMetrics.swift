import ClawGuardCore
import Foundation
import Prometheus
import Synchronization

/// The reference design's metrics, fed by monitoring events and rendered in the Prometheus text format.
///
/// A tool call's status is `blocked` when it is denied. An allowed (or approved) call is `error` when its result
/// reports a failure (`error` event of the same session and tool), and `success` once `successGrace` has passed
/// without one, or when its session ends; so each call is counted once and every counter only grows.
public final class MonitoringMetrics: Sendable {
    /// The metric name prefix (`clawguard`, or `openclaw` for the reference alert rules).
    public let prefix: String
    /// The registry everything is registered in (the gateway may register its own metrics here too).
    public let registry: PrometheusCollectorRegistry
    /// How long an allowed call waits for a failure report before it counts as a success.
    public let successGrace: TimeInterval
    /// A session with no event for this long no longer counts as active.
    public let activeIdle: TimeInterval

    struct Pending: Sendable {
        var session: String
        var tool: String
        var time: Date
    }

    struct State: Sendable {
        var pending: [Pending] = []
        /// Active session → last event time.
        var active: [String: Date] = [:]
        /// Active session → tool → calls (`all`: every tool).
        var sessionCalls: [String: [String: Int]] = [:]
        /// Tools whose per-session gauge has been set (so it can fall back to 0).
        var gaugedTools: Set<String> = []
    }

    private let state = Mutex(State())

    /// - Parameters:
    ///   - prefix: the metric name prefix (validated).
    ///   - successGrace: seconds an allowed call waits for a failure report (default 30).
    ///   - activeIdle: seconds without events after which a session stops counting as active (default 1 h).
    /// - Throws: `ClawGuardError(.invalidInput)` for a bad prefix.
    public init(prefix: String = "clawguard", successGrace: TimeInterval = 30, activeIdle: TimeInterval = 3600,
                registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) throws(ClawGuardError) {
        try MetricCatalog.validate(prefix: prefix)
        self.prefix = prefix
        self.registry = registry
        self.successGrace = successGrace
        self.activeIdle = activeIdle
        // Series without labels exist from the start, so rates and absences are well defined.
        _ = counter(MetricCatalog.authFailures, [])
        _ = gauge(MetricCatalog.activeSessions, [])
        _ = gauge(MetricCatalog.pendingApprovals, [])
        _ = histogram(MetricCatalog.sessionDuration)
        _ = histogram(MetricCatalog.apiCost)
        _ = histogram(MetricCatalog.decisionLatency)
    }

    func counter(_ metric: MetricCatalog.Metric, _ labels: [(String, String)]) -> Counter {
        registry.makeCounter(name: metric.name(prefix), labels: labels, help: metric.help)
    }

    func gauge(_ metric: MetricCatalog.Metric, _ labels: [(String, String)]) -> Gauge {
        registry.makeGauge(name: metric.name(prefix), labels: labels, help: metric.help)
    }

    func histogram(_ metric: MetricCatalog.Metric) -> ValueHistogram {
        registry.makeValueHistogram(name: metric.name(prefix), labels: [], buckets: metric.buckets, help: metric.help)
    }

    /// Counts one audit record type (all records, including those no event comes from).
    public func countAuditRecord(type: String) {
        counter(MetricCatalog.auditEvents, [("type", type)]).increment()
    }

    /// Seeds the active sessions (at start, from the store), so the gauge is right after a restart.
    public func seedActiveSessions(_ sessions: [(id: String, lastActivity: Date)], now: Date = Date()) {
        state.withLock { state in
            for session in sessions where now.timeIntervalSince(session.lastActivity) < activeIdle {
                state.active[session.id] = max(state.active[session.id] ?? .distantPast, session.lastActivity)
            }
        }
        settle(now: now)
    }

    /// Sets a user's remaining daily budget.
    public func setBudgetRemaining(user: String, usd: Double) {
        gauge(MetricCatalog.budgetRemaining, [("user_id", user)]).set(to: usd)
    }

    /// Applies events (oldest first), then settles pending calls as of `now`.
    public func consume(_ events: [MonitoringEvent], now: Date = Date()) {
        var successes: [Pending] = []
        var errors: [(session: String?, tool: String)] = []
        state.withLock { state in
            for event in events {
                if let session = event.session { Self.touch(&state, session: session, kind: event.kind, time: event.time) }
                switch event.kind {
                case .toolBlocked:
                    Self.countCall(&state, event)
                case .toolAllowed, .toolAsked:
                    Self.countCall(&state, event)
                    state.pending.append(Pending(session: event.session ?? "", tool: event.tool ?? "unknown", time: event.time))
                case .toolError:
                    let tool = event.tool ?? "unknown"
                    if let index = state.pending.firstIndex(where: { $0.session == (event.session ?? "") && $0.tool == tool }) {
                        state.pending.remove(at: index)
                    }
                    errors.append((event.session, tool))
                case .sessionEnded, .sessionStopped:
                    let session = event.session ?? ""
                    successes += state.pending.filter { $0.session == session }
                    state.pending.removeAll { $0.session == session }
                default: break
                }
            }
        }
        for event in events { record(event) }
        for error in errors { counter(MetricCatalog.toolInvocations, [("tool", error.tool), ("status", "error")]).increment() }
        for success in successes {
            counter(MetricCatalog.toolInvocations, [("tool", success.tool), ("status", "success")]).increment()
        }
        settle(now: now)
    }

    static func countCall(_ state: inout State, _ event: MonitoringEvent) {
        guard let session = event.session else { return }
        state.sessionCalls[session, default: [:]][event.tool ?? "unknown", default: 0] += 1
        state.sessionCalls[session, default: [:]]["all", default: 0] += 1
    }

    static func touch(_ state: inout State, session: String, kind: MonitoringEvent.Kind, time: Date) {
        switch kind {
        case .sessionEnded, .sessionStopped:
            state.active[session] = nil
            state.sessionCalls[session] = nil
        case .sessionStarted, .toolAllowed, .toolAsked, .toolBlocked, .toolError:
            state.active[session] = max(state.active[session] ?? .distantPast, time)
        default: break
        }
    }

    func record(_ event: MonitoringEvent) {
        switch event.kind {
        case .sessionStarted:
            counter(MetricCatalog.agentSessions, [("user_id", event.user ?? "unknown"), ("agent_type", event.agent ?? "unknown")])
                .increment()
        case .sessionEnded: histogram(MetricCatalog.sessionDuration).record(event.value)
        case .sessionCost: histogram(MetricCatalog.apiCost).record(event.value)
        case .cost: counter(MetricCatalog.spend, [("user_id", event.user ?? "unknown")]).increment(by: event.value)
        case .toolAsked: counter(MetricCatalog.approvalRequests, []).increment()
        case .budgetExceeded: counter(MetricCatalog.budgetExceeded, [("user_id", event.user ?? "unknown")]).increment()
        case .toolBlocked:
            counter(MetricCatalog.toolInvocations, [("tool", event.tool ?? "unknown"), ("status", "blocked")]).increment()
        case .securityViolation:
            counter(MetricCatalog.securityViolations, [("violation_type", event.labels["violation_type"] ?? "unknown")])
                .increment()
        case .rateLimited: counter(MetricCatalog.rateLimitExceeded, [("user_id", event.user ?? "unknown")]).increment()
        case .authFailure: counter(MetricCatalog.authFailures, []).increment()
        case .decisionLatency: histogram(MetricCatalog.decisionLatency).record(event.value)
        case .pendingApprovals: gauge(MetricCatalog.pendingApprovals, []).set(to: event.value)
        default: break
        }
    }

    /// Counts allowed calls older than the grace period as successes and refreshes the active-session gauge.
    public func settle(now: Date = Date()) {
        let (due, active, maxCalls) = state.withLock { state -> ([Pending], Int, [String: Int]) in
            let due = state.pending.filter { now.timeIntervalSince($0.time) >= successGrace }
            state.pending.removeAll { now.timeIntervalSince($0.time) >= successGrace }
            state.active = state.active.filter { now.timeIntervalSince($0.value) < activeIdle }
            state.sessionCalls = state.sessionCalls.filter { state.active[$0.key] != nil }
            var maxCalls: [String: Int] = [:]
            for counts in state.sessionCalls.values {
                for (tool, n) in counts { maxCalls[tool] = max(maxCalls[tool] ?? 0, n) }
            }
            for tool in state.gaugedTools where maxCalls[tool] == nil { maxCalls[tool] = 0 }
            state.gaugedTools.formUnion(maxCalls.keys)
            return (due, state.active.count, maxCalls)
        }
        for (tool, n) in maxCalls { gauge(MetricCatalog.sessionToolCallsMax, [("tool", tool)]).set(to: Double(n)) }
        for call in due { counter(MetricCatalog.toolInvocations, [("tool", call.tool), ("status", "success")]).increment() }
        gauge(MetricCatalog.activeSessions, []).set(to: Double(active))
    }

    /// The metrics in the Prometheus text exposition format (version 0.0.4).
    public func render() -> String {
        registry.emitToString()
    }
}
