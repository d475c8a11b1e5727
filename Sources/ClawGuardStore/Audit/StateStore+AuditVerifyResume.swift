import ClawGuardCore
import Crypto
import Foundation
import GRDB

extension StateStore {
    /// Verifies the audit trail, continuing from `mark` when one is given: only records and checkpoints added
    /// since are read (plus the record at the mark, which must still carry the hash it had). A full pass runs
    /// instead when there is no mark, when the trail was pruned since, or when the record at the mark changed.
    /// For pages that show the trail's state on every load (the console); `clawguard log verify` and `status`
    /// always verify in full.
    /// - Returns: the verification, and the mark to continue from next time (nil when the trail did not check out).
    public func verifyAudit(resumingFrom mark: AuditVerificationMark?, now: Date = Date())
        throws(ClawGuardError) -> (verification: AuditVerification, mark: AuditVerificationMark?)
    {
        let key: Curve25519.Signing.PublicKey?
        do {
            key = try keys.publicKey()
        } catch {
            guard error.code == .notFound else { throw error }
            key = nil
        }
        return try read("reading the audit trail") { db in
            let checkpoints = try AuditCheckpoint.fetchAll(db, sql: "SELECT * FROM audit_checkpoint ORDER BY id")
            let lastCheckpointID = checkpoints.compactMap(\.id).max() ?? 0
            func full() throws -> (AuditVerification, AuditVerificationMark?) {
                var verifier = AuditChainVerifier(publicKey: key, checkpoints: checkpoints)
                if verifier.isOK {
                    let records = try AuditRecord.fetchCursor(db, sql: "SELECT * FROM audit_log ORDER BY rowid")
                    while let record = try records.next(), verifier.add(record) {}
                }
                return (verifier.finish(), verifier.mark(lastCheckpointID: lastCheckpointID, fullPassAt: now))
            }
            guard let mark else { return try full() }
            let added = checkpoints.filter { ($0.id ?? 0) > mark.lastCheckpointID }
            let tip = try AuditRecord.fetchOne(db, sql: "SELECT * FROM audit_log WHERE seq = ?", arguments: [mark.lastSeq])
            guard !added.contains(where: { $0.cutSeq != nil }), let tip, tip.hash == mark.lastHash, tip.computedHash == tip.hash,
                  let position = try Int64.fetchOne(db, sql: "SELECT rowid FROM audit_log WHERE seq = ?", arguments: [mark.lastSeq])
            else {
                return try full()  // pruned, or the verified tip is gone or changed: say what is wrong from the start
            }
            let lastCheckpointed = checkpoints.map(\.seq).max() ?? 0
            // Every new checkpoint's signature is checked here; those naming newer records as the records pass.
            var verifier = AuditChainVerifier(resuming: mark, publicKey: key, newCheckpoints: added,
                                              lastCheckpointedSeq: lastCheckpointed)
            // New checkpoints naming records already verified: against the stored record's hash.
            if verifier.isOK {
                for checkpoint in added where checkpoint.seq <= mark.lastSeq {
                    let hash = try String.fetchOne(db, sql: "SELECT hash FROM audit_log WHERE seq = ?", arguments: [checkpoint.seq])
                    if hash != checkpoint.hash {
                        verifier.reject(checkpoint.seq, "record \(checkpoint.seq) does not match signed checkpoint \(checkpoint.id ?? 0): the chain was rewritten")
                        break
                    }
                }
            }
            if verifier.isOK {
                let records = try AuditRecord.fetchCursor(
                    db, sql: "SELECT * FROM audit_log WHERE rowid > ? ORDER BY rowid", arguments: [position])
                while let record = try records.next(), verifier.add(record) {}
            }
            var result = verifier.finish()
            if result.ok {
                result.notes.append(
                    "records through \(mark.lastSeq) were verified in full at \(StoreSupport.iso8601(mark.fullPassAt)); newer records and checkpoints were checked now")
            }
            return (result, verifier.mark(lastCheckpointID: lastCheckpointID, fullPassAt: mark.fullPassAt))
        }
    }
}
