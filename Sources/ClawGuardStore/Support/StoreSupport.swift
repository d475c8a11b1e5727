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
    static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
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
