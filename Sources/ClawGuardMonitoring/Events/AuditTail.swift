import ClawGuardCore
import ClawGuardStore
import Foundation
import Logging
import ServiceLifecycle

/// Follows the audit table: polls for records after its cursor in bounded batches, hands each batch to `sink`,
/// then stores the cursor (so events written by hook processes count too, and a restart resumes where it was).
public struct AuditTail: Service {
    /// How the tail polls.
    public struct Configuration: Sendable {
        /// Records per batch.
        public var batchSize: Int
        /// Pause when the tail has caught up.
        public var pollInterval: Duration
        /// The cursor's name in the store (`settings` key `cursor.NAME`); nil: do not store it.
        public var cursorName: String?
        /// Without a stored cursor, start with records of the last this many seconds.
        public var replay: TimeInterval

        public init(batchSize: Int = 500, pollInterval: Duration = .milliseconds(500), cursorName: String? = "monitoring",
                    replay: TimeInterval = 3600) {
            self.batchSize = max(batchSize, 1)
            self.pollInterval = pollInterval
            self.cursorName = cursorName
            self.replay = replay
        }
    }

    public let store: StateStore
    public let configuration: Configuration
    public let logger: Logger
    let sink: @Sendable ([AuditRecord]) async -> Void

    public init(store: StateStore, configuration: Configuration = Configuration(), logger: Logger = Logger(label: "clawguard.monitoring"),
                sink: @escaping @Sendable ([AuditRecord]) async -> Void) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.sink = sink
    }

    /// Where to start: the stored cursor, or just before the records of the replay period.
    public func startCursor(now: Date = Date()) throws(ClawGuardError) -> Int64 {
        if let name = configuration.cursorName, let stored = try store.auditCursor(name) { return stored }
        return try store.auditSeq(before: now.addingTimeInterval(-configuration.replay))
    }

    /// Reads one batch after `cursor`, hands it on and stores the new cursor.
    /// - Returns: the new cursor and how many records there were.
    public func step(from cursor: Int64) async throws(ClawGuardError) -> (cursor: Int64, count: Int) {
        let records = try store.auditBatch(after: cursor, limit: configuration.batchSize)
        guard let last = records.last else { return (cursor, 0) }
        await sink(records)
        if let name = configuration.cursorName { try store.setAuditCursor(name, to: last.seq) }
        return (last.seq, records.count)
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            var cursor: Int64 = -1
            while !Task.isCancelled {
                var caughtUp = true
                do throws(ClawGuardError) {
                    if cursor < 0 { cursor = try startCursor() }
                    let (next, count) = try await step(from: cursor)
                    cursor = next
                    caughtUp = count < configuration.batchSize
                } catch {
                    // The store is busy or unreadable: keep the cursor, log, and try again after a pause.
                    logger.error("audit tail cannot read the store", metadata: ["error": "\(error.message)"])
                }
                if caughtUp { try await Task.sleep(for: configuration.pollInterval) }
            }
        }
    }
}
