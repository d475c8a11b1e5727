/// The generic cell rate algorithm for one rate limit key: the stored state is one number, the theoretical
/// arrival time (TAT). A call at `now` conforms when `TAT - tolerance <= now`; a conforming call moves the TAT
/// by one emission interval. Exact under concurrency when the read-modify-write runs in one write transaction.
public struct GCRA: Sendable, Hashable {
    /// Seconds between calls at the sustained rate (`period / count`).
    public var emissionInterval: Double
    /// How far ahead of `now` the TAT may run: `(burst - 1) * emissionInterval`.
    public var tolerance: Double

    public init(count: Int, period: Double, burst: Int? = nil) {
        let count = max(count, 1)
        emissionInterval = period / Double(count)
        tolerance = Double(max((burst ?? count) - 1, 0)) * emissionInterval
    }

    /// The result of checking one call.
    public struct Check: Sendable, Hashable {
        public var conforms: Bool
        /// The TAT to store if the call is admitted.
        public var newTAT: Double
        /// Seconds until a call would conform (0 when it does).
        public var retryAfter: Double
    }

    /// Checks a call at `now` against the stored `tat` (nil: never used).
    public func check(tat: Double?, now: Double) -> Check {
        let current = max(tat ?? now, now)
        let allowAt = current - tolerance
        // Times are seconds since 1970 (~1.8e9), where a Double resolves ~2e-7 s and repeated additions drift:
        // compare with a 100 µs slack so a call exactly on its slot conforms.
        if allowAt <= now + 1e-4 {
            return Check(conforms: true, newTAT: current + emissionInterval, retryAfter: 0)
        }
        return Check(conforms: false, newTAT: current, retryAfter: allowAt - now)
    }
}
