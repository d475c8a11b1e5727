import ClawGuardCore
import Crypto
import Foundation
import Testing
@testable import ClawGuardStore

/// Fills a file store with `count` tool calls (plus the session start) and returns it.
func filledStore(_ dir: TempDir, count: Int = 12, checkpointEvery: Int = 5) throws -> StateStore {
    let store = try StateStore(path: dir.file("state.db"), options: StateStoreOptions(checkpointEvery: checkpointEvery))
    for i in 0..<count {
        _ = try store.recordToolCall(bashCall("echo \(i)"), verdict: allow, limits: .none,
                                     now: noon.addingTimeInterval(Double(i) * 60))
    }
    return store
}

@Suite struct AuditTrailTests {
    @Test func intactTrailVerifiesWithSignedCheckpoints() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try filledStore(dir)
        let result = try store.verifyAudit()
        #expect(result.ok, "\(result)")
        #expect(result.recordsChecked == 13)
        #expect(result.checkpointsChecked == 2)  // at seq 5 and 10
        #expect(result.uncheckpointedTail == 3)
        // The key pair exists beside the database; the private key is 0600.
        let mode = try FileManager.default.attributesOfItem(atPath: dir.file("audit-ed25519.key"))[.posixPermissions] as! Int
        #expect(mode == 0o600)
        #expect(FileManager.default.fileExists(atPath: dir.file("audit-ed25519.pub")))
        // Chain links as documented.
        let records = try store.auditRecords()
        #expect(records.first?.prevHash == AuditRecord.genesisHash)
        for (a, b) in zip(records, records.dropFirst()) { #expect(b.prevHash == a.hash) }
    }

    /// Each tampering and the first bad seq `verify` must name.
    @Test(arguments: [
        ("changed reason", "UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 7", Int64(7)),
        ("changed decision", "UPDATE audit_log SET decision = 'deny', type = 'tool_blocked' WHERE seq = 4", Int64(4)),
        ("removed", "DELETE FROM audit_log WHERE seq = 6", Int64(6)),
        ("removed first", "DELETE FROM audit_log WHERE seq = 1", Int64(1)),
        ("reordered", """
            UPDATE audit_log SET seq = -8 WHERE seq = 8; UPDATE audit_log SET seq = 8 WHERE seq = 9;
            UPDATE audit_log SET seq = 9 WHERE seq = -8;
            """, Int64(8)),
        ("inserted", """
            UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 5; UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1005;
            INSERT INTO audit_log SELECT 5, time, type, session, agent, user, tool, decision, rule, 'forged', details, prev_hash, hash FROM audit_log WHERE seq = 4;
            """, Int64(5)),
        ("truncated tail below a checkpoint", "DELETE FROM audit_log WHERE seq >= 9", Int64(10)),
    ])
    func tamperingIsDetected(name: String, sql: String, firstBad: Int64) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try filledStore(dir)
        #expect(try store.verifyAudit().ok)
        try tamper(store.path, sql)
        let result = try store.verifyAudit()
        #expect(!result.ok, "\(name) went unnoticed")
        #expect(result.firstBadSeq == firstBad, "\(name): \(result.problem ?? "")")
    }

    @Test func rewrittenChainIsCaughtByTheSignedCheckpoints() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try filledStore(dir)
        // An attacker changes record 3 and recomputes every hash after it: the chain itself is consistent again.
        var records = try store.auditRecords()
        records[2].reason = "rewritten"
        var prev = records[1].hash
        for i in 2..<records.count {
            records[i].prevHash = prev
            records[i].hash = records[i].computedHash
            prev = records[i].hash
        }
        let sql = records[2...].map {
            "UPDATE audit_log SET reason = '\($0.reason ?? "")', prev_hash = '\($0.prevHash)', hash = '\($0.hash)' WHERE seq = \($0.seq);"
        }.joined(separator: "\n")
        try tamper(store.path, sql)
        let result = try store.verifyAudit()
        #expect(!result.ok)
        #expect(result.firstBadSeq == 5, "\(result.problem ?? "")")
        #expect(result.problem?.contains("checkpoint") == true)
    }

    @Test func forgedCheckpointSignatureIsDetected() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try filledStore(dir)
        try tamper(store.path, "UPDATE audit_checkpoint SET seq = 4 WHERE id = 1")
        let result = try store.verifyAudit()
        #expect(!result.ok && result.problem?.contains("signature") == true, "\(result)")
    }

    @Test func checkpointFromAnotherKeyIsDetected() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try filledStore(dir)
        // Replace the key pair: the old checkpoints no longer verify.
        let other = Curve25519.Signing.PrivateKey()
        try (other.publicKey.rawRepresentation.base64EncodedString() + "\n").write(toFile: dir.file("audit-ed25519.pub"), atomically: true, encoding: .utf8)
        let result = try store.verifyAudit()
        #expect(!result.ok && result.problem?.contains("key") == true, "\(result)")
    }

    @Test func pruningKeepsTheRestVerifiableAndTamperingStillShows() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try filledStore(dir)
        // Records are one minute apart from noon; keep those from noon+6min on.
        let removed = try store.pruneAudit(before: noon.addingTimeInterval(6 * 60), now: noon.addingTimeInterval(3600))
        #expect(removed == 7)  // agent_started + 6 calls (seq 1–7)
        let after = try store.verifyAudit()
        #expect(after.ok, "\(after)")
        #expect(after.recordsChecked == 6)
        let cut = try #require(try store.auditCheckpoints().last)
        #expect(cut.kind == "prune" && cut.cutSeq == 7)
        // New records continue the chain.
        _ = try store.recordToolCall(bashCall("later"), verdict: allow, limits: .none, now: noon.addingTimeInterval(4000))
        #expect(try store.verifyAudit().ok)
        // Removing the first remaining record is still detected.
        try tamper(store.path, "DELETE FROM audit_log WHERE seq = 8")
        let broken = try store.verifyAudit()
        #expect(!broken.ok && broken.firstBadSeq == 8)
    }

    @Test func pruningEverythingThenAppendingContinuesFromTheCut() throws {
        let store = try StateStore.inMemory()
        _ = try store.recordToolCall(bashCall("a"), verdict: allow, limits: .none, now: noon)
        #expect(try store.pruneAudit(before: noon.addingTimeInterval(1), now: noon.addingTimeInterval(2)) == 2)
        _ = try store.recordToolCall(bashCall("b"), verdict: allow, limits: .none, now: noon.addingTimeInterval(3))
        #expect(try store.auditRecords().first?.seq == 3)
        #expect(try store.verifyAudit().ok)
    }

    @Test func retentionPrunesAtCheckpoints() throws {
        let store = try StateStore.inMemory(options: StateStoreOptions(checkpointEvery: 4, retentionDays: 1))
        for i in 0..<3 { _ = try store.recordToolCall(bashCall("old \(i)"), verdict: allow, limits: .none, now: noon) }
        let later = noon.addingTimeInterval(3 * 86_400)
        for i in 0..<4 { _ = try store.recordToolCall(bashCall("new \(i)"), verdict: allow, limits: .none, now: later) }
        let records = try store.auditRecords()
        #expect(records.allSatisfy { $0.time >= StoreSupport.iso8601(later) })
        #expect(try store.verifyAudit().ok)
    }

    @Test func exportFormats() throws {
        let store = try StateStore.inMemory()
        _ = try store.recordToolCall(bashCall("rm -rf /"), verdict: Verdict(decision: .deny, reason: "destructive | = ]", rule: "deny"),
                                     limits: .none, now: noon)
        let record = try #require(try store.auditRecords().last)
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(record.line(.jsonl).utf8))
        #expect(json["type"]?.stringValue == "tool_blocked" && json["hash"]?.stringValue == record.hash)
        #expect(json["details"]?["parameters"]?["command"]?.stringValue == "rm -rf /")
        let cef = record.line(.cef)
        #expect(cef.hasPrefix("CEF:0|ClawGuard|clawguard|0.1|tool_blocked|tool_blocked: destructive \\| = ]|6|"))
        #expect(cef.contains("reason=destructive | \\= ]"))
        let syslog = record.line(.syslog, hostname: "host1")
        // authpriv (10) × 8 + warning (4) = 84
        #expect(syslog.hasPrefix("<84>1 2026-11-25T10:00:00.000Z host1 clawguard "))
        #expect(syslog.contains(" tool_blocked [clawguard@32473 seq=\"2\" "))
        #expect(syslog.contains("rule=\"deny\"]"))
        #expect(syslog.hasSuffix("] destructive | = ]"))
    }

    @Test func everyEventTypeOfTheReferenceTableExists() {
        let reference = ["agent_started", "tool_invoked", "tool_blocked", "approval_requested", "approval_denied",
                         "budget_exceeded", "timeout", "error", "security_violation", "agent_completed"]
        for name in reference { #expect(AuditEventType.named(name) != nil, "\(name) missing") }
    }
}
