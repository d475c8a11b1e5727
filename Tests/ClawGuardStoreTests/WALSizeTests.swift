import ClawGuardCore
import Foundation
import GRDB
import Testing
@testable import ClawGuardStore

/// The WAL of a database only short-lived connections use (hooks): see `StateStore+WALSize.swift`.
@Suite struct WALSizeTests {
    /// `calls` hook-like lifetimes: open the store, record one tool call, optionally keep the WAL small, close.
    /// Returns the WAL size after each.
    func hookLifetimes(_ calls: Int, keepSmall: Bool, dir: TempDir) throws -> [Int] {
        var sizes: [Int] = []
        for i in 0..<calls {
            let store = try StateStore(path: dir.file("state.db"), options: StateStoreOptions(checkpointEvery: 10))
            _ = try store.recordToolCall(bashCall("echo \(i)", session: "s\(i % 3)"), verdict: allow, limits: .none,
                                         now: noon.addingTimeInterval(Double(i)))
            if keepSmall { store.keepWALSmall() }
            sizes.append(store.walSize)
        }
        return sizes
    }

    /// Why `keepWALSmall` exists: every process is SQLite's first connection, and the WAL is never rewound.
    @Test func withoutMaintenanceTheWALOfShortLivedConnectionsOnlyGrows() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let sizes = try hookLifetimes(40, keepSmall: false, dir: dir)
        #expect(zip(sizes, sizes.dropFirst()).allSatisfy { $0 < $1 }, "\(sizes)")
        #expect(sizes.last! > StateStore.walTruncateThreshold, "\(sizes)")
    }

    @Test func keepWALSmallBoundsTheWALAndLosesNothing() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let calls = 40
        let sizes = try hookLifetimes(calls, keepSmall: true, dir: dir)
        #expect(sizes.max()! <= StateStore.walTruncateThreshold, "\(sizes)")
        #expect(sizes.contains(0), "the WAL was never truncated: \(sizes)")
        // Every call is counted and the hash-chained, signed trail verifies after the checkpoints.
        let store = try StateStore(path: dir.file("state.db"))
        let verification = try store.verifyAudit()
        #expect(verification.ok, "\(verification)")
        let counted = try store.read("counting") { db in try Int.fetchOne(db, sql: "SELECT SUM(calls) FROM sessions") }
        #expect(counted == calls)
    }

    @Test func smallWALIsLeftAlone() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try StateStore(path: dir.file("state.db"))
        _ = try store.recordToolCall(bashCall("echo 1"), verdict: allow, limits: .none, now: noon)
        let before = store.walSize
        #expect(before > 0 && before <= StateStore.walTruncateThreshold)
        #expect(store.keepWALSmall() == false)
        #expect(store.walSize == before)
        #expect(store.keepWALSmall(threshold: 0) == true)
        #expect(store.walSize == 0)
    }

    @Test func inMemoryStoreHasNoWAL() throws {
        let store = try StateStore.inMemory()
        #expect(store.walSize == 0)
        #expect(store.keepWALSmall(threshold: 0) == false)
    }
}
