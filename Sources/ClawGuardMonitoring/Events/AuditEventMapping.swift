import ClawGuardCore
import ClawGuardStore
import Foundation

/// How audit records become monitoring events: one row per audit event type (adding a type is one line).
public enum AuditEventMapping {
    /// What one audit record type turns into.
    public struct Row: Sendable {
        public var type: String
        public var map: @Sendable (_ record: AuditRecord, _ details: JSONValue, _ base: MonitoringEvent) -> [MonitoringEvent]
    }

    /// Risk kinds that make a policy denial a security violation of that type; the first present wins.
    public static let violationRisks: [RiskKind] = [
        .secretRead, .protectedWrite, .privilege, .destructive, .obfuscation, .network, .exec, .inlineCode, .parseError,
    ]

    /// Limit kinds (`details.hits[].kind`) of a denial that is a limit, not a policy violation.
    public static let rateLimitHit = "rate-limit"

    public static let rows: [Row] = [
        Row(type: AuditEventType.agentStarted.name) { _, _, base in
            [with(base, .sessionStarted)]
        },
        Row(type: AuditEventType.agentCompleted.name) { _, details, base in
            var out = [with(base, .sessionEnded, value: details["duration"]?.monitoringNumber ?? 0)]
            if let cost = details["cost"]?.monitoringNumber { out.append(with(base, .sessionCost, value: cost)) }
            return out
        },
        Row(type: AuditEventType.sessionTerminated.name) { _, _, base in [with(base, .sessionStopped)] },
        Row(type: AuditEventType.timeout.name) { _, _, base in [with(base, .sessionStopped)] },
        Row(type: AuditEventType.toolInvoked.name) { _, _, base in [with(base, .toolAllowed)] },
        Row(type: AuditEventType.approvalRequested.name) { _, _, base in [with(base, .toolAsked)] },
        Row(type: AuditEventType.toolBlocked.name) { _, details, base in
            var out = [with(base, .toolBlocked)]
            let hits = details["hits"]?.monitoringArray?.compactMap { $0["kind"]?.stringValue } ?? []
            if hits.contains(rateLimitHit) { out.append(with(base, .rateLimited, labels: ["source": "limits"])) }
            if hits.isEmpty {
                // Denied by the policy itself (not by a limit): an attempt to do something forbidden.
                let risks = Set(details["risks"]?.monitoringArray?.compactMap { $0["kind"]?.stringValue } ?? [])
                let type = violationRisks.first { risks.contains($0.rawValue) }?.rawValue ?? "policy_deny"
                out.append(with(base, .securityViolation, labels: ["violation_type": type]))
            }
            return out
        },
        Row(type: AuditEventType.error.name) { record, _, base in
            record.tool == nil ? [] : [with(base, .toolError)]
        },
        Row(type: AuditEventType.securityViolation.name) { _, details, base in
            [with(base, .securityViolation, labels: ["violation_type": details["violation_type"]?.stringValue ?? "unknown"])]
        },
        Row(type: AuditEventType.budgetExceeded.name) { _, _, base in [with(base, .budgetExceeded)] },
        Row(type: AuditEventType.killSwitch.name) { _, details, base in
            [with(base, .killSwitch, labels: ["on": details["on"] == .bool(true) ? "true" : "false"])]
        },
        Row(type: AuditEventType.approvalDenied.name) { _, _, base in [with(base, .approvalDenied)] },
    ]

    static let byType: [String: Row] = Dictionary(rows.map { ($0.type, $0) }, uniquingKeysWith: { first, _ in first })

    /// The monitoring events of one audit record (none for types that carry nothing to count).
    public static func events(of record: AuditRecord) -> [MonitoringEvent] {
        guard let row = byType[record.type] else { return [] }
        let details = (try? JSONDecoder().decode(JSONValue.self, from: Data(record.details.utf8))) ?? .object([:])
        let base = MonitoringEvent(
            .sessionStarted, time: parseTime(record.time) ?? Date(), seq: record.seq, session: record.session,
            agent: record.agent, user: record.user, tool: record.tool, reason: record.reason)
        return row.map(record, details, base)
    }

    static func with(_ base: MonitoringEvent, _ kind: MonitoringEvent.Kind, value: Double = 1,
                     labels: [String: String] = [:]) -> MonitoringEvent {
        var event = base
        event.kind = kind
        event.value = value
        event.labels = labels
        return event
    }

    /// Parses the trail's UTC ISO 8601 time (with or without milliseconds).
    public static func parseTime(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }
}
