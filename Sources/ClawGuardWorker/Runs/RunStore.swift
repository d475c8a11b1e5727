import ClawGuardCore
import ClawGuardStore
import Foundation
import GRDB

/// One agent run of the worker API (`worker_runs`): what was asked, what happened, what it cost.
/// Text fields (prompt, result, error) are stored with credentials already redacted by the caller.
public struct RunRow: Sendable, Hashable, Codable {
    public var id: String
    public var user: String
    public var profile: String
    /// The phase this row runs (`single`, `explore`, `execute`).
    public var phase: String
    /// The run this one continues (the explore run of an execute phase).
    public var parentID: String?
    public var prompt: String
    /// `queued`, `running`, `awaiting_approval`, `completed`, `failed`, `cancelled`, `timed_out`, `budget_exceeded`,
    /// `rejected`.
    public var status: String
    public var budgetUSD: Double
    public var timeoutSeconds: Double
    /// The agent's session id (its decisions in the audit trail carry it).
    public var session: String?
    public var createdAt: Double
    public var startedAt: Double?
    public var endedAt: Double?
    public var result: String?
    public var costUSD: Double
    public var durationSeconds: Double?
    /// JSON array of the denials (tool, input, reason).
    public var denials: String
    /// Why it ended: `completed`, `error`, `timeout`, `cancelled`, `budget`, `rejected`, `start_failed`.
    public var endReason: String?
    public var exitStatus: Int?
    public var error: String?

    public init(id: String, user: String, profile: String, phase: String = "single", parentID: String? = nil,
                prompt: String, status: String = "queued", budgetUSD: Double, timeoutSeconds: Double,
                session: String? = nil, createdAt: Double, startedAt: Double? = nil, endedAt: Double? = nil,
                result: String? = nil, costUSD: Double = 0, durationSeconds: Double? = nil, denials: String = "[]",
                endReason: String? = nil, exitStatus: Int? = nil, error: String? = nil) {
        self.id = id
        self.user = user
        self.profile = profile
        self.phase = phase
        self.parentID = parentID
        self.prompt = prompt
        self.status = status
        self.budgetUSD = budgetUSD
        self.timeoutSeconds = timeoutSeconds
        self.session = session
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.result = result
        self.costUSD = costUSD
        self.durationSeconds = durationSeconds
        self.denials = denials
        self.endReason = endReason
        self.exitStatus = exitStatus
        self.error = error
    }
}

extension RunRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "worker_runs"
    enum CodingKeys: String, CodingKey {
        case id, user, profile, phase, parentID = "parent_id", prompt, status, budgetUSD = "budget_usd"
        case timeoutSeconds = "timeout_seconds", session, createdAt = "created_at", startedAt = "started_at"
        case endedAt = "ended_at", result, costUSD = "cost_usd", durationSeconds = "duration_seconds", denials
        case endReason = "end_reason", exitStatus = "exit_status", error
    }
}

/// One event of a run, in order (`worker_run_events`): replayable after the fact.
public struct RunEventRow: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "worker_run_events"
    public var runID: String
    public var seq: Int
    public var time: Double
    public var kind: String
    /// JSON object.
    public var data: String

    public init(runID: String, seq: Int, time: Double, kind: String, data: String) {
        self.runID = runID
        self.seq = seq
        self.time = time
        self.kind = kind
        self.data = data
    }

    enum CodingKeys: String, CodingKey { case runID = "run_id", seq, time, kind, data }
}

/// The worker's tables in the state database, as GRDB migrations with their own identifiers (applied with the
/// store's `migrate`, as the gateway's are). Add a migration with one `registerMigration` line.
enum WorkerSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("worker-v1-runs", migrate: v1)
        return migrator
    }

    static func v1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE worker_runs (
                id TEXT PRIMARY KEY NOT NULL, user TEXT NOT NULL, profile TEXT NOT NULL,
                phase TEXT NOT NULL, parent_id TEXT, prompt TEXT NOT NULL, status TEXT NOT NULL,
                budget_usd REAL NOT NULL, timeout_seconds REAL NOT NULL, session TEXT,
                created_at REAL NOT NULL, started_at REAL, ended_at REAL, result TEXT,
                cost_usd REAL NOT NULL DEFAULT 0, duration_seconds REAL, denials TEXT NOT NULL DEFAULT '[]',
                end_reason TEXT, exit_status INTEGER, error TEXT
            );
            CREATE INDEX worker_runs_user ON worker_runs(user, created_at);
            CREATE INDEX worker_runs_created ON worker_runs(created_at);
            CREATE TABLE worker_run_events (
                run_id TEXT NOT NULL, seq INTEGER NOT NULL, time REAL NOT NULL, kind TEXT NOT NULL,
                data TEXT NOT NULL, PRIMARY KEY (run_id, seq)
            ) WITHOUT ROWID;
            """)
    }
}

/// The worker's runs and their events, in the state database (real SQLite; the store owns the connection).
public struct RunStore: Sendable {
    public let store: StateStore

    /// Applies the worker's migrations (idempotent).
    /// - Throws: `ClawGuardError(.store)`.
    public init(store: StateStore) throws(ClawGuardError) {
        self.store = store
        try store.migrate(WorkerSchema.migrator)
    }

    func write<T>(_ what: String, _ body: (Database) throws -> T) throws(ClawGuardError) -> T {
        try store.adapterWrite(what, body)
    }

    func read<T>(_ what: String, _ body: (Database) throws -> T) throws(ClawGuardError) -> T {
        try store.adapterRead(what, body)
    }

    /// The UTC day `YYYY-MM-DD` of `date` (as the store keys daily spend).
    static func utcDay(_ date: Date) -> String {
        String(date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)).prefix(10))
    }

    /// Statuses of a run that has not ended.
    public static let activeRunStatuses = ["queued", "running", "awaiting_approval"]

    /// Inserts a run after checking, in the same `BEGIN IMMEDIATE` transaction, that `admit` accepts the counts
    /// it is given (so two concurrent starts cannot both pass a per-user limit).
    /// - Parameter admit: called with the counts; returns a refusal message, or nil to insert.
    /// - Returns: nil when inserted, else the refusal.
    public func insertRun(_ run: RunRow, windows: [Double],
                          admit: (RunAdmissionCounts) -> String?) throws(ClawGuardError) -> String? {
        try write("inserting run \(run.id)") { db in
            let active = Self.activeRunStatuses.map { "'\($0)'" }.joined(separator: ",")
            var counts = RunAdmissionCounts()
            counts.activeForUser = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM worker_runs WHERE user = ? AND status IN (\(active))",
                arguments: [run.user]) ?? 0
            for window in windows {
                let since = run.createdAt - window
                counts.startedByUser[window] = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM worker_runs WHERE user = ? AND created_at > ? AND parent_id IS NULL",
                    arguments: [run.user, since]) ?? 0
                counts.startedGlobally[window] = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM worker_runs WHERE created_at > ? AND parent_id IS NULL",
                    arguments: [since]) ?? 0
            }
            counts.spentByUserToday = try Double.fetchOne(
                db, sql: "SELECT usd FROM daily_spend WHERE user = ? AND day = ?",
                arguments: [run.user, Self.utcDay(Date(timeIntervalSince1970: run.createdAt))]) ?? 0
            counts.reservedByUser = try Double.fetchOne(
                db, sql: "SELECT COALESCE(SUM(budget_usd), 0) FROM worker_runs WHERE user = ? AND status IN (\(active))",
                arguments: [run.user]) ?? 0
            if let refusal = admit(counts) { return refusal }
            try run.insert(db)
            return nil
        }
    }

    /// Writes a run's current state.
    public func updateRun(_ run: RunRow) throws(ClawGuardError) {
        try write("updating run \(run.id)") { db in try run.update(db) }
    }

    /// Adds a run's spend to its user's daily spend (once, when the run ends).
    public func addDailySpend(user: String, usd: Double, now: Date = Date()) throws(ClawGuardError) {
        guard usd > 0 else { return }
        try write("adding daily spend") { db in
            try db.execute(sql: """
                INSERT INTO daily_spend(user, day, usd) VALUES (?, ?, ?)
                ON CONFLICT(user, day) DO UPDATE SET usd = usd + excluded.usd
                """, arguments: [user, Self.utcDay(now), usd])
        }
    }

    /// One run, or nil.
    public func run(id: String) throws(ClawGuardError) -> RunRow? {
        try read("reading run \(id)") { db in try RunRow.fetchOne(db, key: id) }
    }

    /// The newest runs, optionally of one user.
    public func runs(user: String? = nil, limit: Int = 50) throws(ClawGuardError) -> [RunRow] {
        try read("listing runs") { db in
            if let user {
                return try RunRow.fetchAll(db, sql: "SELECT * FROM worker_runs WHERE user = ? ORDER BY created_at DESC LIMIT ?",
                                           arguments: [user, limit])
            }
            return try RunRow.fetchAll(db, sql: "SELECT * FROM worker_runs ORDER BY created_at DESC LIMIT ?", arguments: [limit])
        }
    }

    /// Appends events of a run.
    public func appendRunEvents(_ events: [RunEventRow]) throws(ClawGuardError) {
        guard !events.isEmpty else { return }
        try write("appending run events") { db in for e in events { try e.insert(db) } }
    }

    /// A run's events after `afterSeq`, in order.
    public func runEvents(runID: String, afterSeq: Int = -1) throws(ClawGuardError) -> [RunEventRow] {
        try read("reading run events") { db in
            try RunEventRow.fetchAll(db, sql: "SELECT * FROM worker_run_events WHERE run_id = ? AND seq > ? ORDER BY seq",
                                     arguments: [runID, afterSeq])
        }
    }
}

/// What the admission check of a new run sees (read in the inserting transaction).
public struct RunAdmissionCounts: Sendable, Hashable {
    /// Runs of the user not yet ended.
    public var activeForUser = 0
    /// Runs the user started within each window (seconds → count).
    public var startedByUser: [Double: Int] = [:]
    /// Runs anyone started within each window.
    public var startedGlobally: [Double: Int] = [:]
    /// The user's recorded spend today (UTC).
    public var spentByUserToday: Double = 0
    /// Budgets of the user's runs not yet ended (reserved against the daily budget).
    public var reservedByUser: Double = 0

    public init() {}
}
