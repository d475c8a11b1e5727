import ClawGuardCore
import ClawGuardStore
import Foundation
import Testing

@testable import ClawGuardMonitoring

@Suite struct TailTests {
    /// Collects what the tail hands on.
    final class Collected: Sendable {
        let seqs = LockedBox<[Int64]>([])
    }

    @Test func followsInBoundedBatchesAndResumesFromTheStoredCursor() async throws {
        let store = try makeStore()
        for i in 0..<7 { try call(store, session: "s", command: "echo \(i)") }  // 8 records: agent_started + 7
        let collected = Collected()
        let config = AuditTail.Configuration(batchSize: 3, cursorName: "test")
        let tail = AuditTail(store: store, configuration: config) { records in
            collected.seqs.withLock { $0 += records.map(\.seq) }
        }
        var cursor = try tail.startCursor()
        #expect(cursor == 0)  // no stored cursor, everything is within the replay period
        var batches: [Int] = []
        while true {
            let (next, count) = try await tail.step(from: cursor)
            if count == 0 { break }
            batches.append(count)
            cursor = next
        }
        #expect(batches == [3, 3, 2])
        #expect(collected.seqs.withLock { $0 } == Array(1...8))
        #expect(try store.auditCursor("test") == 8)
        // Another writer (a hook process) appends; a new tail resumes after the stored cursor.
        let other = try StateStore(path: store.path)
        try call(other, session: "s", command: "echo late")
        let resumed = AuditTail(store: store, configuration: config) { records in
            collected.seqs.withLock { $0 += records.map(\.seq) }
        }
        let start = try resumed.startCursor()
        #expect(start == 8)
        #expect(try await resumed.step(from: start).count == 1)
        #expect(collected.seqs.withLock { $0 }.last == 9)
    }

    @Test func withoutACursorStartsWithTheRecentPast() throws {
        let store = try makeStore()
        let old = Date().addingTimeInterval(-7200)
        try call(store, session: "old", command: "echo 1", now: old)
        try call(store, session: "new", command: "echo 2")
        let tail = AuditTail(store: store, configuration: .init(cursorName: nil, replay: 3600)) { _ in }
        #expect(try tail.startCursor() == 2)  // skips the two records of two hours ago
    }

    @Test func theServiceCountsWhatAnotherProcessWrites() async throws {
        let store = try makeStore()
        var policy = Policy(profileName: "test", mode: .default)
        policy.alerts = [try rule("denied", "1 denial", actions: ["log"])]
        let service = try MonitoringService(
            store: store, policy: policy,
            configuration: .init(tail: .init(pollInterval: .milliseconds(20), cursorName: "svc"), evaluationInterval: .milliseconds(50)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            let writer = try StateStore(path: store.path)
            try call(writer, session: "h", command: "curl x", decision: .deny)
            // Bounded wait for the tail to catch up (no timing assertion: only that it happens at all).
            var seen = false
            for _ in 0..<500 where !seen {
                seen = sample(service.renderMetrics(), #"clawguard_tool_invocations_total{tool="Bash",status="blocked"}"#) == 1
                if !seen { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(seen)
            #expect(service.firingAlerts().map(\.alert) == ["denied"])
            group.cancelAll()
        }
        #expect(try store.auditCursor("svc") == 2)
    }
}

/// A tiny lock-protected box for test collectors.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
