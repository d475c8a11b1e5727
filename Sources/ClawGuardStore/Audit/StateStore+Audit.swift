import ClawGuardCore
import Crypto
import Foundation
import GRDB

extension StateStore {
    /// Appends `events` to the audit trail in one transaction.
    /// - Returns: the records written.
    /// - Throws: `ClawGuardError(.store)`.
    @discardableResult
    public func appendAudit(_ events: [AuditEvent], now: Date = Date()) throws(ClawGuardError) -> [AuditRecord] {
        try write("appending to the audit trail") { db in try appendAudit(events, now: now, db: db) }
    }

    /// Appends inside a write transaction the caller holds.
    @discardableResult
    func appendAudit(_ events: [AuditEvent], now: Date, db: Database) throws -> [AuditRecord] {
        guard !events.isEmpty else { return [] }
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
        var seq: Int64 = last?["seq"] ?? 0
        var prev: String = last?["hash"] ?? AuditRecord.genesisHash
        if last == nil, let cut = try Row.fetchOne(db.cachedStatement(sql: "SELECT cut_seq, cut_hash FROM audit_checkpoint WHERE cut_seq IS NOT NULL ORDER BY id DESC LIMIT 1"))
        {
            // Everything was pruned: continue the chain from the cut.
            seq = cut["cut_seq"]
            prev = cut["cut_hash"]
        }
        let time = StoreSupport.iso8601(now)
        var written: [AuditRecord] = []
        for event in events {
            seq += 1
            let redact = options.redact
            var record = AuditRecord(
                seq: seq, time: time, type: event.type.name, session: event.session, agent: event.agent,
                user: event.user, tool: event.tool, decision: event.decision?.rawValue, rule: event.rule.map(redact),
                reason: event.reason.map(redact),
                details: CanonicalJSON.encode(MinimalRedactor.redact(.object(event.details), with: redact)),
                prevHash: prev, hash: "")
            record.hash = record.computedHash
            try record.insertRow(db)
            written.append(record)
            prev = record.hash
            if options.checkpointEvery > 0 && seq % Int64(options.checkpointEvery) == 0 {
                try writeCheckpoint(kind: "periodic", seq: seq, hash: prev, cut: nil, now: now, db: db)
                if let days = options.retentionDays {
                    _ = try prune(before: now.addingTimeInterval(-days * 86_400), now: now, db: db)
                }
            }
        }
        return written
    }

    func writeCheckpoint(kind: String, seq: Int64, hash: String, cut: (seq: Int64, hash: String)?, now: Date,
                         db: Database) throws {
        let key = try keys.signingKey()
        var checkpoint = AuditCheckpoint(
            id: nil, time: StoreSupport.iso8601(now), kind: kind, seq: seq, hash: hash, cutSeq: cut?.seq,
            cutHash: cut?.hash, keyID: AuditKeys.keyID(key.publicKey), signature: "")
        checkpoint.signature = try key.signature(for: Data(checkpoint.signedText.utf8)).base64EncodedString()
        try checkpoint.insert(db)
    }

    /// Writes a signed checkpoint of the current head now (e.g. at `clawguard init` or before an export).
    /// - Returns: false when the trail is empty.
    @discardableResult
    public func checkpoint(now: Date = Date()) throws(ClawGuardError) -> Bool {
        try write("writing an audit checkpoint") { db in
            guard let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")) else {
                return false
            }
            try writeCheckpoint(kind: "periodic", seq: head["seq"], hash: head["hash"], cut: nil, now: now, db: db)
            return true
        }
    }

    /// Removes audit records older than `cutoff`, writing a signed prune checkpoint that carries the cut
    /// (seq and hash of the last removed record), so the remaining chain still verifies.
    /// - Returns: how many records were removed.
    @discardableResult
    public func pruneAudit(before cutoff: Date, now: Date = Date()) throws(ClawGuardError) -> Int {
        try write("pruning the audit trail") { db in try prune(before: cutoff, now: now, db: db) }
    }

    func prune(before cutoff: Date, now: Date, db: Database) throws -> Int {
        let cutoffText = StoreSupport.iso8601(cutoff)
        // Times are fixed-width UTC ISO 8601, so text order is time order.
        guard let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_log WHERE time < ? ORDER BY seq DESC LIMIT 1"), arguments: [cutoffText])
        else { return 0 }
        let cutSeq: Int64 = last["seq"]
        let cutHash: String = last["hash"]
        try db.cachedStatement(sql: "DELETE FROM audit_log WHERE seq <= ?").execute(arguments: [cutSeq])
        let removed = db.changesCount
        let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
        try writeCheckpoint(kind: "prune", seq: head?["seq"] ?? cutSeq, hash: head?["hash"] ?? cutHash,
                            cut: (cutSeq, cutHash), now: now, db: db)
        return removed
    }

    /// A filter for reading the audit trail.
    public struct AuditQuery: Sendable {
        public var session: String?
        public var type: String?
        public var afterSeq: Int64?
        /// The newest `limit` records (still returned oldest first); nil: all.
        public var limit: Int?

        public init(session: String? = nil, type: String? = nil, afterSeq: Int64? = nil, limit: Int? = nil) {
            self.session = session
            self.type = type
            self.afterSeq = afterSeq
            self.limit = limit
        }
    }

    /// Audit records matching `query`, oldest first.
    public func auditRecords(_ query: AuditQuery = AuditQuery()) throws(ClawGuardError) -> [AuditRecord] {
        try read("reading the audit trail") { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let session = query.session { conditions.append("session = ?"); arguments.append(session) }
            if let type = query.type { conditions.append("type = ?"); arguments.append(type) }
            if let after = query.afterSeq { conditions.append("seq > ?"); arguments.append(after) }
            var sql = "SELECT * FROM audit_log"
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY seq DESC"
            if let limit = query.limit { sql += " LIMIT \(max(limit, 0))" }
            return try AuditRecord.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).reversed()
        }
    }

    /// Every checkpoint, oldest first.
    public func auditCheckpoints() throws(ClawGuardError) -> [AuditCheckpoint] {
        try read("reading audit checkpoints") { db in
            try AuditCheckpoint.fetchAll(db.cachedStatement(sql: "SELECT * FROM audit_checkpoint ORDER BY id"))
        }
    }

    /// Verifies the whole audit trail (see `AuditChainVerifier`) with this store's public key: the records are
    /// streamed from one read transaction, so memory stays flat whatever the trail's length.
    public func verifyAudit() throws(ClawGuardError) -> AuditVerification {
        try verifyAudit(resumingFrom: nil).verification
    }
}
