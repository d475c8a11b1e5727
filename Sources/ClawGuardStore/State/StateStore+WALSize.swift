import ClawGuardCore
import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#endif

/// Keeping the write-ahead log small when every connection is short-lived (hooks, `clawguard run`).
///
/// A hook process opens the state database, writes one transaction and exits without closing it (closing would
/// checkpoint and delete the WAL: see `tuneConnection`). When no other process has the database open, the next
/// process is SQLite's "first connection": it rebuilds the WAL index from the WAL file (reading and checksumming
/// every frame), and the rebuilt index says nothing has been copied back into the database yet. So the WAL is
/// never rewound: SQLite's automatic checkpoint copies all of it back on every commit past 1000 pages, and the
/// file grows by every transaction for ever — each hook read ~2,200 frames (9 MB) after 300 tool calls, about
/// half of its CPU time. `keepWALSmall` truncates the WAL with a `TRUNCATE` checkpoint once it is larger than
/// `walTruncateThreshold`, so each process reads at most that much.
extension StateStore {
    /// WAL size (bytes) above which `keepWALSmall()` checkpoints: 256 KiB, about 60 pages, or 8 hook
    /// transactions; reading that much costs a process well under 0.1 ms, and the checkpoint's two `fdatasync`s
    /// are paid once per 8 calls.
    public static let walTruncateThreshold = 256 << 10

    /// The current size of the database's WAL file in bytes (0 when there is none).
    public var walSize: Int { Self.walSize(ofDatabase: path) }

    /// The size in bytes of the WAL file beside the database at `path` (0 when there is none).
    public static func walSize(ofDatabase path: String) -> Int {
        guard path != ":memory:" else { return 0 }
        var info = stat()
        return stat(path + "-wal", &info) == 0 ? Int(info.st_size) : 0
    }

    /// Copies the WAL back into the database and truncates it when it is larger than `threshold` bytes. For
    /// short-lived processes, after their writes (see the extension's comment). A maintenance step only: the
    /// writes are already committed, so a failure (another process busy past the short wait) changes nothing and
    /// is ignored; a later process retries.
    /// - Parameter threshold: the WAL size that triggers the checkpoint.
    /// - Returns: whether the WAL was truncated.
    @discardableResult
    public func keepWALSmall(threshold: Int = StateStore.walTruncateThreshold) -> Bool {
        guard walSize > threshold else { return false }
        do {
            return try writer.writeWithoutTransaction { db in
                // Wait briefly, not the full busy timeout: another process holding the lock will do it later.
                try db.execute(sql: "PRAGMA busy_timeout = 50")
                defer { try? db.execute(sql: "PRAGMA busy_timeout = \(Int(options.busyTimeout * 1000))") }
                // One row: (busy, WAL frames, frames checkpointed); busy = 1 when it could not finish.
                let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                let busy: Int = row?[0] ?? 1
                return busy == 0
            }
        } catch {
            return false
        }
    }
}
