import ClawGuardCore
import Foundation
import Testing
@testable import ClawGuardStore

/// `verifyAudit(resumingFrom:)`: the console's per-page check reads only what is new, and says so; a full pass
/// runs again when the verified tip changed or the trail was pruned.
@Suite struct AuditResumeTests {
    func more(_ store: StateStore, from: Int, count: Int) throws {
        for i in from..<(from + count) {
            _ = try store.recordToolCall(bashCall("echo \(i)"), verdict: allow, limits: .none,
                                         now: noon.addingTimeInterval(Double(i) * 60))
        }
    }

    @Test func aResumedPassChecksOnlyWhatIsNewAndCountsEverything() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try filledStore(dir)  // 13 records, checkpoints at 5 and 10
        let first = try store.verifyAudit(resumingFrom: nil)
        #expect(first.verification.ok && first.verification.notes.isEmpty)
        let mark = try #require(first.mark)
        #expect(mark.lastSeq == 13)
        try more(store, from: 12, count: 9)  // seq 14…22, checkpoints at 15 and 20
        let second = try store.verifyAudit(resumingFrom: mark)
        #expect(second.verification.ok, "\(second.verification)")
        #expect(second.verification.recordsChecked == 22)
        #expect(second.verification.checkpointsChecked == 4)
        #expect(second.verification.uncheckpointedTail == 2)
        #expect(second.verification.notes.contains { $0.contains("records through 13 were verified in full") })
        #expect(second.mark?.lastSeq == 22)
        // The same figures as a full pass.
        let full = try store.verifyAudit()
        #expect(full.recordsChecked == 22 && full.checkpointsChecked == 4 && full.uncheckpointedTail == 2)
    }

    @Test(arguments: [
        ("a new record changed", "UPDATE audit_log SET reason = 'x' WHERE seq = 17", Int64(17)),
        ("a new record removed", "DELETE FROM audit_log WHERE seq = 16", Int64(16)),
        ("the verified tip changed", "UPDATE audit_log SET reason = 'x' WHERE seq = 13", Int64(13)),
        ("the tail truncated below the mark", "DELETE FROM audit_log WHERE seq >= 12", Int64(15)),
        ("a new checkpoint forged onto an old record", "UPDATE audit_checkpoint SET hash = 'ff' WHERE seq = 15", Int64(15)),
    ])
    func tamperingAfterTheMarkIsDetected(name: String, sql: String, firstBad: Int64) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try filledStore(dir)
        let mark = try #require(try store.verifyAudit(resumingFrom: nil).mark)
        try more(store, from: 12, count: 9)
        try tamper(store.path, sql)
        let result = try store.verifyAudit(resumingFrom: mark)
        #expect(!result.verification.ok, "\(name) went unnoticed")
        #expect(result.mark == nil)
        // A forged checkpoint fails its signature; otherwise the first bad record is named.
        if !name.contains("forged") { #expect(result.verification.firstBadSeq == firstBad, "\(name): \(result.verification.problem ?? "")") }
    }

    /// The documented trade-off: a record before the mark is not re-read by a resumed pass; a full pass finds it.
    @Test func aChangeBeforeTheMarkNeedsAFullPass() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try filledStore(dir)
        let mark = try #require(try store.verifyAudit(resumingFrom: nil).mark)
        try tamper(store.path, "UPDATE audit_log SET reason = 'x' WHERE seq = 3")
        #expect(try store.verifyAudit(resumingFrom: mark).verification.ok)
        let full = try store.verifyAudit(resumingFrom: nil)
        #expect(!full.verification.ok && full.verification.firstBadSeq == 3)
    }

    @Test func aPruneSinceTheMarkRunsAFullPass() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try filledStore(dir)
        let mark = try #require(try store.verifyAudit(resumingFrom: nil).mark)
        #expect(try store.pruneAudit(before: noon.addingTimeInterval(6 * 60), now: noon.addingTimeInterval(3600)) == 7)
        let after = try store.verifyAudit(resumingFrom: mark)
        #expect(after.verification.ok, "\(after.verification)")
        #expect(after.verification.recordsChecked == 6 && after.verification.notes.isEmpty)
    }
}
