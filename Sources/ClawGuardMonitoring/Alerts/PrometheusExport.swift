import ClawGuardCore
import Foundation

/// Translates compiled alert rules into Prometheus alerting rules over the metrics ClawGuard exports, for users
/// who alert from Prometheus. Each alert metric has one row: the counter (or gauge) and label selector it reads.
public enum PrometheusExport {
    /// Where an alert metric lives in the exported metrics.
    struct Source {
        var metric: MetricCatalog.Metric
        var selector: String
        /// Labels the series carry for `/user` grouping.
        var userLabel: Bool
        /// For per-session rules: the `session_tool_calls_max` tool.
        var sessionTool: String?
    }

    static let sources: [String: Source] = [
        "cost": Source(metric: MetricCatalog.spend, selector: "", userLabel: true),
        "commands": Source(metric: MetricCatalog.toolInvocations, selector: #"tool="Bash""#, userLabel: false, sessionTool: "Bash"),
        "tool_calls": Source(metric: MetricCatalog.toolInvocations, selector: "", userLabel: false, sessionTool: "all"),
        "denials": Source(metric: MetricCatalog.toolInvocations, selector: #"status="blocked""#, userLabel: false),
        "asks": Source(metric: MetricCatalog.approvalRequests, selector: "", userLabel: false),
        "errors": Source(metric: MetricCatalog.toolInvocations, selector: #"status="error""#, userLabel: false),
        "security_violations": Source(metric: MetricCatalog.securityViolations, selector: "", userLabel: false),
        "permission_bypass": Source(
            metric: MetricCatalog.securityViolations,
            selector: "violation_type=~\"\(AlertMetric.bypassTypes.sorted().joined(separator: "|"))\"", userLabel: false),
        "secret_detected": Source(metric: MetricCatalog.securityViolations, selector: #"violation_type="secret-read""#, userLabel: false),
        "auth_failures": Source(metric: MetricCatalog.authFailures, selector: "", userLabel: false),
        "rate_limited": Source(metric: MetricCatalog.rateLimitExceeded, selector: "", userLabel: true),
        "budget_exceeded": Source(metric: MetricCatalog.budgetExceeded, selector: "", userLabel: true),
        "sessions": Source(metric: MetricCatalog.agentSessions, selector: "", userLabel: true),
        "approvals_waiting": Source(metric: MetricCatalog.pendingApprovals, selector: "", userLabel: false),
    ]

    /// One exported rule, or why a rule has no Prometheus equivalent.
    public struct Translation: Sendable {
        public var alert: String
        public var expression: String?
        public var skipped: String?
    }

    static func duration(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        if s % 86_400 == 0 { return "\(s / 86_400)d" }
        if s % 3600 == 0 { return "\(s / 3600)h" }
        if s % 60 == 0 { return "\(s / 60)m" }
        return "\(s)s"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// The PromQL expression for one definition, or why there is none.
    public static func translate(_ d: AlertDefinition, prefix: String) -> Translation {
        guard let source = sources[d.metric.name] else {
            return Translation(alert: d.name, skipped: "metric '\(d.metric.name)' has no Prometheus series")
        }
        let name = source.metric.name(prefix)
        let series = source.selector.isEmpty ? name : "\(name){\(source.selector)}"
        // A threshold of one occurrence or less: any increase (counter increases are extrapolated, not whole).
        let comparison = d.threshold <= 1 && d.metric.aggregation == .sum && d.period == nil ? "> 0" : ">= \(number(d.threshold))"
        switch (d.metric.aggregation, d.grouping) {
        case (.latest, _):
            return Translation(alert: d.name, expression: "\(series) \(comparison)")
        case (.percent, _):
            let window = duration(d.window ?? 300)
            let errors = "sum(increase(\(series)[\(window)]))"
            let all = "sum(increase(\(name)[\(window)]))"
            return Translation(alert: d.name, expression: "100 * \(errors) / \(all) \(comparison)")
        case (.sum, .session):
            if d.window == nil, let tool = source.sessionTool {
                return Translation(
                    alert: d.name,
                    expression: "max(\(MetricCatalog.sessionToolCallsMax.name(prefix)){tool=\"\(tool)\"}) \(comparison)")
            }
            return Translation(alert: d.name, skipped: "per-session '\(d.metric.name)' has no Prometheus series (sessions are not labels)")
        case (.sum, .agent):
            return Translation(alert: d.name, skipped: "per-agent rules have no Prometheus series (agents are not labels)")
        case (.sum, .global), (.sum, .user):
            if d.grouping == .user && !source.userLabel {
                return Translation(alert: d.name, skipped: "metric '\(d.metric.name)' has no user_id label")
            }
            let window = d.window ?? d.metric.defaultWindow
            var expression = "sum\(d.grouping == .user ? " by (user_id)" : "")(increase(\(series)[\(duration(window))]))"
            if let period = d.period, period != window { expression = "\(expression) * \(number(period / window))" }
            return Translation(alert: d.name, expression: "\(expression) \(comparison)")
        }
    }

    /// A Prometheus rule file (YAML) with one group, `clawguard_alerts`.
    /// - Returns: the YAML text and the rules that could not be translated (with the reason).
    public static func ruleFile(_ definitions: [AlertDefinition], prefix: String) -> (yaml: String, skipped: [Translation]) {
        var lines = [
            "# Prometheus alerting rules equivalent to the ClawGuard policy's alerts (clawguard alerts export-prometheus).",
            "# They read the metrics ClawGuard exports at /metrics with the name prefix '\(prefix)'.",
            "groups:", "  - name: \(prefix)_clawguard_alerts", "    rules:",
        ]
        var skipped: [Translation] = []
        for d in definitions {
            let t = translate(d, prefix: prefix)
            guard let expression = t.expression else {
                skipped.append(t)
                lines.append("      # \(d.name): not exported: \(t.skipped ?? "")")
                continue
            }
            let enforcing = d.rule.actions.contains { AlertDefinition.enforcementActions.contains($0) }
            lines += [
                "      - alert: \(yamlString(d.name))",
                "        expr: \(yamlString(expression))",
                "        labels:",
                "          severity: \(enforcing ? "critical" : "warning")",
                "          source: clawguard",
                "        annotations:",
                "          summary: \(yamlString("ClawGuard alert \(d.name): threshold \(d.rule.threshold.text)"))",
                "          description: \(yamlString("{{ $value }} (threshold \(d.rule.threshold.text)); ClawGuard actions: \(d.rule.actions.joined(separator: ", "))"))",
            ]
        }
        return (lines.joined(separator: "\n") + "\n", skipped)
    }

    /// A double-quoted YAML scalar.
    static func yamlString(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
