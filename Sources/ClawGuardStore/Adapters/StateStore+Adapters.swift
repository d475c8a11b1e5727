import ClawGuardCore
import Foundation
import GRDB

/// Access for adapter targets of this package (the gateway's tokens and approvals, the worker's runs) that keep
/// their own tables in the same database. Not public API: adapters own their SQL, the store owns the connection,
/// its transactions and its error mapping.
extension StateStore {
    /// Applies an adapter's own migrations (its own identifiers, recorded in `grdb_migrations` beside the
    /// store's). Safe to call on every start: applied migrations are skipped; concurrent first starts serialize
    /// on the store's lock file.
    /// - Throws: `ClawGuardError(.store)`.
    package func migrate(_ migrator: DatabaseMigrator) throws(ClawGuardError) {
        try StoreSupport.wrap("migrating adapter tables") {
            try Self.withFileLock(path + ".lock", when: path != ":memory:") { try migrator.migrate(writer) }
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction (see `write`).
    package func adapterWrite<T>(_ what: String, _ body: (Database) throws -> T) throws(ClawGuardError) -> T {
        try write(what, body)
    }

    /// Runs a read.
    package func adapterRead<T>(_ what: String, _ body: (Database) throws -> T) throws(ClawGuardError) -> T {
        try read(what, body)
    }

    /// Appends audit events inside an adapter's transaction (the chain stays one chain).
    package func appendAudit(_ events: [AuditEvent], now: Date, in db: Database) throws -> [AuditRecord] {
        try appendAudit(events, now: now, db: db)
    }

    /// Checks and records a tool call inside an adapter's transaction (see `recordToolCall`).
    package func recordToolCall(_ call: ToolCallEvent, verdict: Verdict, limits: Limits, now: Date,
                                in db: Database) throws -> ToolCallOutcome {
        try recordToolCall(call, verdict: verdict, limits: limits, now: now, db: db)
    }
}

extension StateStore {
    /// How hard a commit waits for the disk.
    package enum Durability: String, Sendable, CaseIterable {
        /// `PRAGMA synchronous = FULL` (SQLite's default): every commit is on disk before it returns.
        case full
        /// `PRAGMA synchronous = NORMAL` in WAL mode: commits survive a crash of the process, and the database stays
        /// consistent (and the audit chain intact) after a power loss, which may lose the last commits.
        case normal
    }

    /// Sets this store connection's durability (a long-running server's choice; hooks keep the default).
    package func setDurability(_ durability: Durability) throws(ClawGuardError) {
        try StoreSupport.wrap("setting durability") {
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: durability == .full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
            }
        }
    }
}
