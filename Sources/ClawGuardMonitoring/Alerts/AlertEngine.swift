import ClawGuardCore
import Foundation
import Synchronization

/// A notification about one alert for one group: it fired, or it resolved.
public struct AlertNotification: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable { case firing, resolved }

    public var alert: String
    public var status: Status
    /// `global`, or `session:ID`, `agent:NAME`, `user:NAME`.
    public var group: String
    public var value: Double
    /// The value with its unit (`7.5 USD/hour`, `12%`).
    public var valueText: String
    /// The threshold as written in the policy.
    public var threshold: String
    public var summary: String
    public var startsAt: Date
    /// Set when resolved.
    public var endsAt: Date?
    /// Sessions that contributed in the window.
    public var sessions: [String]
    /// Names of the rule's actions.
    public var actions: [String]
    /// Stable per alert and group: PagerDuty's `dedup_key`, Alertmanager's identity.
    public var dedupKey: String
    /// A re-send of a firing alert (only for receivers that expire alerts, such as Alertmanager).
    public var resend: Bool

    /// Alert labels (`alertname`, `severity`, `group`…) for receivers that take labels.
    public var labels: [String: String] {
        var labels = ["alertname": alert, "source": "clawguard", "group": group]
        if let session = sessions.first, sessions.count == 1 { labels["session"] = session }
        return labels
    }
}

/// Something an alert does to the store at once, whatever the cool-down: stop a session, or everything.
public struct Enforcement: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case terminateSession(String)
        case killSwitch
    }

    public var kind: Kind
    public var alert: String
    public var reason: String
}

/// What one evaluation produced.
public struct AlertOutput: Sendable {
    public var notifications: [AlertNotification] = []
    public var enforcements: [Enforcement] = []

    public var isEmpty: Bool { notifications.isEmpty && enforcements.isEmpty }
}

/// One alert that is firing now.
public struct FiringAlert: Sendable, Hashable {
    public var alert: String
    public var group: String
    public var value: Double
    public var valueText: String
    public var threshold: String
    public var since: Date
    public var sessions: [String]
}

/// Evaluates compiled alert rules over monitoring events with sliding windows, de-duplication, cool-down and
/// resolve notifications. Deterministic: time is passed in, nothing runs by itself (the `MonitoringService` feeds
/// it and calls `tick` on a timer).
public final class AlertEngine: Sendable {
    public let definitions: [AlertDefinition]
    /// Firing alerts are sent again this often to receivers that expire them (Alertmanager).
    public let resendInterval: TimeInterval

    struct Key: Hashable, Sendable {
        var rule: Int
        var group: String
    }

    struct Group: Sendable {
        var window: SlidingWindow
        var state = AlertState()
        var latest: Double = 0
        var enforced: Set<String> = []
        var killed = false
        var lastSent: Date?
        var value: Double = 0
    }

    private let groups = Mutex<[Key: Group]>([:])

    public init(definitions: [AlertDefinition], resendInterval: TimeInterval = 60) {
        self.definitions = definitions
        self.resendInterval = resendInterval
    }

    /// Adds `events` to the windows and evaluates the groups they touched.
    public func consume(_ events: [MonitoringEvent], now: Date = Date()) -> AlertOutput {
        var output = AlertOutput()
        groups.withLock { groups in
            var touched = Set<Key>()
            var ended = Set<String>()
            for event in events {
                if event.kind == .sessionEnded || event.kind == .sessionStopped, let session = event.session {
                    ended.insert(session)
                }
                for (index, definition) in definitions.enumerated() {
                    let value = definition.metric.contribution(event)
                    let denominator = definition.metric.denominator?(event)
                    guard value != nil || denominator != nil, let group = definition.group(of: event) else { continue }
                    let key = Key(rule: index, group: group)
                    var entry = groups[key] ?? Group(window: SlidingWindow(span: definition.window))
                    if definition.metric.aggregation == .latest {
                        entry.latest = value ?? entry.latest
                    } else {
                        entry.window.add(time: event.time, value: value ?? 0, denominator: denominator ?? 0, session: event.session)
                    }
                    groups[key] = entry
                    touched.insert(key)
                }
            }
            for key in touched.sorted(by: { ($0.rule, $0.group) < ($1.rule, $1.group) }) {
                evaluate(key, in: &groups, now: now, into: &output)
            }
            // A per-session total ends with its session.
            for key in groups.keys where definitions[key.rule].grouping == .session && ended.contains(key.group) {
                groups[key]?.window = SlidingWindow(span: definitions[key.rule].window)
                evaluate(key, in: &groups, now: now, into: &output)
                groups[key] = nil
            }
        }
        return output
    }

    /// Slides every window to `now`: alerts whose events have aged out resolve; firing alerts are re-sent when due.
    public func tick(now: Date = Date()) -> AlertOutput {
        var output = AlertOutput()
        groups.withLock { groups in
            for key in groups.keys.sorted(by: { ($0.rule, $0.group) < ($1.rule, $1.group) }) {
                evaluate(key, in: &groups, now: now, into: &output, resend: true)
                if let group = groups[key], !group.state.firing, group.window.isEmpty, group.latest == 0,
                   group.state.lastNotified.map({ now.timeIntervalSince($0) >= definitions[key.rule].cooldown }) ?? true
                {
                    groups[key] = nil
                }
            }
        }
        return output
    }

    /// The alerts firing now.
    public func firing() -> [FiringAlert] {
        groups.withLock { groups in
            groups.filter { $0.value.state.firing }.sorted { ($0.key.rule, $0.key.group) < ($1.key.rule, $1.key.group) }
                .map { key, group in
                    let definition = definitions[key.rule]
                    return FiringAlert(
                        alert: definition.name, group: groupName(definition, key.group), value: group.value,
                        valueText: definition.describe(group.value), threshold: definition.rule.threshold.text,
                        since: group.state.startedAt ?? Date(), sessions: sessions(definition, key.group, group))
                }
        }
    }

    func groupName(_ definition: AlertDefinition, _ group: String) -> String {
        definition.grouping == .global ? "global" : "\(definition.grouping.rawValue):\(group)"
    }

    func sessions(_ definition: AlertDefinition, _ group: String, _ entry: Group) -> [String] {
        definition.grouping == .session ? [group] : entry.window.sessions.sorted()
    }

    func value(_ definition: AlertDefinition, _ group: Group) -> Double {
        switch definition.metric.aggregation {
        case .latest: return group.latest
        case .percent:
            let denominator = group.window.denominatorSum
            return denominator > 0 ? 100 * group.window.sum / denominator : 0
        case .sum:
            let sum = group.window.sum
            if let period = definition.period, let window = definition.window, window > 0 { return sum * period / window }
            return sum
        }
    }

    private func evaluate(_ key: Key, in groups: inout [Key: Group], now: Date, into output: inout AlertOutput,
                          resend: Bool = false) {
        guard var group = groups[key] else { return }
        let definition = definitions[key.rule]
        group.window.expire(now: now)
        let current = value(definition, group)
        group.value = current
        let active = current > 0 && current >= definition.threshold
        let transition = group.state.update(active: active, now: now, cooldown: definition.cooldown)
        let involved = sessions(definition, key.group, group)
        func notification(_ status: AlertNotification.Status, resend: Bool = false) -> AlertNotification {
            let name = groupName(definition, key.group)
            let text = definition.describe(current)
            let summary = status == .firing
                ? "ClawGuard alert \(definition.name) (\(name)): \(text) reached the threshold \(definition.rule.threshold.text)"
                : "ClawGuard alert \(definition.name) (\(name)) resolved: \(text), threshold \(definition.rule.threshold.text)"
            return AlertNotification(
                alert: definition.name, status: status, group: name, value: current, valueText: text,
                threshold: definition.rule.threshold.text, summary: summary, startsAt: group.state.startedAt ?? now,
                endsAt: status == .resolved ? now : nil, sessions: involved, actions: definition.rule.actions,
                dedupKey: "clawguard/\(definition.name)/\(name)", resend: resend)
        }
        switch transition {
        case .notifyFiring:
            output.notifications.append(notification(.firing))
            group.lastSent = now
        case .notifyResolved:
            output.notifications.append(notification(.resolved))
        case .suppressedByCooldown, nil:
            if resend, group.state.firing, group.state.announced, let last = group.lastSent,
               now.timeIntervalSince(last) >= resendInterval
            {
                output.notifications.append(notification(.firing, resend: true))
                group.lastSent = now
            }
        }
        // Enforcement ignores the cool-down: every session that contributes while the alert fires is acted on.
        if group.state.firing {
            let reason = "alert \(definition.name): \(definition.describe(current)) reached \(definition.rule.threshold.text)"
            if definition.rule.actions.contains("terminate_session") {
                for session in involved where !group.enforced.contains(session) {
                    group.enforced.insert(session)
                    output.enforcements.append(Enforcement(kind: .terminateSession(session), alert: definition.name, reason: reason))
                }
            }
            if definition.rule.actions.contains("kill_switch"), !group.killed {
                group.killed = true
                output.enforcements.append(Enforcement(kind: .killSwitch, alert: definition.name, reason: reason))
            }
        } else {
            group.enforced = []
            group.killed = false
        }
        groups[key] = group
    }
}
