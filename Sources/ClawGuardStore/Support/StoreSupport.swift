import ClawGuardCore
import Foundation

/// Small helpers shared inside the store.
enum StoreSupport {
    static func error(_ code: ClawGuardError.Code, _ message: String, underlying: (any Error)? = nil,
                      file: String = #fileID, line: Int = #line) -> ClawGuardError {
        ClawGuardError(code, message, underlying: underlying, file: file, line: line)
    }

    /// Runs `body`, turning any non-ClawGuard error into `ClawGuardError(.store)` with `what` as context.
    static func wrap<T>(_ what: String, _ body: () throws -> T) throws(ClawGuardError) -> T {
        do {
            return try body()
        } catch let error as ClawGuardError {
            throw error
        } catch {
            throw ClawGuardError(.store, "state store: \(what) failed: \(error)", underlying: error)
        }
    }

    /// `2026-11-25T08:16:15.123Z`
    /// Written by hand: Foundation's `ISO8601FormatStyle` opens ICU's time-zone data on first use, which was
    /// 2 % of a hook's run. `StoreSupportTests` checks it against Foundation's formatter.
    static func iso8601(_ date: Date) -> String {
        // Whole seconds and the truncated milliseconds of the fraction, from the reference-date interval `Date`
        // stores (as Foundation's formatter does: `1795000000.123` is `…0.122999…`, written `.122`).
        let interval = date.timeIntervalSinceReferenceDate
        let whole = interval.rounded(.down)
        let fraction = min(999, Int(((interval - whole) * 1000).rounded(.down)))
        var seconds = time_t(Int64(whole) + 978_307_200)
        var t = tm()
        gmtime_r(&seconds, &t)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        return pad(Int(t.tm_year) + 1900, 4) + "-" + pad(Int(t.tm_mon) + 1, 2) + "-" + pad(Int(t.tm_mday), 2) + "T"
            + pad(Int(t.tm_hour), 2) + ":" + pad(Int(t.tm_min), 2) + ":" + pad(Int(t.tm_sec), 2) + "." + pad(fraction, 3) + "Z"
    }

    /// The UTC day `YYYY-MM-DD` of `date`.
    static func utcDay(_ date: Date) -> String {
        String(iso8601(date).prefix(10))
    }

    /// Human-readable dollars: `$1.2345`.
    static func usd(_ value: Double) -> String {
        String(format: "$%.4f", value)
    }
}
