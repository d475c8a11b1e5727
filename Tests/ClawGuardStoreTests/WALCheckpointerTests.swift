import ClawGuardCore
import Foundation
import Testing
@testable import ClawGuardStore

/// The gateway's checkpointing: the writer's own automatic checkpoint raised to a safety net, a background
/// `WALCheckpointer` keeping the WAL near its threshold, every record intact.
@Suite struct WALCheckpointerTests {
    @Test func theBackgroundCheckpointerKeepsTheWALBoundedAndTheTrailIntact() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try StateStore(path: dir.file("state.db"))
        try store.setAutoCheckpoint(pages: 16_000)
        // Without the checkpointer the WAL only grows (the raised threshold is far away).
        for i in 0..<300 { _ = try store.recordToolCall(bashCall("echo \(i)"), verdict: allow, limits: .none) }
        let grown = store.walSize
        #expect(grown > 1 << 20, "the WAL should have grown past 1 MiB: \(grown)")
        // The file keeps its high-water size after SQLite rewinds it: start the second phase from an empty WAL.
        #expect(store.keepWALSmall(threshold: 0) && store.walSize == 0)
        let checkpointer = WALCheckpointer(path: store.path, thresholdBytes: 256 << 10, interval: 0.01)
        checkpointer.start()
        defer { checkpointer.stop() }
        // With it, the copy back happens beside the writes and SQLite rewinds the WAL: it stops growing.
        var largest = 0
        for i in 0..<300 {
            _ = try store.recordToolCall(bashCall("echo more \(i)"), verdict: allow, limits: .none)
            if i % 50 == 49 { Thread.sleep(forTimeInterval: 0.03) }
            largest = max(largest, store.walSize)
        }
        #expect(largest < grown / 2, "the WAL kept growing: \(largest) of \(grown) without the checkpointer")
        #expect(try store.auditRecords().count == 601)  // agent_started + 600 calls
        #expect(try store.verifyAudit().ok)
    }
}
