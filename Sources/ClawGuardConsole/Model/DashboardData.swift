import ClawGuardStore
import Foundation

/// One hour's value in a series (`start` is the hour's first instant, UTC).
public struct HourBucket: Sendable, Hashable {
    public var start: Date
    public var value: Double
}

/// A user's spend today against the daily budget.
public struct UserSpend: Sendable, Hashable {
    public var user: String
    public var spentUSD: Double
    public var budgetUSD: Double?
}

/// Tool calls of one tool by decision.
public struct ToolUsage: Sendable, Hashable {
    public var tool: String
    public var allow: Int
    public var ask: Int
    public var deny: Int
    public var total: Int { allow + ask + deny }
}

/// Everything the dashboard shows, computed from the store's sessions and audit events by `build`.
public struct DashboardData: Sendable, Hashable {
    public var generatedAt: Date
    public var activeSessions: [SessionSnapshot]
    public var activeRuns: [RunItem]
    public var pendingApprovals: Int
    public var killSwitch: KillSwitchState?
    /// The last 24 hours, oldest first. A session's spend is counted in the hour of its last activity: the store
    /// keeps cumulative spend per session and per user-day, not a ledger per call.
    public var spendPerHour: [HourBucket]
    public var spendPerUser: [UserSpend]
    public var budgets: ConsoleBudgets
    public var toolUsage: [ToolUsage]
    public var denialsPerHour: [HourBucket]
    public var violationsPerHour: [HourBucket]

    /// Audit event types counted as denials and as violations in the charts (a table: one line per type).
    public static let denialTypes: Set<String> = ["tool_blocked", "approval_denied"]
    public static let violationTypes: Set<String> = ["security_violation", "budget_exceeded", "timeout"]

    /// Computes the dashboard.
    /// - Parameters:
    ///   - sessions: recent sessions (any status).
    ///   - runs: worker runs (empty when there is no worker API).
    ///   - records: audit records of (at least) the last 24 hours.
    ///   - dailySpend: today's spend per user.
    ///   - budgets: the policy's budgets.
    ///   - pendingApprovals: how many approvals wait.
    ///   - killSwitch: the kill switch, nil when it could not be read.
    ///   - now: the time of the dashboard.
    public static func build(sessions: [SessionSnapshot], runs: [RunItem], records: [AuditRecord],
                             dailySpend: [String: Double], budgets: ConsoleBudgets, pendingApprovals: Int,
                             killSwitch: KillSwitchState?, now: Date) -> DashboardData {
        let hours = hourStarts(endingAt: now, count: 24)
        let first = hours[0]
        func bucketIndex(_ date: Date) -> Int? {
            let index = Int((date.timeIntervalSince(first) / 3600).rounded(.down))
            return (0..<hours.count).contains(index) ? index : nil
        }

        var spend = [Double](repeating: 0, count: hours.count)
        for session in sessions { if let i = bucketIndex(session.lastActivity) { spend[i] += session.costUSD } }

        var denials = [Double](repeating: 0, count: hours.count)
        var violations = [Double](repeating: 0, count: hours.count)
        for record in records {
            guard let time = AuditTime.parse(record.time), let i = bucketIndex(time) else { continue }
            if denialTypes.contains(record.type) { denials[i] += 1 }
            if violationTypes.contains(record.type) { violations[i] += 1 }
        }

        var usage: [String: ToolUsage] = [:]
        for session in sessions {
            for (tool, counts) in session.counts {
                var entry = usage[tool] ?? ToolUsage(tool: tool, allow: 0, ask: 0, deny: 0)
                entry.allow += counts["allow"] ?? 0
                entry.ask += counts["ask"] ?? 0
                entry.deny += counts["deny"] ?? 0
                usage[tool] = entry
            }
        }

        let users = Set(sessions.map(\.user)).union(dailySpend.keys)
        let perUser = users.map { UserSpend(user: $0, spentUSD: dailySpend[$0] ?? 0, budgetUSD: budgets.dailyUSDPerUser) }
            .sorted { ($0.spentUSD, $1.user) > ($1.spentUSD, $0.user) }

        return DashboardData(
            generatedAt: now,
            activeSessions: sessions.filter { $0.status == "active" }.sorted { $0.lastActivity > $1.lastActivity },
            activeRuns: runs.filter(\.isActive),
            pendingApprovals: pendingApprovals,
            killSwitch: killSwitch,
            spendPerHour: zip(hours, spend).map { HourBucket(start: $0, value: $1) },
            spendPerUser: perUser,
            budgets: budgets,
            toolUsage: usage.values.sorted { ($0.total, $1.tool) > ($1.total, $0.tool) },
            denialsPerHour: zip(hours, denials).map { HourBucket(start: $0, value: $1) },
            violationsPerHour: zip(hours, violations).map { HourBucket(start: $0, value: $1) })
    }

    /// The starts of the `count` whole UTC hours ending with the one containing `now`, oldest first.
    static func hourStarts(endingAt now: Date, count: Int) -> [Date] {
        let current = (now.timeIntervalSince1970 / 3600).rounded(.down) * 3600
        return (0..<count).map { Date(timeIntervalSince1970: current - Double(count - 1 - $0) * 3600) }
    }
}

/// The audit trail's time format (`2026-11-25T08:16:15.123Z`).
public enum AuditTime {
    /// Parses an audit record's time; nil when it is not in the trail's format.
    public static func parse(_ string: String) -> Date? {
        try? Date(string, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// `2026-11-25 08:16:15 UTC`.
    public static func display(_ date: Date) -> String {
        let iso = date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
        return iso.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
    }

    /// `08:16`.
    public static func hourMinute(_ date: Date) -> String {
        String(display(date).dropFirst(11).prefix(5))
    }
}
