import ClawGuardCore
import ClawGuardStore
import Foundation
import Synchronization

/// The events of every run: numbered, stored (`worker_run_events`, so they replay after a restart), and pushed to
/// live subscribers. A subscriber gets every event after the sequence number it asks for, then the live ones,
/// and its stream finishes when the run ends.
public final class EventHub: Sendable {
    struct Log {
        var next = 0
        var events: [RunEvent] = []
        var subscribers: [UUID: AsyncStream<RunEvent>.Continuation] = [:]
        var finished = false
    }

    let runs: RunStore
    let logs = Mutex<[String: Log]>([:])

    public init(runs: RunStore) { self.runs = runs }

    /// Appends an event to a run's log (stored first; a store failure is reported to the caller).
    @discardableResult
    public func append(_ runID: String, _ kind: RunEvent.Kind, _ data: JSONValue, now: Date = Date()) throws(ClawGuardError) -> RunEvent {
        // The sequence number is taken and the row written under the lock, so stored order is log order.
        let result: Result<RunEvent, ClawGuardError> = logs.withLock { logs in
            var log = logs[runID] ?? Log(next: (try? runs.runEvents(runID: runID).last.map { $0.seq + 1 }) ?? 0)
            // The time as stored, so a live event and its replay are equal.
            let event = RunEvent(seq: log.next, time: Date(timeIntervalSince1970: now.timeIntervalSince1970), kind: kind, data: data)
            let row = RunEventRow(runID: runID, seq: event.seq, time: now.timeIntervalSince1970, kind: kind.rawValue,
                                  data: Self.encode(data))
            do { try runs.appendRunEvents([row]) } catch { return .failure(error as? ClawGuardError ?? ClawGuardError(.store, "\(error)")) }
            log.next += 1
            log.events.append(event)
            for continuation in log.subscribers.values { continuation.yield(event) }
            logs[runID] = log
            return .success(event)
        }
        return try result.get()
    }

    /// Ends a run's log: subscribers' streams finish.
    public func finish(_ runID: String) {
        let subscribers = logs.withLock { logs in
            var log = logs[runID] ?? Log()
            log.finished = true
            let subscribers = Array(log.subscribers.values)
            log.subscribers = [:]
            // The stored rows stay; the in-memory copy of an ended run is not needed any more.
            log.events = []
            logs[runID] = log
            return subscribers
        }
        // Outside the lock: finishing runs the stream's termination handler, which takes the lock.
        for continuation in subscribers { continuation.finish() }
    }

    /// Every event of a run after `afterSeq`, then the live ones until the run ends.
    /// - Parameter live: false for the stored events only (a finished stream).
    public func events(_ runID: String, afterSeq: Int = -1, live: Bool = true) throws(ClawGuardError) -> AsyncStream<RunEvent> {
        let (stream, continuation) = AsyncStream<RunEvent>.makeStream(bufferingPolicy: .unbounded)
        let id = UUID()
        let stored = try runs.runEvents(runID: runID, afterSeq: afterSeq)
        logs.withLock { logs in
            var log = logs[runID] ?? Log(next: (stored.last?.seq ?? afterSeq) + 1)
            var last = afterSeq
            for row in stored {
                continuation.yield(Self.decode(row))
                last = row.seq
            }
            for event in log.events where event.seq > last { continuation.yield(event) }
            if !live || log.finished || logs[runID] == nil {
                continuation.finish()
                return
            }
            log.subscribers[id] = continuation
            logs[runID] = log
        }
        continuation.onTermination = { [weak self] _ in
            self?.logs.withLock { logs in _ = logs[runID]?.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Marks a run as live (so subscribers who come before its first event wait for it).
    public func open(_ runID: String) {
        logs.withLock { logs in
            if logs[runID] == nil {
                logs[runID] = Log(next: (try? runs.runEvents(runID: runID).last.map { $0.seq + 1 }) ?? 0)
            }
            logs[runID]?.finished = false
        }
    }

    static func encode(_ v: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(v), as: UTF8.self)) ?? "{}"
    }

    static func decode(_ row: RunEventRow) -> RunEvent {
        let data = (try? JSONDecoder().decode(JSONValue.self, from: Data(row.data.utf8))) ?? .null
        return RunEvent(seq: row.seq, time: Date(timeIntervalSince1970: row.time), kind: RunEvent.Kind(rawValue: row.kind), data: data)
    }
}
