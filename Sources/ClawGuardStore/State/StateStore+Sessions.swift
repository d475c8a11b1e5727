import ClawGuardCore
import Foundation
import GRDB

extension StateStore {
    // MARK: Sessions

    /// Starts (or restarts) a session and appends `agent_started`. Idempotent for an existing active session
    /// (only the event is appended again).
    public func startSession(_ start: SessionStart, now: Date = Date()) throws(ClawGuardError) -> SessionSnapshot {
        try write("starting session \(start.session)") { db in
            let exists = try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM sessions WHERE id = ?"), arguments: [start.session]) ?? false
            if !exists { try insertSession(start, t: now.timeIntervalSince1970, db: db) }
            var details = start.details
            if let cwd = start.cwd { details["cwd"] = .string(cwd) }
            try appendAudit([AuditEvent(.agentStarted, session: start.session, agent: start.agent, user: start.user,
                                        details: details)], now: now, db: db)
            return try sessionSnapshot(start.session, db: db)!
        }
    }

    func insertSession(_ start: SessionStart, t: Double, db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO sessions(id, agent, user, cwd, started_at, last_activity, transcript_path)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [start.session, start.agent, start.user, start.cwd, t, t, start.transcriptPath])
    }

    /// Ends a session (the agent stopped) and appends `agent_completed` with duration and cost. The spend is
    /// brought up to date from the transcript first when `prices` is given.
    @discardableResult
    public func endSession(_ id: String, success: Bool = true, prices: PriceTable? = nil,
                           now: Date = Date()) throws(ClawGuardError) -> SessionSnapshot? {
        try write("ending session \(id)") { db in
            guard let before = try sessionSnapshot(id, db: db) else { return nil }
            if let prices, let path = try String.fetchOne(db.cachedStatement(sql: "SELECT transcript_path FROM sessions WHERE id = ?"), arguments: [id]) {
                if let delta = try? readTranscript(session: id, path: path, prices: prices, user: before.user,
                                                   day: StoreSupport.utcDay(now), db: db) {
                    try db.execute(sql: "UPDATE sessions SET cost_usd = cost_usd + ?, cost_flagged = cost_flagged OR ? WHERE id = ?",
                                   arguments: [delta.usd, !delta.unknownModels.isEmpty || delta.malformedLines > 0, id])
                }
            }
            try db.cachedStatement(sql: """
                UPDATE sessions SET ended_at = ?, status = CASE status WHEN 'active' THEN 'ended' ELSE status END
                WHERE id = ?
                """).execute(arguments: [now.timeIntervalSince1970, id])
            let after = try sessionSnapshot(id, db: db)!
            try appendAudit([AuditEvent(.agentCompleted, session: id, agent: after.agent, user: after.user, details: [
                "duration": .number((now.timeIntervalSince(after.startedAt) * 1000).rounded() / 1000),
                "cost": .number(after.costUSD), "success": .bool(success), "calls": .number(Double(after.calls)),
            ])], now: now, db: db)
            return after
        }
    }

    /// Terminates a session: every later tool call in it is denied. Appends `session_terminated`.
    /// - Returns: false when there is no such session.
    @discardableResult
    public func terminateSession(_ id: String, reason: String, now: Date = Date()) throws(ClawGuardError) -> Bool {
        try write("terminating session \(id)") { db in
            try db.execute(sql: "UPDATE sessions SET status = 'terminated', status_reason = ? WHERE id = ?",
                           arguments: [reason, id])
            guard db.changesCount > 0, let session = try sessionSnapshot(id, db: db) else { return false }
            try appendAudit([AuditEvent(.sessionTerminated, session: id, agent: session.agent, user: session.user,
                                        reason: reason, details: ["by": .string(options.actor)])], now: now, db: db)
            return true
        }
    }

    /// Adds `usd` to a session's spend (and the user's day), for agents without a transcript.
    public func addCost(session id: String, usd: Double, now: Date = Date()) throws(ClawGuardError) {
        guard usd.isFinite, usd >= 0 else { throw ClawGuardError(.invalidInput, "cost must be a finite, non-negative amount, not \(usd)") }
        try write("adding cost to session \(id)") { db in
            guard let user = try String.fetchOne(db.cachedStatement(sql: "SELECT user FROM sessions WHERE id = ?"), arguments: [id]) else {
                throw ClawGuardError(.notFound, "no session \(id)")
            }
            try db.cachedStatement(sql: "UPDATE sessions SET cost_usd = cost_usd + ? WHERE id = ?").execute(arguments: [usd, id])
            try db.cachedStatement(sql: """
                INSERT INTO daily_spend(user, day, usd) VALUES (?, ?, ?)
                ON CONFLICT(user, day) DO UPDATE SET usd = usd + excluded.usd
                """).execute(arguments: [user, StoreSupport.utcDay(now), usd])
        }
    }

    /// A session, or nil.
    public func session(_ id: String) throws(ClawGuardError) -> SessionSnapshot? {
        try read("reading session \(id)") { db in try sessionSnapshot(id, db: db) }
    }

    /// The most recently active sessions.
    public func sessions(limit: Int = 50) throws(ClawGuardError) -> [SessionSnapshot] {
        try read("listing sessions") { db in
            try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM sessions ORDER BY last_activity DESC LIMIT ?"), arguments: [limit])
                .compactMap { try sessionSnapshot($0, db: db) }
        }
    }

    /// A user's spend on a UTC day (`YYYY-MM-DD`; default today).
    public func dailySpend(user: String, day: String? = nil) throws(ClawGuardError) -> Double {
        try read("reading daily spend") { db in
            try Double.fetchOne(db, sql: "SELECT usd FROM daily_spend WHERE user = ? AND day = ?",
                                arguments: [user, day ?? StoreSupport.utcDay(Date())]) ?? 0
        }
    }

    func sessionSnapshot(_ id: String, db: Database) throws -> SessionSnapshot? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM sessions WHERE id = ?"), arguments: [id]) else { return nil }
        var counts: [String: [String: Int]] = [:]
        for count in try Row.fetchAll(db.cachedStatement(sql: "SELECT tool, status, count FROM tool_counts WHERE session = ?"), arguments: [id]) {
            counts[count["tool"], default: [:]][count["status"]] = count["count"]
        }
        let ended: Double? = row["ended_at"]
        return SessionSnapshot(
            id: row["id"], agent: row["agent"], user: row["user"], cwd: row["cwd"],
            startedAt: Date(timeIntervalSince1970: row["started_at"]),
            lastActivity: Date(timeIntervalSince1970: row["last_activity"]),
            endedAt: ended.map(Date.init(timeIntervalSince1970:)), status: row["status"], statusReason: row["status_reason"],
            costUSD: row["cost_usd"], costFlagged: row["cost_flagged"], calls: row["calls"], counts: counts)
    }

    // MARK: Kill switch

    /// Turns the kill switch on or off (appends a `kill_switch` event). While on, every decision is deny.
    @discardableResult
    public func setKillSwitch(_ on: Bool, reason: String? = nil, now: Date = Date()) throws(ClawGuardError) -> KillSwitchState {
        try write("setting the kill switch") { db in
            let state = KillSwitchState(on: on, reason: reason, changedAt: now, changedBy: options.actor)
            let json = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
            try db.execute(sql: "INSERT INTO settings(key, value) VALUES ('kill_switch', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [json])
            try appendAudit([AuditEvent(.killSwitch, user: options.actor, decision: on ? .deny : nil, reason: reason,
                                        details: ["on": .bool(on), "reason": reason.map(JSONValue.string) ?? .null])],
                            now: now, db: db)
            return state
        }
    }

    /// The kill switch's state.
    public func killSwitch() throws(ClawGuardError) -> KillSwitchState {
        try read("reading the kill switch") { db in try killSwitchState(db: db) }
    }

    func killSwitchState(db: Database) throws -> KillSwitchState {
        guard let json = try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM settings WHERE key = 'kill_switch'")) else {
            return KillSwitchState(on: false)
        }
        do {
            return try JSONDecoder().decode(KillSwitchState.self, from: Data(json.utf8))
        } catch {
            // A kill switch that cannot be read is on: fail closed.
            return KillSwitchState(on: true, reason: "kill switch setting is unreadable (\(error)); treated as on")
        }
    }

    // MARK: Shadow mode

    /// Sets an agent to shadow (observe-only) mode, or back to enforcing.
    public func setShadow(agent: String, _ on: Bool) throws(ClawGuardError) {
        try write("setting shadow mode") { db in
            if on {
                try db.execute(sql: "INSERT INTO settings(key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE SET value = '1'",
                               arguments: ["shadow." + agent])
            } else {
                try db.cachedStatement(sql: "DELETE FROM settings WHERE key = ?").execute(arguments: ["shadow." + agent])
            }
        }
    }

    /// Whether an agent is in shadow mode.
    public func isShadow(agent: String) throws(ClawGuardError) -> Bool {
        try read("reading shadow mode") { db in try isShadow(agent: agent, db: db) }
    }

    func isShadow(agent: String, db: Database) throws -> Bool {
        try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM settings WHERE key = ?"), arguments: ["shadow." + agent]) == "1"
    }
}
