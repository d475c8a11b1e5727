import ClawGuardCore
import Foundation

/// What an alert counts, as a table: adding a metric is one row. Each row says which events contribute how much,
/// which threshold units it accepts, and its default window.
public struct AlertMetric: Sendable {
    /// How the metric's value is formed.
    public enum Aggregation: Sendable {
        /// The sum of contributions in the window.
        case sum
        /// 100 × numerator / denominator in the window (`%` thresholds).
        case percent
        /// The latest reported value (a gauge, such as approvals waiting); no window.
        case latest
    }

    public var name: String
    public var aliases: [String]
    /// Threshold units this metric accepts (lowercase); every count metric also accepts `occurrence(s)`.
    public var units: [String]
    public var aggregation: Aggregation
    /// Window when the rule gives none and its threshold has no time period.
    public var defaultWindow: TimeInterval
    /// The event's contribution to the value (numerator for `.percent`), or nil when it does not count.
    public var contribution: @Sendable (MonitoringEvent) -> Double?
    /// For `.percent`: the event's contribution to the denominator.
    public var denominator: (@Sendable (MonitoringEvent) -> Double?)?

    static let occurrences = ["occurrence", "occurrences"]
    /// Violation types that are attempts to get around the permissions themselves: writing the agent's or
    /// ClawGuard's configuration and other protected paths, privilege escalation, obfuscated commands.
    public static let bypassTypes: Set<String> = ["protected-write", "privilege", "obfuscation"]
    static let toolCallKinds: Set<MonitoringEvent.Kind> = [.toolAllowed, .toolAsked, .toolBlocked]

    static func count(_ kinds: Set<MonitoringEvent.Kind>, where extra: @escaping @Sendable (MonitoringEvent) -> Bool = { _ in true })
        -> @Sendable (MonitoringEvent) -> Double?
    {
        { kinds.contains($0.kind) && extra($0) ? 1 : nil }
    }

    /// Every alert metric.
    public static let all: [AlertMetric] = [
        AlertMetric(name: "cost", aliases: ["spend", "api_cost"], units: ["usd"], aggregation: .sum, defaultWindow: 3600,
                    contribution: { $0.kind == .cost ? $0.value : nil }),
        AlertMetric(name: "commands", aliases: ["bash_commands", "shell_commands"], units: ["commands", "command", "calls", "call"],
                    aggregation: .sum, defaultWindow: 3600, contribution: count(toolCallKinds) { $0.tool == "Bash" }),
        AlertMetric(name: "tool_calls", aliases: ["calls"], units: ["calls", "call", "commands", "command"], aggregation: .sum,
                    defaultWindow: 3600, contribution: count(toolCallKinds)),
        AlertMetric(name: "denials", aliases: ["blocked"], units: ["denials", "denial"], aggregation: .sum, defaultWindow: 300,
                    contribution: count([.toolBlocked])),
        AlertMetric(name: "asks", aliases: ["approvals_requested"], units: ["asks", "ask", "requests", "request"],
                    aggregation: .sum, defaultWindow: 300, contribution: count([.toolAsked])),
        AlertMetric(name: "errors", aliases: ["tool_errors"], units: ["errors", "error"], aggregation: .sum, defaultWindow: 300,
                    contribution: count([.toolError])),
        AlertMetric(name: "error_rate", aliases: [], units: ["%"], aggregation: .percent, defaultWindow: 300,
                    contribution: count([.toolError]), denominator: count(toolCallKinds)),
        AlertMetric(name: "security_violations", aliases: ["violations"], units: [],
                    aggregation: .sum, defaultWindow: 300, contribution: count([.securityViolation])),
        AlertMetric(name: "permission_bypass", aliases: ["bypass_attempts"], units: [], aggregation: .sum, defaultWindow: 300,
                    contribution: count([.securityViolation]) { bypassTypes.contains($0.labels["violation_type"] ?? "") }),
        AlertMetric(name: "secret_detected", aliases: ["secrets"], units: ["secrets", "secret"], aggregation: .sum,
                    defaultWindow: 300, contribution: count([.securityViolation]) { $0.labels["violation_type"] == "secret-read" }),
        AlertMetric(name: "auth_failures", aliases: [], units: ["requests", "request"], aggregation: .sum, defaultWindow: 300,
                    contribution: count([.authFailure])),
        AlertMetric(name: "rate_limited", aliases: ["rate_limit_hits"], units: ["requests", "request", "calls", "call"],
                    aggregation: .sum, defaultWindow: 300, contribution: count([.rateLimited])),
        AlertMetric(name: "budget_exceeded", aliases: [], units: [], aggregation: .sum, defaultWindow: 3600,
                    contribution: count([.budgetExceeded])),
        AlertMetric(name: "sessions", aliases: [], units: ["sessions"], aggregation: .sum, defaultWindow: 3600,
                    contribution: count([.sessionStarted])),
        AlertMetric(name: "approvals_waiting", aliases: ["pending_approvals"], units: ["requests", "request", "asks", "ask"],
                    aggregation: .latest, defaultWindow: 0, contribution: { $0.kind == .pendingApprovals ? $0.value : nil }),
    ]

    /// The metric called `name` (or one of its aliases).
    public static func named(_ name: String) -> AlertMetric? {
        let key = name.lowercased()
        return all.first { $0.name == key || $0.aliases.contains(key) }
    }

    /// The metric a threshold unit implies when the rule names none.
    static let byUnit: [String: String] = [
        "usd": "cost", "commands": "commands", "command": "commands", "calls": "tool_calls", "call": "tool_calls",
        "denials": "denials", "denial": "denials", "asks": "asks", "ask": "asks", "errors": "errors", "error": "errors",
        "%": "error_rate", "secrets": "secret_detected", "secret": "secret_detected", "sessions": "sessions",
    ]

    /// For `occurrence` thresholds without a metric: words of the alert's name that say what is counted.
    static let byNameWord: [(word: String, metric: String)] = [
        ("bypass", "permission_bypass"), ("violation", "security_violations"), ("secret", "secret_detected"),
        ("auth", "auth_failures"), ("rate", "rate_limited"), ("denial", "denials"), ("denied", "denials"),
        ("budget", "budget_exceeded"), ("error", "errors"),
    ]

    /// Whether a threshold unit fits this metric.
    func accepts(unit: String) -> Bool {
        let unit = unit.lowercased()
        if aggregation == .percent { return unit == "%" }
        if unit == "%" { return false }
        return units.contains(unit) || (name != "cost" && Self.occurrences.contains(unit))
    }
}

extension AlertMetric.Aggregation: Equatable {}
