import ClawGuardCore
import ClawGuardStore
import Foundation
import Testing

@testable import ClawGuardMonitoring

@Suite struct MetricsTests {
    /// Every `openclaw_*` name the reference alert rules use (minus histogram/summary suffixes).
    static func referenceNames() throws -> Set<String> {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/reference-alert-rules", withExtension: "yml"))
        let text = try String(contentsOf: url, encoding: .utf8)
        let regex = /openclaw_[a-z_]+/
        // Names in expressions, not the rule groups' names.
        let expressions = text.split(separator: "\n").filter { !$0.contains("name:") }.joined(separator: "\n")
        return Set(expressions.matches(of: regex).map { String($0.output) }.map { name in
            for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) && !name.hasSuffix("_total") {
                return String(name.dropLast(suffix.count))
            }
            return name
        })
    }

    @Test func prefixOpenclawMatchesTheReferenceAlertRules() throws {
        let reference = try Self.referenceNames()
        #expect(!reference.isEmpty)
        let ours = Set(MetricCatalog.all.map { $0.name("openclaw") })
        let missing = reference.subtracting(ours)
        #expect(missing.isEmpty, "reference names without a metric: \(missing.sorted())")
        // And the renderer really emits them (a histogram as _bucket/_sum/_count).
        let metrics = try MonitoringMetrics(prefix: "openclaw")
        metrics.consume([
            MonitoringEvent(.sessionStarted, session: "s", agent: "claude-code", user: "u"),
            MonitoringEvent(.toolBlocked, session: "s", tool: "Bash"),
            MonitoringEvent(.securityViolation, labels: ["violation_type": "policy_deny"]),
            MonitoringEvent(.rateLimited, user: "u"),
        ])
        metrics.setBudgetRemaining(user: "u", usd: 3)
        let text = metrics.render()
        for name in reference {
            #expect(text.contains("\n\(name)") || text.contains("\n\(name)_bucket") || text.hasPrefix(name), "\(name) not rendered")
        }
    }

    @Test func prefixIsConfigurableAndValidated() throws {
        let text = try MonitoringMetrics(prefix: "clawguard").render()
        #expect(text.contains("clawguard_active_sessions"))
        #expect(!text.contains("openclaw_"))
        for bad in ["", "9lives", "claw-guard", "claw_"] {
            #expect(throws: ClawGuardError.self) { try MonitoringMetrics(prefix: bad) }
        }
    }

    @Test func labelsMatchTheReference() throws {
        // The reference rules use $labels.violation_type, $labels.user_id and {status="error"}.
        #expect(MetricCatalog.securityViolations.labels == ["violation_type"])
        #expect(MetricCatalog.toolInvocations.labels == ["tool", "status"])
        #expect(MetricCatalog.rateLimitExceeded.labels == ["user_id"])
        #expect(MetricCatalog.budgetRemaining.labels == ["user_id"])
        #expect(MetricCatalog.sessionDuration.buckets.first == 1 && MetricCatalog.sessionDuration.buckets.last == 3600)
    }

    @Test func rendersFromARealStore() throws {
        let store = try makeStore()
        let t0 = Date()
        try call(store, session: "s1", command: "ls", now: t0)
        try call(store, session: "s1", command: "cat x", now: t0)
        try store.recordToolResult(session: "s1", agent: "claude-code", user: "alice", tool: "Bash", success: false, error: "boom", now: t0)
        try call(store, session: "s1", command: "rm -rf /", decision: .deny, risks: [Risk(.destructive, "rm -rf /")], now: t0)
        let service = try MonitoringService(store: store, policy: nil, configuration: .init(prefix: "openclaw", successGrace: 30))
        service.process(try store.auditBatch(after: 0, limit: 100), now: t0)
        // One allowed call failed: error 1; the other is pending until the grace period has passed.
        var text = service.renderMetrics(now: t0)
        #expect(sample(text, #"openclaw_tool_invocations_total{tool="Bash",status="error"}"#) == 1)
        #expect(sample(text, #"openclaw_tool_invocations_total{tool="Bash",status="blocked"}"#) == 1)
        #expect(sample(text, #"openclaw_tool_invocations_total{tool="Bash",status="success"}"#) == nil)
        #expect(sample(text, #"openclaw_security_violations_total{violation_type="destructive"}"#) == 1)
        #expect(sample(text, #"openclaw_agent_sessions_total{user_id="alice",agent_type="claude-code"}"#) == 1)
        #expect(sample(text, "openclaw_active_sessions") == 1)
        text = service.renderMetrics(now: t0.addingTimeInterval(31))
        #expect(sample(text, #"openclaw_tool_invocations_total{tool="Bash",status="success"}"#) == 1)
        // Ending the session: duration and cost histograms, no more active sessions.
        try store.addCost(session: "s1", usd: 0.25, now: t0)
        try store.endSession("s1", now: t0.addingTimeInterval(120))
        service.process(try store.auditBatch(after: 5, limit: 100), now: t0.addingTimeInterval(121))
        text = service.renderMetrics(now: t0.addingTimeInterval(121))
        #expect(sample(text, "openclaw_active_sessions") == 0)
        #expect(sample(text, "openclaw_session_duration_seconds_count") == 1)
        #expect(sample(text, #"openclaw_session_duration_seconds_bucket{le="120.0"}"#) == 1)
        #expect(sample(text, #"openclaw_session_duration_seconds_bucket{le="60.0"}"#) == 0)
        #expect(sample(text, "openclaw_api_cost_usd_sum") == 0.25)
    }

    @Test func gatewayReportsAreCounted() throws {
        let service = try MonitoringService(store: try makeStore(), policy: nil)
        service.report(.authFailure(reason: "bad token"))
        service.report(.authFailure())
        service.report(.rateLimited(user: "bob"))
        service.report(.decisionLatency(seconds: 0.002))
        service.report(.pendingApprovals(3))
        let text = service.renderMetrics()
        #expect(sample(text, "clawguard_auth_failures_total") == 2)
        #expect(sample(text, #"clawguard_rate_limit_exceeded_total{user_id="bob"}"#) == 1)
        #expect(sample(text, "clawguard_decision_latency_seconds_count") == 1)
        #expect(sample(text, "clawguard_pending_approvals") == 3)
    }
}
