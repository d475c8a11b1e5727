import ClawGuardCore
import Foundation

/// The JSON each receiver gets for a notification. Pure functions, so the shapes are unit-tested.
public enum ActionPayloads {
    static func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }

    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

    /// A Slack-compatible incoming-webhook message: `text` (what every Slack-compatible receiver shows) and one
    /// attachment with the details.
    public static func slack(_ n: AlertNotification) -> JSONValue {
        let emoji = n.status == .firing ? ":rotating_light:" : ":white_check_mark:"
        var fields: [JSONValue] = [
            ["title": "Value", "value": .string(n.valueText), "short": true],
            ["title": "Threshold", "value": .string(n.threshold), "short": true],
            ["title": "Group", "value": .string(n.group), "short": true],
        ]
        if !n.sessions.isEmpty {
            fields.append(["title": "Sessions", "value": .string(n.sessions.prefix(10).joined(separator: ", ")), "short": false])
        }
        return [
            "text": .string("\(emoji) \(n.summary)"),
            "attachments": [[
                "color": .string(n.status == .firing ? "danger" : "good"),
                "title": .string("\(n.alert) is \(n.status.rawValue)"),
                "fields": .array(fields),
                "ts": .number((n.endsAt ?? n.startsAt).timeIntervalSince1970.rounded()),
            ]],
        ]
    }

    /// A PagerDuty Events API v2 event: `trigger` with a payload, or `resolve`; both with the alert's `dedup_key`.
    public static func pagerDuty(_ n: AlertNotification, routingKey: String, severity: String) -> JSONValue {
        var event: [String: JSONValue] = [
            "routing_key": .string(routingKey),
            "event_action": .string(n.status == .firing ? "trigger" : "resolve"),
            "dedup_key": .string(n.dedupKey),
        ]
        if n.status == .firing {
            event["payload"] = [
                "summary": .string(String(n.summary.prefix(1024))),
                "source": .string(ProcessInfo.processInfo.hostName),
                "severity": .string(severity),
                "timestamp": .string(iso(n.startsAt)),
                "component": "clawguard",
                "group": .string(n.group),
                "class": .string(n.alert),
                "custom_details": [
                    "value": .string(n.valueText), "threshold": .string(n.threshold), "sessions": strings(n.sessions),
                ],
            ]
        }
        return .object(event)
    }

    /// The body of Alertmanager's `POST /api/v2/alerts`: one alert with labels, annotations, `startsAt`, and
    /// `endsAt` when resolved (Alertmanager resolves it then).
    public static func alertmanager(_ n: AlertNotification, labels extra: [String: String]) -> JSONValue {
        var labels = n.labels.merging(extra) { _, configured in configured }
        labels["alertname"] = n.alert
        var alert: [String: JSONValue] = [
            "labels": .object(labels.mapValues(JSONValue.string)),
            "annotations": [
                "summary": .string(n.summary), "value": .string(n.valueText), "threshold": .string(n.threshold),
                "sessions": .string(n.sessions.joined(separator: ",")),
            ],
            "startsAt": .string(iso(n.startsAt)),
        ]
        if let ends = n.endsAt { alert["endsAt"] = .string(iso(ends)) }
        return [.object(alert)]
    }

    /// The notification itself (what a command gets on standard input).
    public static func generic(_ n: AlertNotification) -> JSONValue {
        var object: [String: JSONValue] = [
            "alert": .string(n.alert), "status": .string(n.status.rawValue), "group": .string(n.group),
            "value": .number(n.value), "value_text": .string(n.valueText), "threshold": .string(n.threshold),
            "summary": .string(n.summary), "starts_at": .string(iso(n.startsAt)), "sessions": strings(n.sessions),
            "dedup_key": .string(n.dedupKey), "actions": strings(n.actions),
        ]
        if let ends = n.endsAt { object["ends_at"] = .string(iso(ends)) }
        return .object(object)
    }

    /// Encodes a payload as compact JSON with sorted keys.
    public static func encode(_ value: JSONValue) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }
}
