import ClawGuardCore
import ClawGuardStore
import Foundation
import Synchronization

/// Group commit for `recordToolCall`: decisions that arrive while another commit is running are recorded together
/// in the next transaction (in arrival order, with the same semantics as one transaction each), so the
/// per-transaction cost is shared under load. No task of its own: the request that finds no commit running
/// drains the queue (combining); the others wait for their result. A failed transaction fails every call in it
/// (each caller denies).
final class GroupCommitter: Sendable {
    private struct Item {
        let event: ToolCallEvent
        let verdict: Verdict
        let limits: ClawGuardStore.Limits
        let continuation: CheckedContinuation<Result<ToolCallOutcome, ClawGuardError>, Never>
    }

    private let state = Mutex<(queue: [Item], busy: Bool)>(([], false))
    let store: StateStore
    /// The most calls in one transaction.
    let maxBatch: Int

    init(store: StateStore, maxBatch: Int = 128) {
        self.store = store
        self.maxBatch = max(1, maxBatch)
    }

    /// Checks and records one call (see `StateStore.recordToolCall`).
    func record(_ event: ToolCallEvent, verdict: Verdict, limits: ClawGuardStore.Limits) async -> Result<ToolCallOutcome, ClawGuardError> {
        await withCheckedContinuation { continuation in
            let lead = state.withLock { state -> Bool in
                state.queue.append(Item(event: event, verdict: verdict, limits: limits, continuation: continuation))
                if state.busy { return false }
                state.busy = true
                return true
            }
            if lead { drain() }
        }
    }

    private func drain() {
        while true {
            let batch = state.withLock { state -> [Item] in
                if state.queue.isEmpty {
                    state.busy = false
                    return []
                }
                let count = min(state.queue.count, maxBatch)
                let batch = Array(state.queue.prefix(count))
                state.queue.removeFirst(count)
                return batch
            }
            if batch.isEmpty { return }
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
}
