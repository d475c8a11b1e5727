import ClawGuardCore
import Foundation

/// An alert rule from the policy, compiled: what is counted, grouped by what, over which window, against which
/// number. `compile` refuses rules it cannot evaluate with a message that names the rule and the fix.
public struct AlertDefinition: Sendable {
    /// Whose events are added up together.
    public enum Grouping: String, Sendable, Hashable { case global, session, agent, user }

    /// Built-in actions that need no entry under `actions` (enforcement acts on the store).
    public static let enforcementActions = ["terminate_session", "kill_switch"]
    /// Every built-in action name.
    public static let builtinActions = ["log"] + enforcementActions

    public var rule: AlertRule
    public var metric: AlertMetric
    public var grouping: Grouping
    /// Sliding window in seconds; nil: no window (per-session totals, or a gauge).
    public var window: TimeInterval?
    /// The value is scaled to this period (seconds) when the threshold is a rate (`5 USD/hour`).
    public var period: TimeInterval?
    /// The value at or above which the alert fires, in the threshold's unit.
    public var threshold: Double
    /// After a notification, a new one for the same alert and group waits this long.
    public var cooldown: TimeInterval

    public var name: String { rule.name }

    static let periods: [String: TimeInterval] = ["minute": 60, "hour": 3600, "day": 86_400]
    static let groupings: [String: Grouping] = ["session": .session, "agent": .agent, "user": .user]

    /// Compiles one rule.
    /// - Parameter defaultCooldown: seconds between notifications for one alert and group (default 300).
    /// - Throws: `ClawGuardError(.invalidPolicy)` naming the rule: unknown metric, a unit that does not fit the
    ///   metric, a percentage of something that is not a rate, or an `occurrence` threshold whose subject is unclear.
    public static func compile(_ rule: AlertRule, defaultCooldown: TimeInterval = 300) throws(ClawGuardError) -> AlertDefinition {
        let unit = rule.threshold.unit.lowercased()
        let metricName: String
        if let explicit = rule.metric {
            metricName = explicit
        } else if let implied = AlertMetric.byUnit[unit] {
            metricName = implied
        } else if AlertMetric.occurrences.contains(unit),
                  let hit = AlertMetric.byNameWord.first(where: { rule.name.lowercased().contains($0.word) })
        {
            metricName = hit.metric
        } else {
            throw ClawGuardError(
                .invalidPolicy,
                "alert '\(rule.name)': threshold '\(rule.threshold.text)' does not say what is counted; add 'metric:' (one of \(metricList))")
        }
        guard let metric = AlertMetric.named(metricName) else {
            throw ClawGuardError(.invalidPolicy, "alert '\(rule.name)': unknown metric '\(metricName)' (one of \(metricList))")
        }
        guard metric.accepts(unit: unit) else {
            let accepted = metric.aggregation == .percent
                ? "a percentage such as '10%'"
                : (metric.units + (metric.name == "cost" ? [] : ["occurrence"])).map { "'\($0)'" }.joined(separator: ", ")
            throw ClawGuardError(
                .invalidPolicy,
                "alert '\(rule.name)': threshold '\(rule.threshold.text)' is in '\(rule.threshold.unit)', which metric '\(metric.name)' does not count; use \(accepted)")
        }
        var grouping = Grouping.global
        var period: TimeInterval?
        if let per = rule.threshold.per {
            if let seconds = periods[per] {
                period = seconds
            } else if let group = groupings[per] {
                grouping = group
            }
        }
        if metric.aggregation == .percent, period != nil || grouping != .global {
            throw ClawGuardError(.invalidPolicy, "alert '\(rule.name)': a percentage threshold takes no '/period'; set 'window:' instead")
        }
        var window: TimeInterval? = rule.windowSeconds.map(TimeInterval.init)
        if let w = window, w <= 0 {
            throw ClawGuardError(.invalidPolicy, "alert '\(rule.name)': window must be longer than 0 s")
        }
        if metric.aggregation == .latest {
            window = nil
        } else if window == nil {
            // A rate's window is its period; a per-session total has none (the session's whole life).
            window = period ?? (grouping == .session ? nil : (grouping == .global ? metric.defaultWindow : 86_400))
        }
        return AlertDefinition(
            rule: rule, metric: metric, grouping: grouping, window: window, period: period,
            threshold: rule.threshold.value, cooldown: defaultCooldown)
    }

    /// Compiles every rule; all problems are reported at once.
    /// - Throws: `ClawGuardError(.invalidPolicy)` listing each bad rule on its own line.
    public static func compile(_ rules: [AlertRule], defaultCooldown: TimeInterval = 300) throws(ClawGuardError) -> [AlertDefinition] {
        var out: [AlertDefinition] = []
        var problems: [String] = []
        for rule in rules {
            do { out.append(try compile(rule, defaultCooldown: defaultCooldown)) } catch { problems.append(error.message) }
        }
        guard problems.isEmpty else { throw ClawGuardError(.invalidPolicy, problems.joined(separator: "\n")) }
        return out
    }

    static var metricList: String { AlertMetric.all.map(\.name).joined(separator: ", ") }

    /// The group an event belongs to, or nil when it has none (a per-session rule and an event without a session).
    func group(of event: MonitoringEvent) -> String? {
        switch grouping {
        case .global: ""
        case .session: event.session
        case .agent: event.agent
        case .user: event.user
        }
    }

    /// A human-readable value with the threshold's unit.
    func describe(_ value: Double) -> String {
        let number = value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : String(format: "%.2f", value)
        if metric.aggregation == .percent { return number + "%" }
        return number + " " + rule.threshold.unit + (rule.threshold.per.map { "/" + $0 } ?? "")
    }
}
