import ClawGuardCore
import Foundation
import GRDB
import Synchronization
import Dispatch

/// Checkpoints for a long-lived writer (the gateway): SQLite's automatic checkpoint runs inside the commit that
/// crosses 1,000 WAL pages, so one decision in ~300 waited several milliseconds for the copy back into the
/// database. The writer raises its own threshold to a safety net, and a `WALCheckpointer` on a connection of its
/// own copies the WAL back with `PASSIVE` checkpoints, which never wait for (or block) the writer; SQLite rewinds
/// the WAL at the next write once a checkpoint has copied all of it.
extension StateStore {
    /// Pages after which this connection checkpoints inside a commit by itself; the default is SQLite's 1,000.
    /// - Throws: store errors.
    public func setAutoCheckpoint(pages: Int) throws(ClawGuardError) {
        guard path != ":memory:" else { return }
        try StoreSupport.wrap("setting the automatic checkpoint") {
            try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = \(max(0, pages))") }
        }
    }
}

/// Copies a database's WAL back in the background (`PRAGMA wal_checkpoint(PASSIVE)`) whenever it is larger than a
/// threshold, on a connection and thread of its own. Maintenance only: a checkpoint that cannot finish (a reader
/// still on old pages) leaves the rest to the next one, and the writer's raised automatic checkpoint remains the
/// safety net if this one cannot run at all.
public final class WALCheckpointer: Sendable {
    private let path: String
    private let thresholdBytes: Int
    private let interval: Double
    private let stopped = Mutex(false)
    private let wake = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - path: the database file.
    ///   - thresholdBytes: WAL size that triggers a checkpoint (default 1 MiB, about 250 pages).
    ///   - interval: seconds between looks at the WAL's size.
    public init(path: String, thresholdBytes: Int = 1 << 20, interval: Double = 0.05) {
        self.path = path
        self.thresholdBytes = thresholdBytes
        self.interval = interval
    }

    /// Starts the thread (returns at once); `stop()` ends it.
    public func start() {
        guard path != ":memory:" else { return }
        let thread = Thread { [self] in run() }
        thread.name = "clawguard-wal-checkpointer"
        thread.start()
    }

    /// Ends the thread after its current checkpoint.
    public func stop() {
        stopped.withLock { $0 = true }
        wake.signal()
    }

    private func run() {
        var configuration = Configuration()
        configuration.busyMode = .timeout(0.05)
        configuration.label = "clawguard-wal-checkpointer"
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return }
        while !stopped.withLock({ $0 }) {
            _ = wake.wait(timeout: .now() + interval)
            if stopped.withLock({ $0 }) { break }
            guard StateStore.walSize(ofDatabase: path) > thresholdBytes else { continue }
            _ = try? queue.writeWithoutTransaction { db in try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)") }
        }
    }
}
