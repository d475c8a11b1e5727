import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A per-engine cache of resolved paths (`~`, `..`, relative to the working directory, and symbolic links
/// through `readlink`), for a long-running process that reuses one `DecisionEngine` (the gateway).
///
/// Symbolic links make resolution a system-call walk (one `readlink` per path component); agents name the
/// same paths again and again, so a cache saves most of them. The cost is staleness: a link created, removed
/// or swapped after a path was resolved is seen only when the entry expires. So:
/// - entries are valid for a short time (`validity`, one second by default in `DecisionEngine.init`), and the
///   cache is off unless asked for (`pathCacheValidity: nil`, the default, resolves every time);
/// - the engine empties the cache after deciding any command that writes, deletes or creates links
///   (a path access other than read, list or execute, or a program in `linkChangingPrograms`), so an agent that
///   creates a link through ClawGuard is judged on the new link in its next call;
/// - a change made outside ClawGuard's view (another process, or an allowed build script) is seen after at
///   most `validity`. A check-then-use race exists without the cache too (the file system can change between
///   the decision and the command running); the cache widens that window by `validity`. Keep it short, or off
///   where that matters more than speed.
public final class ResolvedPathCache: Sendable {
    /// Programs whose run may create, move or remove links or directories.
    static let linkChangingPrograms: Set<String> = [
        "ln", "mv", "cp", "rm", "rmdir", "mkdir", "rsync", "tar", "unzip", "git", "install", "link", "unlink",
    ]

    /// Git subcommands that do not touch the working tree.
    static let readOnlyGitCommands: Set<String> = [
        "status", "diff", "log", "show", "blame", "grep", "ls-files", "rev-parse", "describe", "shortlog", "reflog",
        "cat-file", "ls-tree", "rev-list", "whatchanged",
    ]

    private struct Entry {
        var resolved: String
        var expires: UInt64
    }

    private struct State {
        var entries: [String: Entry] = [:]
    }

    /// How long an entry stays valid, in nanoseconds.
    public let validity: UInt64
    /// Most entries kept; the cache is emptied when it is full.
    public let capacity: Int
    private let state = Mutex(State())

    /// - Parameters:
    ///   - validitySeconds: how long a resolved path is trusted.
    ///   - capacity: most entries kept.
    public init(validitySeconds: Double, capacity: Int = 4_096) {
        self.validity = UInt64(max(0, validitySeconds) * 1e9)
        self.capacity = capacity
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// The resolved form of `raw` relative to `cwd`, from the cache or computed by `resolve` (and kept).
    func resolve(_ raw: String, cwd: String, _ resolve: (String, String) -> String) -> String {
        var key = cwd
        key.append("\u{0}")
        key.append(raw)
        let time = Self.now()
        if let hit = state.withLock({ $0.entries[key] }), hit.expires > time { return hit.resolved }
        let resolved = resolve(raw, cwd)
        state.withLock { state in
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = Entry(resolved: resolved, expires: time &+ validity)
        }
        return resolved
    }

    /// Forgets every entry.
    public func removeAll() {
        state.withLock { $0.entries.removeAll(keepingCapacity: true) }
    }

    /// Number of entries (for tests).
    public var count: Int { state.withLock { $0.entries.count } }
}
