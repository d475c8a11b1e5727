import ClawGuardCore
import ClawGuardStore
import Dispatch
import Foundation
import Synchronization

/// Group commit for `recordToolCall`, on a writer thread of its own: decisions are queued in arrival order and
/// the writer records every queued call (up to `maxBatch`) in ONE transaction, with the same semantics as one
/// transaction each. The answer is given only after its transaction committed (ack after commit); a failed
/// transaction fails every call in it (each caller denies).
///
/// SQLite work never runs on Swift's cooperative pool (two threads on a two-core machine, shared with the HTTP
/// event loops' tasks): a request only enqueues and suspends. The writer thread starts with the first call and
/// ends when the committer is released (`deinit`).
final class GroupCommitter: Sendable {
    fileprivate struct Item {
        let event: ToolCallEvent
        let verdict: Verdict
        let limits: ClawGuardStore.Limits
        let continuation: CheckedContinuation<Result<ToolCallOutcome, ClawGuardError>, Never>
    }

    /// The queue shared by the requests and the writer thread.
    fileprivate final class Queue: Sendable {
        struct State {
            var items: [Item] = []
            var writerIdle = false
            var started = false
            var stopped = false
        }
        let state = Mutex(State())
        let wake = DispatchSemaphore(value: 0)
        let store: StateStore
        let maxBatch: Int

        init(store: StateStore, maxBatch: Int) {
            self.store = store
            self.maxBatch = maxBatch
        }

        /// The writer thread's loop: take a batch, record it in one transaction, answer its callers.
        func run() {
            while true {
                let batch = state.withLock { state -> [Item]? in
                    if state.items.isEmpty {
                        if state.stopped { return nil }
                        state.writerIdle = true
                        return []
                    }
                    let count = min(state.items.count, maxBatch)
                    let batch = Array(state.items.prefix(count))
                    state.items.removeFirst(count)
                    return batch
                }
                guard let batch else { return }
                if batch.isEmpty {
                    wake.wait()
                    continue
                }
                write(batch)
            }
        }

        func write(_ batch: [Item]) {
            let results: [Result<ToolCallOutcome, ClawGuardError>]
            do {
                let store = self.store
                let outcomes = try store.adapterWrite("recording tool calls") { db in
                    try batch.map { try store.recordToolCall($0.event, verdict: $0.verdict, limits: $0.limits, now: Date(), in: db) }
                }
                results = outcomes.map { .success($0) }
            } catch {
                results = batch.map { _ in .failure(error) }
            }
            for (item, result) in zip(batch, results) { item.continuation.resume(returning: result) }
        }
    }

    private let queue: Queue
    /// Copies the WAL back off the writer's path (see `WALCheckpointer`).
    private let checkpointer: WALCheckpointer

    /// The store written to.
    var store: StateStore { queue.store }

    init(store: StateStore, maxBatch: Int = 128) {
        queue = Queue(store: store, maxBatch: max(1, maxBatch))
        checkpointer = WALCheckpointer(path: store.path)
        // The writer checkpoints by itself only past 16,000 pages (64 MiB): a safety net if the checkpointer
        // cannot run; otherwise the copy back never sits inside a decision's commit.
        if (try? store.setAutoCheckpoint(pages: 16_000)) != nil { checkpointer.start() }
    }

    deinit {
        checkpointer.stop()
        let wake = queue.state.withLock { state -> Bool in
            state.stopped = true
            defer { state.writerIdle = false }
            return state.writerIdle
        }
        if wake { queue.wake.signal() }
    }

    /// Checks and records one call (see `StateStore.recordToolCall`).
    func record(_ event: ToolCallEvent, verdict: Verdict, limits: ClawGuardStore.Limits) async -> Result<ToolCallOutcome, ClawGuardError> {
        await withCheckedContinuation { continuation in
            let (start, wake) = queue.state.withLock { state -> (Bool, Bool) in
                state.items.append(Item(event: event, verdict: verdict, limits: limits, continuation: continuation))
                let start = !state.started
                state.started = true
                let wake = state.writerIdle
                state.writerIdle = false
                return (start, wake)
            }
            if start {
                let queue = self.queue
                let thread = Thread { queue.run() }
                thread.name = "clawguard-gateway-writer"
                thread.start()
            }
            if wake { queue.wake.signal() }
        }
    }
}
