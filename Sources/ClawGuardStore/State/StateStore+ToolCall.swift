import ClawGuardCore
import Foundation
import GRDB

extension StateStore {
    /// Checks one tool call against the kill switch, the session's status and timeouts, time windows, budgets,
    /// loop detection and rate limits, then records it (session counters, loop history, rate buckets, audit
    /// events), all in ONE `BEGIN IMMEDIATE` transaction.
    ///
    /// The decision is the verdict's, raised to deny by any limit hit. A denied call does not consume rate-limit
    /// quota. In shadow mode (`limits.shadow` or the agent's shadow flag) everything is computed and recorded,
    /// but `enforced` is `allow` — except while the kill switch is on.
    ///
    /// - Parameters:
    ///   - call: the tool call and who makes it.
    ///   - verdict: the decision engine's verdict on the call itself.
    ///   - limits: the policy's limits.
    ///   - now: the current time.
    /// - Returns: the outcome; `enforced` is what the hook must answer.
    /// - Throws: `ClawGuardError(.store)` on any failure (the caller must deny).
    public func recordToolCall(_ call: ToolCallEvent, verdict: Verdict, limits: Limits,
                               now: Date = Date()) throws(ClawGuardError) -> ToolCallOutcome {
        try write("recording a tool call") { db in
            try recordToolCall(call, verdict: verdict, limits: limits, now: now, db: db)
        }
    }

    func recordToolCall(_ call: ToolCallEvent, verdict: Verdict, limits: Limits, now: Date,
                        db: Database) throws -> ToolCallOutcome {
        let t = now.timeIntervalSince1970
        var hits: [LimitHit] = []
        var warnings: [String] = []
        var events: [AuditEvent] = []
        func event(_ type: AuditEventType, decision: Decision? = nil, rule: String? = nil, reason: String? = nil,
                   details: [String: JSONValue] = [:]) -> AuditEvent {
            AuditEvent(type, session: call.session, agent: call.agent, user: call.user, tool: call.tool,
                       decision: decision, rule: rule, reason: reason, details: details)
        }

        let shadow = try limits.shadow || isShadow(agent: call.agent, db: db)

        // Kill switch.
        let kill = try killSwitchState(db: db)
        if kill.on {
            hits.append(LimitHit(.killSwitch, rule: "kill-switch",
                                 reason: "the ClawGuard kill switch is on\(kill.reason.map { " (\($0))" } ?? ""); every tool call is denied until `clawguard kill-switch off`"))
        }

        // Session: create on first sight.
        var row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM sessions WHERE id = ?"), arguments: [call.session])
        if row == nil {
            try insertSession(SessionStart(session: call.session, agent: call.agent, user: call.user, cwd: call.cwd,
                                           transcriptPath: call.transcriptPath), t: t, db: db)
            events.append(event(.agentStarted, details: ["cwd": call.cwd.map(JSONValue.string) ?? .null,
                                                         "source": .string("first tool call")]))
            row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM sessions WHERE id = ?"), arguments: [call.session])
        }
        guard let session = row else { throw ClawGuardError(.store, "session \(call.session) vanished") }
        let status: String = session["status"]
        let statusReason: String? = session["status_reason"]
        let startedAt: Double = session["started_at"]
        let lastActivity: Double = session["last_activity"]

        // Session status and timeouts.
        if status == "terminated" || status == "timed_out" {
            hits.append(LimitHit(.sessionTerminated, rule: "session.\(status)",
                                 reason: "session \(call.session) was \(status == "terminated" ? "terminated" : "timed out")\(statusReason.map { ": \($0)" } ?? ""); start a new session"))
        } else if let timeout = limits.sessionTimeout {
            var timedOut: (rule: String, reason: String, duration: Double)?
            if let idle = timeout.idle, t - lastActivity > idle, lastActivity < t {
                timedOut = ("session_timeout.idle", "session \(call.session) was idle \(Int(t - lastActivity)) s, longer than the \(Int(idle)) s idle timeout", t - lastActivity)
            } else if let maxDuration = timeout.maxDuration, t - startedAt > maxDuration {
                timedOut = ("session_timeout.max_duration", "session \(call.session) has run \(Int(t - startedAt)) s, longer than its \(Int(maxDuration)) s limit", t - startedAt)
            }
            if let timedOut {
                hits.append(LimitHit(.sessionTimeout, rule: timedOut.rule, reason: timedOut.reason))
                if !shadow {
                    try db.execute(sql: "UPDATE sessions SET status = 'timed_out', status_reason = ? WHERE id = ?",
                                   arguments: [timedOut.reason, call.session])
                }
                events.append(event(.timeout, rule: timedOut.rule, reason: timedOut.reason,
                                    details: ["duration": .number(timedOut.duration.rounded())]))
            }
        }

        // Time windows.
        if !limits.timeWindows.isEmpty {
            // Within each group some window must contain now.
            var outsideOf: [TimeWindow] = []
            for group in Set(limits.timeWindows.map(\.group)).sorted() {
                let windows = limits.timeWindows.filter { $0.group == group }
                if try !windows.contains(where: { try $0.contains(now) }) { outsideOf += windows }
            }
            if !outsideOf.isEmpty {
                let names = outsideOf.map { "\($0.name) (\($0.describe))" }.joined(separator: ", ")
                hits.append(LimitHit(.timeWindow, rule: "time_windows",
                                     reason: "tool calls are allowed only during \(names); it is now \(StoreSupport.iso8601(now))"))
            }
        }

        // Budgets: read new transcript bytes first.
        var cost: Double = session["cost_usd"]
        var flagged: Bool = session["cost_flagged"]
        if let budget = limits.budget {
            let day = StoreSupport.utcDay(now)
            let path: String? = call.transcriptPath ?? session["transcript_path"]
            var dailySpent = try Double.fetchOne(db, sql: "SELECT usd FROM daily_spend WHERE user = ? AND day = ?",
                                                 arguments: [call.user, day]) ?? 0
            if let path {
                do {
                    let delta = try readTranscript(session: call.session, path: path, prices: budget.prices,
                                                   user: call.user, day: day, db: db)
                    cost += delta.usd
                    dailySpent += delta.usd
                    if !delta.unknownModels.isEmpty || delta.malformedLines > 0 { flagged = true }
                    for model in delta.unknownModels {
                        warnings.append("model \(model) is not in the price table; its usage is counted at the most expensive known price")
                    }
                    if delta.malformedLines > 0 {
                        warnings.append("\(delta.malformedLines) transcript line(s) of \(path) could not be read; spend may be undercounted")
                    }
                } catch let error as ClawGuardError {
                    hits.append(LimitHit(.budgetUnknown, rule: "budgets",
                                         reason: "a budget applies but the session's spend is unknown: \(error.message)"))
                }
            }
            let checks: [(kind: LimitKind, rule: String, limit: Double?, spent: Double, what: String, warnColumn: String)] = [
                (.sessionBudget, "budgets.session_usd", budget.sessionUSD, cost, "session \(call.session)", "session"),
                (.dailyBudget, "budgets.daily_usd_per_user", budget.dailyUSDPerUser, dailySpent, "user \(call.user) today (UTC)", "daily"),
            ]
            for check in checks {
                guard let limit = check.limit else { continue }
                if check.spent >= limit {
                    let reason = "budget exhausted: \(check.what) spent \(StoreSupport.usd(check.spent)) of \(StoreSupport.usd(limit)) (\(check.rule))"
                    hits.append(LimitHit(check.kind, rule: check.rule, reason: reason))
                    events.append(event(.budgetExceeded, decision: .deny, rule: check.rule, reason: reason,
                                        details: ["limit": .number(limit), "actual": .number(check.spent)]))
                } else if check.spent >= limit * budget.warnAt {
                    let warned = try warnOnce(check.warnColumn, session: call.session, user: call.user, day: day, db: db)
                    if !warned {
                        let text = "\(check.what) has spent \(StoreSupport.usd(check.spent)), \(Int((check.spent / limit * 100).rounded())) % of the \(StoreSupport.usd(limit)) budget (\(check.rule))"
                        warnings.append(text)
                        events.append(event(.budgetWarning, rule: check.rule, reason: text,
                                            details: ["limit": .number(limit), "actual": .number(check.spent),
                                                      "threshold": .number(budget.warnAt)]))
                    }
                }
            }
        }

        // Loop detection: this call plus the same fingerprint in the previous window-1 calls.
        if let loop = limits.loopDetection, loop.repeats > 1, loop.window > 1 {
            let previous = try String.fetchAll(
                db.cachedStatement(sql: "SELECT fingerprint FROM tool_calls WHERE session = ? ORDER BY id DESC LIMIT ?"),
                arguments: [call.session, loop.window - 1])
            let repeats = previous.filter { $0 == call.fingerprint }.count + 1
            if repeats >= loop.repeats {
                hits.append(LimitHit(.loop, rule: "loop_detection",
                                     reason: "loop detected: this exact \(call.tool) call was made \(repeats) times within the last \(min(previous.count + 1, loop.window)) calls (limit: \(loop.repeats) in \(loop.window)); change the approach instead of repeating it"))
            }
        }

        // Rate limits: check every applicable bucket; consume only if the call goes through.
        var admitted: [(key: String, tat: Double)] = []
        for rule in limits.rateLimits where rule.tool == nil || rule.tool == call.tool {
            let subject: String = switch rule.scope {
            case .agent: call.agent
            case .session: call.session
            case .user: call.user
            }
            let key = "\(rule.name)|\(rule.scope.rawValue)|\(rule.count)/\(rule.period)|\(rule.tool ?? "*")|\(subject)"
            let tat = try Double.fetchOne(db.cachedStatement(sql: "SELECT tat FROM rate_buckets WHERE key = ?"), arguments: [key])
            let check = GCRA(count: rule.count, period: rule.period, burst: rule.burst).check(tat: tat, now: t)
            if check.conforms {
                admitted.append((key, check.newTAT))
            } else {
                hits.append(LimitHit(.rateLimit, rule: rule.name,
                                     reason: "rate limit \(rule.name): at most \(rule.count) \(rule.tool.map { "\($0) " } ?? "")calls per \(Self.periodText(rule.period)) per \(rule.scope.rawValue) (\(subject)); retry in \(Int(check.retryAfter.rounded(.up))) s"))
            }
        }

        // Decide.
        // Any limit hit denies; a detected loop alone gets the loop rule's action (deny, or ask).
        let loopAction = limits.loopDetection?.action ?? .deny
        let decision: Decision = hits.isEmpty
            ? verdict.decision
            : (hits.allSatisfy { $0.kind == .loop } ? max(verdict.decision, loopAction) : .deny)
        let killOn = hits.contains { $0.kind == .killSwitch }
        let enforced: Decision = shadow && !killOn ? .allow : decision
        let reason = hits.isEmpty ? verdict.reason : hits.map(\.reason).joined(separator: "; ")
        let rule = hits.first?.rule ?? verdict.rule
        if enforced != .deny {
            for bucket in admitted {
                try db.cachedStatement(sql: "INSERT INTO rate_buckets(key, tat) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET tat = excluded.tat")
                    .execute(arguments: [bucket.key, bucket.tat])
            }
        }

        // Record.
        try db.cachedStatement(sql: "INSERT INTO tool_calls(session, tool, fingerprint, decision, at) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [call.session, call.tool, call.fingerprint, decision.rawValue, t])
        let calls: Int = (session["calls"] as Int) + 1
        if calls % 64 == 0 {
            try db.cachedStatement(sql: """
                DELETE FROM tool_calls WHERE session = ? AND id <= (SELECT id FROM tool_calls WHERE session = ? ORDER BY id DESC LIMIT 1 OFFSET 64)
                """).execute(arguments: [call.session, call.session])
        }
        try db.cachedStatement(sql: """
            INSERT INTO tool_counts(session, tool, status, count) VALUES (?, ?, ?, 1)
            ON CONFLICT(session, tool, status) DO UPDATE SET count = count + 1
            """).execute(arguments: [call.session, call.tool, decision.rawValue])
        try db.cachedStatement(sql: """
            UPDATE sessions SET last_activity = ?, calls = ?, cost_usd = ?, cost_flagged = ?,
                transcript_path = COALESCE(?, transcript_path), cwd = COALESCE(?, cwd) WHERE id = ?
            """).execute(arguments: [t, calls, cost, flagged, call.transcriptPath, call.cwd, call.session])

        let parameters = MinimalRedactor.redact(call.input, with: options.redact)
        var details: [String: JSONValue] = [
            "parameters": parameters, "fingerprint": .string(String(call.fingerprint.prefix(16))),
            "enforced": .string(enforced.rawValue),
        ]
        if shadow { details["shadow"] = .bool(true) }
        if !hits.isEmpty {
            details["hits"] = .array(hits.map { .object(["kind": .string($0.kind.rawValue), "rule": .string($0.rule)]) })
        }
        if !verdict.risks.isEmpty {
            details["risks"] = .array(verdict.risks.map { .object(["kind": .string($0.kind.rawValue), "detail": .string($0.detail)]) })
        }
        switch decision {
        case .allow:
            details["approved"] = .bool(true)
            events.append(event(.toolInvoked, decision: decision, rule: rule, reason: reason, details: details))
        case .ask:
            details["risk_level"] = .string(verdict.risks.isEmpty ? "unknown" : verdict.risks.map(\.kind.rawValue).joined(separator: ","))
            events.append(event(.approvalRequested, decision: decision, rule: rule, reason: reason, details: details))
        case .deny:
            details["approved"] = .bool(false)
            events.append(event(.toolBlocked, decision: decision, rule: rule, reason: reason, details: details))
        }
        let audit = try appendAudit(events, now: now, db: db)
        let snapshot = try sessionSnapshot(call.session, db: db)!
        return ToolCallOutcome(decision: decision, enforced: enforced, shadow: shadow, reason: reason, rule: rule,
                               hits: hits, warnings: warnings, session: snapshot, audit: audit)
    }

    /// Records a tool's result (PostToolUse): counts `success` or `error` for the tool and, for errors,
    /// appends an `error` audit event.
    public func recordToolResult(session: String, agent: String, user: String, tool: String, success: Bool,
                                 error: String? = nil, now: Date = Date()) throws(ClawGuardError) {
        try write("recording a tool result") { db in
            try db.cachedStatement(sql: """
                INSERT INTO tool_counts(session, tool, status, count) VALUES (?, ?, ?, 1)
                ON CONFLICT(session, tool, status) DO UPDATE SET count = count + 1
                """).execute(arguments: [session, tool, success ? "success" : "error"])
            try db.execute(sql: "UPDATE sessions SET last_activity = MAX(last_activity, ?) WHERE id = ?",
                           arguments: [now.timeIntervalSince1970, session])
            if !success {
                _ = try appendAudit([AuditEvent(.error, session: session, agent: agent, user: user, tool: tool,
                                            reason: error, details: ["error_type": .string("tool_error")])],
                                now: now, db: db)
            }
        }
    }

    static func periodText(_ period: Double) -> String {
        switch period {
        case 60: "minute"
        case 3600: "hour"
        case 86_400: "day"
        default: "\(Int(period)) s"
        }
    }

    /// Reads the transcript's new bytes, adds their cost to the session and the user's day, moves the cursor.
    func readTranscript(session: String, path: String, prices: PriceTable, user: String, day: String,
                        db: Database) throws -> TranscriptCostReader.Delta {
        let row = try Row.fetchOne(db, sql: "SELECT transcript_path, transcript_offset, transcript_last_message FROM sessions WHERE id = ?",
                                   arguments: [session])
        let storedPath: String? = row?["transcript_path"]
        var cursor = TranscriptCostReader.Cursor(offset: row?["transcript_offset"] ?? 0,
                                                 lastMessageID: row?["transcript_last_message"])
        if storedPath != nil && storedPath != path { cursor = TranscriptCostReader.Cursor() }
        let delta = try TranscriptCostReader(prices: prices).read(path: path, from: cursor)
        try db.execute(sql: "UPDATE sessions SET transcript_path = ?, transcript_offset = ?, transcript_last_message = ? WHERE id = ?",
                       arguments: [path, delta.cursor.offset, delta.cursor.lastMessageID, session])
        if delta.usd > 0 {
            try db.cachedStatement(sql: """
                INSERT INTO daily_spend(user, day, usd) VALUES (?, ?, ?)
                ON CONFLICT(user, day) DO UPDATE SET usd = usd + excluded.usd
                """).execute(arguments: [user, day, delta.usd])
        }
        return delta
    }

    /// Marks the warning as sent; returns whether it had been sent already.
    func warnOnce(_ which: String, session: String, user: String, day: String, db: Database) throws -> Bool {
        if which == "session" {
            let warned = try Bool.fetchOne(db.cachedStatement(sql: "SELECT budget_warned FROM sessions WHERE id = ?"), arguments: [session]) ?? false
            if !warned { try db.execute(sql: "UPDATE sessions SET budget_warned = 1 WHERE id = ?", arguments: [session]) }
            return warned
        }
        try db.execute(sql: "INSERT INTO daily_spend(user, day, usd) VALUES (?, ?, 0) ON CONFLICT(user, day) DO NOTHING",
                       arguments: [user, day])
        let warned = try Bool.fetchOne(db.cachedStatement(sql: "SELECT warned FROM daily_spend WHERE user = ? AND day = ?"), arguments: [user, day]) ?? false
        if !warned { try db.execute(sql: "UPDATE daily_spend SET warned = 1 WHERE user = ? AND day = ?", arguments: [user, day]) }
        return warned
    }
}

extension TimeWindow {
    /// Whether `date` falls inside this window.
    /// - Throws: `ClawGuardError(.invalidPolicy)` for an unknown time zone.
    public func contains(_ date: Date) throws(ClawGuardError) -> Bool {
        guard let zone = TimeZone(identifier: timeZone) else {
            throw ClawGuardError(.invalidPolicy, "time window \(name): unknown time zone '\(timeZone)'")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        // Calendar weekday: 1 = Sunday … 7 = Saturday → ISO: 1 = Monday … 7 = Sunday.
        let isoDay = ((parts.weekday ?? 1) + 5) % 7 + 1
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        if startMinute <= endMinute {
            return days.contains(isoDay) && minute >= startMinute && minute < endMinute
        }
        // Wraps past midnight: the late part belongs to `isoDay`, the early part to the day before.
        let previousDay = isoDay == 1 ? 7 : isoDay - 1
        return (days.contains(isoDay) && minute >= startMinute) || (days.contains(previousDay) && minute < endMinute)
    }

    var describe: String {
        let names = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let dayList = days.sorted().map { (1...7).contains($0) ? names[$0] : "?" }.joined(separator: ",")
        func hm(_ m: Int) -> String { String(format: "%02d:%02d", m / 60, m % 60) }
        return "\(dayList) \(hm(startMinute))–\(hm(endMinute)) \(timeZone)"
    }
}
