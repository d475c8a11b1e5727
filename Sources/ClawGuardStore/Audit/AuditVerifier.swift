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
///
/// Records are fed one at a time (`add`), so a trail of any length is verified in constant memory; the first
/// problem met, in seq order, is the one reported.
public struct AuditChainVerifier: Sendable {
    var result = AuditVerification(ok: true, recordsChecked: 0, checkpointsChecked: 0, firstBadSeq: nil,
                                   problem: nil, uncheckpointedTail: 0, notes: [])
    var expectedSeq: Int64 = 1
    var expectedPrev = AuditRecord.genesisHash
    /// Checkpoints by the seq they sign, checked as that record passes.
    var checkpointsBySeq: [Int64: [AuditCheckpoint]] = [:]
    let checkpoints: [AuditCheckpoint]
    let lastCheckpointed: Int64
    /// False once a problem was found; further records are ignored.
    public private(set) var isOK = true

    /// Checks the checkpoints' signatures and sets the chain's anchor.
    /// - Parameter publicKey: the trail's key (nil: signatures are not checked, and the result says so).
    public init(publicKey: Curve25519.Signing.PublicKey?, checkpoints: [AuditCheckpoint]) {
        self.checkpoints = checkpoints
        lastCheckpointed = checkpoints.map(\.seq).max() ?? 0
        // 1. Checkpoint signatures.
        let keyID = publicKey.map(AuditKeys.keyID)
        for checkpoint in checkpoints {
            result.checkpointsChecked += 1
            guard let publicKey else { continue }
            guard checkpoint.keyID == keyID else {
                fail(checkpoint.seq, "checkpoint \(checkpoint.id ?? 0) at seq \(checkpoint.seq) was signed by key \(checkpoint.keyID), not this trail's key \(keyID ?? "?")")
                return
            }
            guard let signature = Data(base64Encoded: checkpoint.signature),
                publicKey.isValidSignature(signature, for: Data(checkpoint.signedText.utf8))
            else {
                fail(checkpoint.seq, "checkpoint \(checkpoint.id ?? 0) at seq \(checkpoint.seq) has an invalid signature (checkpoint altered or forged)")
                return
            }
        }
        if publicKey == nil && !checkpoints.isEmpty {
            result.notes.append("no public key found: checkpoint signatures were not checked")
        }
        // 2. The anchor: the newest prune checkpoint's cut, else the genesis.
        if let cut = checkpoints.last(where: { $0.cutSeq != nil }), let cutSeq = cut.cutSeq, let cutHash = cut.cutHash {
            expectedSeq = cutSeq + 1
            expectedPrev = cutHash
        }
        for checkpoint in checkpoints { checkpointsBySeq[checkpoint.seq, default: []].append(checkpoint) }
    }

    private mutating func fail(_ seq: Int64?, _ problem: String) {
        guard isOK else { return }
        isOK = false
        result.ok = false
        result.firstBadSeq = seq
        result.problem = problem
    }

    /// 3. The next record of the chain, in seq order.
    /// - Returns: false once the trail is known to be bad (stop reading).
    @discardableResult
    public mutating func add(_ record: AuditRecord) -> Bool {
        guard isOK else { return false }
        if record.seq != expectedSeq {
            if record.seq > expectedSeq {
                fail(expectedSeq, "record \(expectedSeq) is missing (next record present is \(record.seq)): records were removed")
            } else {
                fail(record.seq, "record \(record.seq) is out of order or inserted (expected seq \(expectedSeq))")
            }
            return false
        }
        if record.prevHash != expectedPrev {
            fail(record.seq, "record \(record.seq) does not link to the record before it (prev_hash \(record.prevHash.prefix(12))…, expected \(expectedPrev.prefix(12))…): a record was removed, inserted or reordered")
            return false
        }
        if record.computedHash != record.hash {
            fail(record.seq, "record \(record.seq) was changed: its content does not match its hash")
            return false
        }
        // 4a. Checkpoints against the chain, as their record passes.
        if let signed = checkpointsBySeq[record.seq] {
            for checkpoint in signed where checkpoint.hash != record.hash {
                fail(record.seq, "record \(record.seq) does not match signed checkpoint \(checkpoint.id ?? 0): the chain was rewritten")
                return false
            }
        }
        expectedPrev = record.hash
        expectedSeq += 1
        result.recordsChecked += 1
        if record.seq > lastCheckpointed { result.uncheckpointedTail += 1 }
        return true
    }

    /// Continues a pass that ended at `mark`: the chain goes on from its last record, and only `newCheckpoints`
    /// (those added since) are checked, their signatures here and their records as they pass (the caller checks
    /// the ones naming records at or before the mark).
    public init(resuming mark: AuditVerificationMark, publicKey: Curve25519.Signing.PublicKey?, newCheckpoints: [AuditCheckpoint],
                lastCheckpointedSeq: Int64) {
        self.init(publicKey: publicKey, checkpoints: newCheckpoints)
        expectedSeq = mark.lastSeq + 1
        expectedPrev = mark.lastHash
        result.recordsChecked = mark.recordsChecked
        result.checkpointsChecked += mark.checkpointsChecked
        resumedLastCheckpointed = lastCheckpointedSeq
    }

    /// The highest checkpointed seq of the whole trail when resuming (new checkpoints alone do not tell).
    var resumedLastCheckpointed: Int64?

    /// Where this pass ended, to resume from; nil unless the trail checked out.
    public func mark(lastCheckpointID: Int64, fullPassAt: Date) -> AuditVerificationMark? {
        guard isOK, expectedSeq > 1, finish().ok else { return nil }
        return AuditVerificationMark(lastSeq: expectedSeq - 1, lastHash: expectedPrev, lastCheckpointID: lastCheckpointID,
                                     recordsChecked: result.recordsChecked, checkpointsChecked: result.checkpointsChecked,
                                     fullPassAt: fullPassAt)
    }

    /// Records a problem found outside the stream (a checkpoint that no longer matches an already verified record).
    public mutating func reject(_ seq: Int64, _ problem: String) { fail(seq, problem) }

    /// 4b. No checkpoint may name a record beyond the end of the trail. The result.
    public func finish() -> AuditVerification {
        guard isOK else { return result }
        var final = self
        let lastSeq = expectedSeq - 1
        for checkpoint in checkpoints where checkpoint.seq > lastSeq {
            final.fail(checkpoint.seq, "checkpoint \(checkpoint.id ?? 0) covers seq \(checkpoint.seq) but the trail ends at \(lastSeq): records were removed from the end")
            break
        }
        if let resumedLastCheckpointed {
            final.result.uncheckpointedTail = Int(max(0, lastSeq - max(resumedLastCheckpointed, lastCheckpointed)))
        }
        return final.result
    }
}

/// Where a successful verification pass ended: `StateStore.verifyAudit(resumingFrom:)` continues from it instead
/// of re-reading the whole trail. What it trusts: records up to `lastSeq` were verified in full at `fullPassAt`
/// (or resumed from such a pass) and are not re-read; the record at `lastSeq` is re-checked to still carry
/// `lastHash`, and every newer checkpoint is checked against the records it names.
public struct AuditVerificationMark: Sendable, Hashable {
    public var lastSeq: Int64
    public var lastHash: String
    public var lastCheckpointID: Int64
    public var recordsChecked: Int
    public var checkpointsChecked: Int
    /// When the full pass this one continues ran.
    public var fullPassAt: Date
}

/// Verifies a trail held in memory (see `AuditChainVerifier`, which the store uses to stream it).
public struct AuditVerifier: Sendable {
    /// The raw 32-byte Ed25519 public key (nil: signatures are not checked, and the result says so).
    public var publicKeyRaw: Data?

    public init(publicKey: Curve25519.Signing.PublicKey?) {
        self.publicKeyRaw = publicKey?.rawRepresentation
    }

    public func verify(records: [AuditRecord], checkpoints: [AuditCheckpoint]) -> AuditVerification {
        let publicKey = publicKeyRaw.flatMap { try? Curve25519.Signing.PublicKey(rawRepresentation: $0) }
        var verifier = AuditChainVerifier(publicKey: publicKey, checkpoints: checkpoints)
        for record in records where verifier.add(record) {}
        return verifier.finish()
    }
}
