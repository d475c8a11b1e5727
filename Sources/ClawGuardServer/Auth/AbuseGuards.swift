import Synchronization

/// Counts failed authentications per client address; `failures` within `window` lock the address out for
/// `duration`. Bounded: at most `maxClients` addresses are tracked (the oldest entries are dropped).
public final class LockoutTracker: Sendable {
    struct Entry {
        var failures: [ContinuousClock.Instant] = []
        var lockedUntil: ContinuousClock.Instant?
    }

    private let state = Mutex<[String: Entry]>([:])
    let failures: Int
    let window: Duration
    let duration: Duration
    let maxClients = 10_000

    public init(failures: Int, window: Duration, duration: Duration) {
        self.failures = max(1, failures)
        self.window = window
        self.duration = duration
    }

    /// How long `client` is still locked out, or nil.
    public func lockedOut(_ client: String, now: ContinuousClock.Instant = .now) -> Duration? {
        state.withLock { table in
            guard let until = table[client]?.lockedUntil else { return nil }
            if until <= now {
                table[client] = nil
                return nil
            }
            return now.duration(to: until)
        }
    }

    /// Records a failure; returns true when this failure starts a lockout.
    @discardableResult
    public func recordFailure(_ client: String, now: ContinuousClock.Instant = .now) -> Bool {
        state.withLock { table in
            if table.count >= maxClients, table[client] == nil {
                // Forget the entries with the oldest last failure (never an active lockout's).
                let evictable = table.filter { $0.value.lockedUntil == nil }
                    .sorted { ($0.value.failures.last ?? now) < ($1.value.failures.last ?? now) }
                for (key, _) in evictable.prefix(maxClients / 10) { table[key] = nil }
            }
            var entry = table[client] ?? Entry()
            entry.failures = entry.failures.filter { $0.duration(to: now) < window } + [now]
            var locked = false
            if entry.failures.count >= failures {
                entry.lockedUntil = now.advanced(by: duration)
                entry.failures = []
                locked = true
            }
            table[client] = entry
            return locked
        }
    }
}

/// Per-token rate limit: GCRA (a token bucket without a timer) with `perMinute` requests per minute and `burst`
/// requests above it at once.
public final class TokenRateLimiter: Sendable {
    private let state = Mutex<[String: ContinuousClock.Instant]>([:])
    let interval: Duration
    let tolerance: Duration
    public let enabled: Bool

    public init(perMinute: Int, burst: Int) {
        enabled = perMinute > 0
        interval = perMinute > 0 ? .seconds(60) / perMinute : .zero
        tolerance = interval * max(0, burst)
    }

    /// Admits a request for `key`, or returns how long to wait.
    public func admit(_ key: String, now: ContinuousClock.Instant = .now) -> Duration? {
        guard enabled else { return nil }
        return state.withLock { table in
            let tat = max(table[key] ?? now, now)
            let allowAt = tat - tolerance
            if allowAt > now { return now.duration(to: allowAt) }
            table[key] = tat + interval
            return nil
        }
    }
}
