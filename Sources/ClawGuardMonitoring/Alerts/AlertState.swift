import Foundation

/// The life of one alert for one group, as a plain state machine: inactive → firing (notify, unless a
/// notification was sent less than `cooldown` ago) → resolved (notify, if the firing was announced). While firing,
/// nothing is repeated (de-duplication) except a periodic re-send where a receiver needs it (Alertmanager).
public struct AlertState: Sendable, Hashable {
    /// What the state machine asks for.
    public enum Transition: Sendable, Hashable {
        /// Announce the alert (firing).
        case notifyFiring
        /// Tell receivers it is over.
        case notifyResolved
        /// It started firing, but a notification went out less than the cool-down ago: enforce, do not notify.
        case suppressedByCooldown
    }

    public private(set) var firing = false
    /// This firing has been announced (so its end will be too).
    public private(set) var announced = false
    public private(set) var startedAt: Date?
    public private(set) var lastNotified: Date?

    public init() {}

    /// Feeds the alert's current condition.
    /// - Returns: what to do now (nil: nothing).
    public mutating func update(active: Bool, now: Date, cooldown: TimeInterval) -> Transition? {
        if active {
            if !firing {
                firing = true
                startedAt = now
                if let last = lastNotified, now.timeIntervalSince(last) < cooldown {
                    announced = false
                    return .suppressedByCooldown
                }
                announced = true
                lastNotified = now
                return .notifyFiring
            }
            // Still firing: announce late once the cool-down is over.
            if !announced, let last = lastNotified, now.timeIntervalSince(last) >= cooldown {
                announced = true
                lastNotified = now
                return .notifyFiring
            }
            return nil
        }
        guard firing else { return nil }
        firing = false
        defer { announced = false }
        return announced ? .notifyResolved : nil
    }
}

/// A sliding window of timestamped contributions (value and, for percentages, denominator).
public struct SlidingWindow: Sendable {
    struct Entry: Sendable {
        var time: Date
        var value: Double
        var denominator: Double
        var session: String?
    }

    /// Seconds the window spans; nil: unbounded (entries stay until the group is dropped).
    public var span: TimeInterval?
    /// At most this many entries are kept (the oldest go first), bounding memory under a flood.
    public var capacity: Int
    private(set) var entries: [Entry] = []
    private var head = 0

    public init(span: TimeInterval?, capacity: Int = 100_000) {
        self.span = span
        self.capacity = capacity
    }

    public mutating func add(time: Date, value: Double, denominator: Double = 0, session: String? = nil) {
        entries.append(Entry(time: time, value: value, denominator: denominator, session: session))
        if entries.count - head > capacity { head += 1 }
        compact()
    }

    /// Drops entries older than the window as of `now`.
    public mutating func expire(now: Date) {
        guard let span else { return }
        let cutoff = now.addingTimeInterval(-span)
        while head < entries.count, entries[head].time <= cutoff { head += 1 }
        compact()
    }

    private mutating func compact() {
        if head > 1024, head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }

    var live: ArraySlice<Entry> { entries[head...] }

    /// The sum of values in the window.
    public var sum: Double { live.reduce(0) { $0 + $1.value } }
    /// The sum of denominators in the window.
    public var denominatorSum: Double { live.reduce(0) { $0 + $1.denominator } }
    /// Sessions that contributed a value in the window.
    public var sessions: Set<String> { Set(live.filter { $0.value > 0 }.compactMap(\.session)) }
    public var isEmpty: Bool { head >= entries.count }
}
