import ClawGuardCore
import ClawGuardStore
import Foundation
import GRDB

/// The `approvals` table.
public struct ApprovalStore: Sendable {
    let store: StateStore

    public init(store: StateStore) { self.store = store }

    /// Creates a pending approval.
    public func create(event: ToolCallEvent, verdict: Verdict, diff: String?, now: Date = Date()) throws -> ApprovalRecord {
        let record = ApprovalRecord(
            id: "apr_" + TokenStore.randomHex(8), createdAt: now, session: event.session, agent: event.agent, user: event.user,
            tool: event.tool, fingerprint: event.fingerprint, cwd: event.cwd,
            input: MinimalRedactor.redact(event.input, with: store.options.redact), verdict: verdict,
            risk: verdict.risks.isEmpty ? "unknown" : Array(Set(verdict.risks.map(\.kind.rawValue))).sorted().joined(separator: ","),
            diff: diff, status: .pending, decidedBy: nil, reason: nil, scope: nil, decidedAt: nil)
        try store.adapterWrite("creating an approval") { db in
            try db.execute(sql: """
                INSERT INTO approvals(id, created_at, session, agent, user, tool, fingerprint, cwd, input, verdict, risk, diff, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')
                """, arguments: [record.id, now.timeIntervalSince1970, record.session, record.agent, record.user, record.tool,
                                 record.fingerprint, record.cwd, JSONText.encode(record.input), JSONText.encode(verdict),
                                 record.risk, diff])
        }
        return record
    }

    /// The number of pending approvals.
    public func countPending() throws -> Int {
        try store.adapterRead("counting approvals") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM approvals WHERE status = 'pending'") ?? 0
        }
    }

    /// One approval.
    public func get(_ id: String) throws -> ApprovalRecord? {
        try store.adapterRead("reading an approval") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM approvals WHERE id = ?", arguments: [id]).map(Self.record)
        }
    }

    /// Approvals, newest first, optionally of one status or session.
    public func list(status: ApprovalStatus? = nil, session: String? = nil, limit: Int = 100) throws -> [ApprovalRecord] {
        try store.adapterRead("listing approvals") { db in
            var sql = "SELECT * FROM approvals"
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let status { conditions.append("status = ?"); arguments.append(status.rawValue) }
            if let session { conditions.append("session = ?"); arguments.append(session) }
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY created_at DESC LIMIT \(max(1, min(limit, 1000)))"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(Self.record)
        }
    }

    /// Decides a pending approval and appends its audit event in the same transaction.
    /// - Returns: the decided record, or nil when it was not pending (already decided or expired).
    public func decide(_ id: String, status: ApprovalStatus, by actor: String, reason: String?, scope: ApprovalScope?,
                       now: Date = Date()) throws -> ApprovalRecord? {
        try store.adapterWrite("deciding an approval") { db in
            try db.execute(sql: """
                UPDATE approvals SET status = ?, decided_by = ?, reason = ?, scope = ?, decided_at = ?
                WHERE id = ? AND status = 'pending'
                """, arguments: [status.rawValue, actor, reason, scope?.rawValue, now.timeIntervalSince1970, id])
            guard db.changesCount == 1, let record = try Row.fetchOne(db, sql: "SELECT * FROM approvals WHERE id = ?", arguments: [id]).map(Self.record)
            else { return nil }
            let type: AuditEventType = status == .approved ? .approvalGranted : .approvalDenied
            var details: [String: JSONValue] = [
                "action": .string(record.summary), "approval_id": .string(id), "decided_by": .string(actor),
                "status": .string(status.rawValue), "risk_level": .string(record.risk),
            ]
            if let scope { details["scope"] = .string(scope.rawValue) }
            _ = try store.appendAudit([AuditEvent(type, session: record.session, agent: record.agent, user: record.user, tool: record.tool,
                                                  decision: status == .approved ? .allow : .deny, rule: "approval",
                                                  reason: reason ?? "\(status.rawValue) by \(actor)", details: details)],
                                      now: now, in: db)
            return record
        }
    }

    /// An approval that already covers this call: `always` for the fingerprint, or `session` for the session and
    /// fingerprint.
    public func grant(fingerprint: String, session: String) throws -> ApprovalRecord? {
        try store.adapterRead("looking up approval grants") { db in
            try Row.fetchOne(db, sql: """
                SELECT * FROM approvals WHERE fingerprint = ? AND status = 'approved'
                AND (scope = 'always' OR (scope = 'session' AND session = ?)) ORDER BY decided_at DESC LIMIT 1
                """, arguments: [fingerprint, session]).map(Self.record)
        }
    }

    /// Every `always` approval (for the server-owned policy layer).
    public func alwaysApproved() throws -> [ApprovalRecord] {
        try store.adapterRead("listing standing approvals") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM approvals WHERE status = 'approved' AND scope = 'always' ORDER BY decided_at")
                .map(Self.record)
        }
    }

    static func record(_ row: Row) -> ApprovalRecord {
        let decoder = JSONDecoder()
        let inputText: String = row["input"]
        let verdictText: String = row["verdict"]
        let input = (try? decoder.decode(JSONValue.self, from: Data(inputText.utf8))) ?? .null
        let verdict = (try? decoder.decode(Verdict.self, from: Data(verdictText.utf8)))
            ?? Verdict.failClosed("the stored analysis could not be read")
        return ApprovalRecord(
            id: row["id"], createdAt: Date(timeIntervalSince1970: row["created_at"]), session: row["session"], agent: row["agent"],
            user: row["user"], tool: row["tool"], fingerprint: row["fingerprint"], cwd: row["cwd"], input: input, verdict: verdict,
            risk: row["risk"], diff: row["diff"], status: ApprovalStatus(rawValue: row["status"]) ?? .denied,
            decidedBy: row["decided_by"], reason: row["reason"], scope: (row["scope"] as String?).flatMap(ApprovalScope.init(rawValue:)),
            decidedAt: (row["decided_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }
}
