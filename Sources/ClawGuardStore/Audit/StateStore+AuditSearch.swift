import ClawGuardCore
import Foundation
import GRDB

extension StateStore {
    /// Searches the audit trail, newest first: records with `seq < beforeSeq` (when given) matching the session,
    /// the event type and a case-insensitive substring of tool, reason, rule, user, agent, session or details.
    /// Used by the web console's audit page (paging backwards with `beforeSeq`).
    /// - Parameters:
    ///   - session: exact session id, or nil.
    ///   - type: exact event type name, or nil.
    ///   - text: substring (no wildcards: `%` and `_` are literal), or nil.
    ///   - beforeSeq: only records older than this seq.
    ///   - limit: at most this many records (1…1000).
    /// - Returns: matching records, newest first.
    public func searchAudit(session: String? = nil, type: String? = nil, text: String? = nil, beforeSeq: Int64? = nil,
                            limit: Int = 100) throws(ClawGuardError) -> [AuditRecord] {
        try read("searching the audit trail") { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let session { conditions.append("session = ?"); arguments.append(session) }
            if let type { conditions.append("type = ?"); arguments.append(type) }
            if let beforeSeq { conditions.append("seq < ?"); arguments.append(beforeSeq) }
            if let text, !text.isEmpty {
                let fields = ["tool", "reason", "rule", "user", "agent", "session", "details"]
                    .map { "instr(lower(COALESCE(\($0), '')), lower(?)) > 0" }
                conditions.append("(" + fields.joined(separator: " OR ") + ")")
                arguments.append(contentsOf: Array(repeating: text, count: fields.count))
            }
            var sql = "SELECT * FROM audit_log"
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY seq DESC LIMIT \(min(max(limit, 1), 1000))"
            return try AuditRecord.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
        }
    }
}
