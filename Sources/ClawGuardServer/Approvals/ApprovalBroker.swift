import Foundation
import Synchronization

/// An approval event for the server-sent-events stream and automatic approvers.
public struct ApprovalEvent: Sendable, Codable {
    /// `created` or `decided`.
    public var type: String
    public var approval: ApprovalRecord
}

/// In-process rendezvous for approvals: requests waiting for a decision, subscribers to the event stream, and the
/// queue of new approvals for the automatic approvers. Shut down with the server: waiters get nil (deny),
/// streams end.
public final class ApprovalBroker: Sendable {
    private struct State {
        var waiters: [String: [UInt64: CheckedContinuation<ApprovalRecord?, Never>]] = [:]
        var subscribers: [UInt64: AsyncStream<ApprovalEvent>.Continuation] = [:]
        var next: UInt64 = 0
        var closed = false
    }

    private let state = Mutex(State())
    /// New approvals, for `ApproverService`.
    let created: AsyncStream<ApprovalRecord>
    private let createdContinuation: AsyncStream<ApprovalRecord>.Continuation

    public init() {
        (created, createdContinuation) = AsyncStream.makeStream(of: ApprovalRecord.self, bufferingPolicy: .bufferingNewest(10_000))
    }

    /// Announces a new approval.
    public func publishCreated(_ record: ApprovalRecord) {
        broadcast(ApprovalEvent(type: "created", approval: record))
        createdContinuation.yield(record)
    }

    /// Announces a decision and wakes the requests waiting for it.
    public func publishDecided(_ record: ApprovalRecord) {
        let waiting = state.withLock { $0.waiters.removeValue(forKey: record.id) ?? [:] }
        for continuation in waiting.values { continuation.resume(returning: record) }
        broadcast(ApprovalEvent(type: "decided", approval: record))
    }

    /// Waits for approval `id` to be decided, at most `timeout`; nil on timeout, cancellation or shutdown.
    /// `current` is consulted after registering, so a decision made just before the wait is not missed.
    public func wait(for id: String, timeout: Duration, current: @escaping @Sendable () -> ApprovalRecord?) async -> ApprovalRecord? {
        await withTaskGroup(of: ApprovalRecord?.self) { group in
            group.addTask { await self.waitForever(id, current: current) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    private func waitForever(_ id: String, current: @escaping @Sendable () -> ApprovalRecord?) async -> ApprovalRecord? {
        let key = state.withLock { state -> UInt64 in
            state.next += 1
            return state.next
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ApprovalRecord?, Never>) in
                let registered = state.withLock { state -> Bool in
                    guard !state.closed, !Task.isCancelled else { return false }
                    state.waiters[id, default: [:]][key] = continuation
                    return true
                }
                guard registered else {
                    continuation.resume(returning: nil)
                    return
                }
                if let record = current(), record.status != .pending {
                    let mine = state.withLock { $0.waiters[id]?.removeValue(forKey: key) }
                    mine?.resume(returning: record)
                }
            }
        } onCancel: {
            let mine = state.withLock { $0.waiters[id]?.removeValue(forKey: key) }
            mine?.resume(returning: nil)
        }
    }

    /// A stream of approval events from now on.
    public func subscribe() -> AsyncStream<ApprovalEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: ApprovalEvent.self, bufferingPolicy: .bufferingNewest(1000))
        let key = state.withLock { state -> UInt64? in
            guard !state.closed else { return nil }
            state.next += 1
            state.subscribers[state.next] = continuation
            return state.next
        }
        guard let key else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: key) }
        }
        return stream
    }

    /// The number of open event streams.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Ends every stream and wait (they answer deny).
    public func shutdown() {
        let (waiters, subscribers) = state.withLock { state in
            state.closed = true
            defer { state.waiters = [:]; state.subscribers = [:] }
            return (state.waiters.values.flatMap(\.values), Array(state.subscribers.values))
        }
        for waiter in waiters { waiter.resume(returning: nil) }
        for subscriber in subscribers { subscriber.finish() }
        createdContinuation.finish()
    }

    private func broadcast(_ event: ApprovalEvent) {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers { subscriber.yield(event) }
    }
}
