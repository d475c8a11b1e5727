import ClawGuardCore
import Foundation

/// The limits the policy puts on agents, in the shape the store enforces them. The policy model maps its
/// `limits`, `budgets`, `loop_detection`, `time_windows`, `session_timeout` and `shadow` sections onto this.
public struct Limits: Sendable, Hashable {
    /// Rate limits (GCRA), each per agent, session or user.
    public var rateLimits: [RateLimitRule]
    /// Spend limits, or nil for none.
    public var budget: BudgetLimits?
    /// Repeated-call detection, or nil for none.
    public var loopDetection: LoopDetection?
    /// Allowed time windows; empty means any time. A call outside every window is denied.
    public var timeWindows: [TimeWindow]
    /// Idle and total-duration limits for a session, or nil for none.
    public var sessionTimeout: SessionTimeout?
    /// Observe only: decisions are computed, recorded and alerted on, but the enforced answer is the verdict's
    /// own decision capped at `allow` (the hook stays out of the way). The kill switch is enforced regardless.
    public var shadow: Bool

    public init(
        rateLimits: [RateLimitRule] = [], budget: BudgetLimits? = nil, loopDetection: LoopDetection? = LoopDetection(),
        timeWindows: [TimeWindow] = [], sessionTimeout: SessionTimeout? = nil, shadow: Bool = false
    ) {
        self.rateLimits = rateLimits
        self.budget = budget
        self.loopDetection = loopDetection
        self.timeWindows = timeWindows
        self.sessionTimeout = sessionTimeout
        self.shadow = shadow
    }

    /// No limits at all (loop detection off too).
    public static let none = Limits(loopDetection: nil)
}

/// Who a rate limit counts for.
public enum LimitScope: String, Sendable, Hashable, Codable, CaseIterable {
    case agent, session, user
}

/// `count` tool calls per `period` seconds for each agent, session or user, optionally for one tool only.
/// Enforced with GCRA (the generic cell rate algorithm): calls are spaced `period / count` apart on average,
/// with a burst of up to `burst` calls at once (default: `count`, so a full quota may be spent at once).
public struct RateLimitRule: Sendable, Hashable, Codable {
    /// The rule's name as the policy shows it (e.g. `limits.per_minute`); quoted in deny reasons.
    public var name: String
    public var scope: LimitScope
    public var count: Int
    /// The period in seconds (60, 3600, 86400…).
    public var period: Double
    /// The largest burst; nil means `count`.
    public var burst: Int?
    /// Only calls of this tool count (nil: every tool).
    public var tool: String?

    public init(name: String, scope: LimitScope, count: Int, period: Double, burst: Int? = nil, tool: String? = nil) {
        self.name = name
        self.scope = scope
        self.count = count
        self.period = period
        self.burst = burst
        self.tool = tool
    }

    /// `count` per minute.
    public static func perMinute(_ count: Int, _ scope: LimitScope, name: String? = nil) -> RateLimitRule {
        RateLimitRule(name: name ?? "\(scope.rawValue) \(count)/minute", scope: scope, count: count, period: 60)
    }
    /// `count` per hour.
    public static func perHour(_ count: Int, _ scope: LimitScope, name: String? = nil) -> RateLimitRule {
        RateLimitRule(name: name ?? "\(scope.rawValue) \(count)/hour", scope: scope, count: count, period: 3600)
    }
    /// `count` per day.
    public static func perDay(_ count: Int, _ scope: LimitScope, name: String? = nil) -> RateLimitRule {
        RateLimitRule(name: name ?? "\(scope.rawValue) \(count)/day", scope: scope, count: count, period: 86_400)
    }
}

/// Spend limits in US dollars. Session spend is read from the agent's transcript; the daily total is per user
/// and per UTC day.
public struct BudgetLimits: Sendable, Hashable {
    public var sessionUSD: Double?
    public var dailyUSDPerUser: Double?
    /// Fraction of a limit at which a warning goes out once (default 0.8).
    public var warnAt: Double
    /// Prices per model.
    public var prices: PriceTable

    public init(sessionUSD: Double? = nil, dailyUSDPerUser: Double? = nil, warnAt: Double = 0.8, prices: PriceTable = .anthropic) {
        self.sessionUSD = sessionUSD
        self.dailyUSDPerUser = dailyUSDPerUser
        self.warnAt = warnAt
        self.prices = prices
    }
}

/// The same tool call (same tool and input) `repeats` times within the session's last `window` calls is denied.
public struct LoopDetection: Sendable, Hashable, Codable {
    public var repeats: Int
    public var window: Int
    /// What a detected loop gets when nothing else is hit: deny (default) or ask.
    public var action: Decision

    public init(repeats: Int = 3, window: Int = 5, action: Decision = .deny) {
        self.repeats = repeats
        self.window = window
        self.action = action
    }
}

/// A weekly time window in a time zone, e.g. Monday–Friday 09:00–18:00 Europe/Berlin.
public struct TimeWindow: Sendable, Hashable, Codable {
    public var name: String
    /// IANA time zone identifier (`Europe/Berlin`, `UTC`).
    public var timeZone: String
    /// ISO weekdays 1 (Monday) … 7 (Sunday).
    public var days: Set<Int>
    /// Minutes after midnight, start inclusive, end exclusive. `end < start` wraps past midnight.
    public var startMinute: Int
    public var endMinute: Int
    /// Windows of one group are alternatives; a call must fall in some window of every group (one group per
    /// policy layer: each layer's `time_windows` must allow the call).
    public var group: String

    public init(name: String, timeZone: String, days: Set<Int>, startMinute: Int, endMinute: Int, group: String = "") {
        self.name = name
        self.timeZone = timeZone
        self.days = days
        self.startMinute = startMinute
        self.endMinute = endMinute
        self.group = group
    }

    /// Parses `HH:MM` into minutes after midnight.
    /// - Throws: `ClawGuardError(.invalidPolicy)` for anything else.
    public static func minutes(_ text: String) throws -> Int {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m),
            h * 60 + m <= 1440
        else { throw StoreSupport.error(.invalidPolicy, "time '\(text)' is not HH:MM") }
        return h * 60 + m
    }
}

/// Session timeouts in seconds.
public struct SessionTimeout: Sendable, Hashable, Codable {
    /// Longest pause between two tool calls.
    public var idle: Double?
    /// Longest session, from its start.
    public var maxDuration: Double?

    public init(idle: Double? = nil, maxDuration: Double? = nil) {
        self.idle = idle
        self.maxDuration = maxDuration
    }
}
