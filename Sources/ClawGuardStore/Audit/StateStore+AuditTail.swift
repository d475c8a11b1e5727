import ClawGuardCore
import Foundation
import GRDB

extension StateStore {
    /// Up to `limit` audit records with `seq > afterSeq`, oldest first: one bounded batch for a follower of the
    /// trail (the monitoring tail). Pruned records are simply skipped.
    /// - Throws: `ClawGuardError(.store)`.
    public func auditBatch(after afterSeq: Int64, limit: Int) throws(ClawGuardError) -> [AuditRecord] {
        try read("reading an audit batch") { db in
            try AuditRecord.fetchAll(
                db, sql: "SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?",
                arguments: [afterSeq, max(limit, 1)])
        }
    }

    /// The `seq` just before the first audit record written at or after `time` (the newest `seq` when none is),
    /// so a follower can start with the recent past.
    public func auditSeq(before time: Date) throws(ClawGuardError) -> Int64 {
        try read("finding an audit position") { db in
            if let first = try Int64.fetchOne(
                db, sql: "SELECT seq FROM audit_log WHERE time >= ? ORDER BY seq LIMIT 1",
                arguments: [StoreSupport.iso8601(time)])
            {
                return first - 1
            }
            return try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM audit_log") ?? 0
        }
    }

    /// A follower's stored position in the audit trail (`settings` key `cursor.NAME`), or nil.
    public func auditCursor(_ name: String) throws(ClawGuardError) -> Int64? {
        try read("reading cursor \(name)") { db in
            try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: ["cursor." + name])
                .flatMap { Int64($0) }
        }
    }

    /// Stores a follower's position in the audit trail.
    public func setAuditCursor(_ name: String, to seq: Int64) throws(ClawGuardError) {
        try write("storing cursor \(name)") { db in
            try db.execute(
                sql: "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: ["cursor." + name, String(seq)])
        }
    }
}
