import ClawGuardCore

extension Limits {
    /// The limits a policy sets, in the shape the store enforces them: `limits` (per agent, session and user,
    /// per minute, hour and day), `budgets` (with the policy's prices laid over the built-in table),
    /// `loop_detection`, `time_windows`, `session_timeout` and `shadow`.
    public init(policy: Policy) {
        var rules: [RateLimitRule] = []
        let scopes: [(LimitScope, ClawGuardCore.RateLimit, String)] = [
            (.agent, policy.limits.perAgent, "limits.per_agent"), (.session, policy.limits.perSession, "limits.per_session"),
            (.user, policy.limits.perUser, "limits.per_user"),
        ]
        for (scope, limit, name) in scopes {
            if let n = limit.perMinute { rules.append(.perMinute(n, scope, name: "\(name).per_minute")) }
            if let n = limit.perHour { rules.append(.perHour(n, scope, name: "\(name).per_hour")) }
            if let n = limit.perDay { rules.append(.perDay(n, scope, name: "\(name).per_day")) }
        }
        var budget: BudgetLimits?
        let b = policy.budgets
        if b.sessionUSD != nil || b.dailyUSDPerUser != nil {
            var models = b.prices.sorted { $0.key < $1.key }.map { model, price in
                ModelPrice(model, input: price.inputPerMTok, output: price.outputPerMTok, cacheWrite5m: price.cacheWritePerMTok,
                           cacheRead: price.cacheReadPerMTok)
            }
            models += PriceTable.anthropic.models.filter { known in !models.contains { $0.modelPrefix == known.modelPrefix } }
            budget = BudgetLimits(
                sessionUSD: b.sessionUSD, dailyUSDPerUser: b.dailyUSDPerUser, warnAt: (b.warnAtPercent ?? 80) / 100,
                prices: PriceTable(models))
        }
        let loop = policy.loopDetection.enabled
            ? LoopDetection(repeats: policy.loopDetection.repeatCount, window: policy.loopDetection.window,
                            action: policy.loopDetection.action.decision) : nil
        var windows: [TimeWindow] = []
        for (layer, set) in policy.timeWindows.enumerated() {
            for (index, window) in set.allowed.enumerated() {
                windows.append(TimeWindow(name: "time_windows[\(layer)].allowed[\(index)]", timeZone: set.timeZone,
                                          days: Set(window.days), startMinute: window.startMinute, endMinute: window.endMinute,
                                          group: "layer \(layer)"))
            }
        }
        self.init(
            rateLimits: rules, budget: budget, loopDetection: loop, timeWindows: windows,
            sessionTimeout: policy.sessionTimeoutSeconds.map { SessionTimeout(idle: nil, maxDuration: Double($0)) },
            shadow: policy.shadow)
    }
}
