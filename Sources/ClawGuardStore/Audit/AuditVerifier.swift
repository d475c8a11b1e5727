import ClawGuardCore
import Crypto
import Foundation

/// The result of verifying the audit trail.
public struct AuditVerification: Sendable, Hashable, Codable {
    /// True when every record and checkpoint checks out.
    public var ok: Bool
    public var recordsChecked: Int
    public var checkpointsChecked: Int
    /// The first record (or the seq a checkpoint names) that does not check out.
    public var firstBadSeq: Int64?
    /// What is wrong, in words.
    public var problem: String?
    /// Records after the last checkpoint: their removal from the end of the trail cannot be detected.
    public var uncheckpointedTail: Int
    /// Informational notes (no key to check signatures…).
    public var notes: [String]
}

/// Verifies the audit chain and its signed checkpoints.
///
/// - Chain: seqs must be consecutive from the anchor (1, or the newest prune checkpoint's `cut_seq + 1`); each
///   record's `prev_hash` must be the previous record's hash (the anchor: 64 zeros or the cut hash) and its `hash`
///   must be the SHA-256 of its canonical encoding. A changed record fails its own hash; a removed, inserted or
///   reordered one breaks the seq sequence or the `prev_hash` link.
/// - Checkpoints: each signature must verify with the public key; each checkpoint's (seq, hash) must match the
///   record at that seq while it exists, and no checkpoint may name a seq beyond the last record (a truncated
///   tail). A chain rewritten end to end with recomputed hashes fails here, as the attacker lacks the key.
public struct AuditVerifier: Sendable {
    /// The raw 32-byte Ed25519 public key (nil: signatures are not checked, and the result says so).
    public var publicKeyRaw: Data?

    public init(publicKey: Curve25519.Signing.PublicKey?) {
        self.publicKeyRaw = publicKey?.rawRepresentation
    }

    public func verify(records: [AuditRecord], checkpoints: [AuditCheckpoint]) -> AuditVerification {
        var result = AuditVerification(ok: true, recordsChecked: 0, checkpointsChecked: 0, firstBadSeq: nil,
                                       problem: nil, uncheckpointedTail: 0, notes: [])
        func fail(_ seq: Int64?, _ problem: String) -> AuditVerification {
            result.ok = false
            result.firstBadSeq = seq
            result.problem = problem
            return result
        }

        // 1. Checkpoint signatures.
        let publicKey = publicKeyRaw.flatMap { try? Curve25519.Signing.PublicKey(rawRepresentation: $0) }
        let keyID = publicKey.map(AuditKeys.keyID)
        for checkpoint in checkpoints {
            result.checkpointsChecked += 1
            guard let publicKey else { continue }
            guard checkpoint.keyID == keyID else {
                return fail(checkpoint.seq, "checkpoint \(checkpoint.id ?? 0) at seq \(checkpoint.seq) was signed by key \(checkpoint.keyID), not this trail's key \(keyID ?? "?")")
            }
            guard let signature = Data(base64Encoded: checkpoint.signature),
                publicKey.isValidSignature(signature, for: Data(checkpoint.signedText.utf8))
            else {
                return fail(checkpoint.seq, "checkpoint \(checkpoint.id ?? 0) at seq \(checkpoint.seq) has an invalid signature (checkpoint altered or forged)")
            }
        }
        if publicKey == nil && !checkpoints.isEmpty {
            result.notes.append("no public key found: checkpoint signatures were not checked")
        }

        // 2. The anchor: the newest prune checkpoint's cut, else the genesis.
        var expectedSeq: Int64 = 1
        var expectedPrev = AuditRecord.genesisHash
        if let cut = checkpoints.last(where: { $0.cutSeq != nil }), let cutSeq = cut.cutSeq, let cutHash = cut.cutHash {
            expectedSeq = cutSeq + 1
            expectedPrev = cutHash
        }

        // 3. The chain.
        var bySeq: [Int64: String] = [:]
        for record in records {
            if record.seq != expectedSeq {
                if record.seq > expectedSeq {
                    return fail(expectedSeq, "record \(expectedSeq) is missing (next record present is \(record.seq)): records were removed")
                }
                return fail(record.seq, "record \(record.seq) is out of order or inserted (expected seq \(expectedSeq))")
            }
            if record.prevHash != expectedPrev {
                return fail(record.seq, "record \(record.seq) does not link to the record before it (prev_hash \(record.prevHash.prefix(12))…, expected \(expectedPrev.prefix(12))…): a record was removed, inserted or reordered")
            }
            if record.computedHash != record.hash {
                return fail(record.seq, "record \(record.seq) was changed: its content does not match its hash")
            }
            bySeq[record.seq] = record.hash
            expectedPrev = record.hash
            expectedSeq += 1
            result.recordsChecked += 1
        }

        // 4. Checkpoints against the chain.
        let lastSeq = records.last?.seq ?? (expectedSeq - 1)
        for checkpoint in checkpoints {
            if checkpoint.seq > lastSeq {
                return fail(checkpoint.seq, "checkpoint \(checkpoint.id ?? 0) covers seq \(checkpoint.seq) but the trail ends at \(lastSeq): records were removed from the end")
            }
            if let hash = bySeq[checkpoint.seq], hash != checkpoint.hash {
                return fail(checkpoint.seq, "record \(checkpoint.seq) does not match signed checkpoint \(checkpoint.id ?? 0): the chain was rewritten")
            }
        }
        let lastCheckpointed = checkpoints.map(\.seq).max() ?? 0
        result.uncheckpointedTail = records.filter { $0.seq > lastCheckpointed }.count
        return result
    }
}
