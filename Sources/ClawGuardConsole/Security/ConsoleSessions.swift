import Crypto
import Foundation
import Synchronization

/// Who is logged in to the console: the token's name and its scopes.
public struct ConsolePrincipal: Sendable, Hashable {
    /// The token's name (recorded as `decided_by`, `changed_by`).
    public var name: String
    /// The token's scopes (`*` grants every scope).
    public var scopes: Set<String>

    public init(name: String, scopes: Set<String>) {
        self.name = name
        self.scopes = scopes
    }

    /// True when the principal holds `scope` or `*`.
    public func allows(_ scope: String) -> Bool { scopes.contains("*") || scopes.contains(scope) }
}

/// One logged-in browser session.
public struct ConsoleSession: Sendable, Hashable {
    public var principal: ConsolePrincipal
    /// The per-session CSRF token every POST must carry (form field `csrf`).
    public var csrfToken: String
    public var createdAt: Date
    public var lastSeen: Date
}

/// Random tokens and constant-time comparison.
public enum SecureRandom {
    /// `bytes` random bytes (the system CSPRNG: getrandom on Linux) as unpadded base64url.
    public static func token(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Compares two strings in time that depends on their lengths only, not on where they differ.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    /// SHA-256 of `string`, hex.
    static func sha256(_ string: String) -> String {
        SHA256.hash(data: Data(string.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// The server-side session table: a browser holds a random 256-bit session id in an HttpOnly cookie; the table
/// keeps only its SHA-256, the principal, the CSRF token and the times. Sessions end after `idleTimeout` without a
/// request, after `maxAge` in any case, and at logout. A server restart logs everyone out (the table is in memory).
public final class ConsoleSessionTable: Sendable {
    /// Idle timeout in seconds.
    public let idleTimeout: TimeInterval
    /// Absolute lifetime in seconds.
    public let maxAge: TimeInterval
    /// At most this many sessions; the oldest is dropped beyond it.
    public let capacity: Int
    private let sessions = Mutex<[String: ConsoleSession]>([:])

    public init(idleTimeout: TimeInterval = 30 * 60, maxAge: TimeInterval = 12 * 3600, capacity: Int = 1000) {
        self.idleTimeout = idleTimeout
        self.maxAge = maxAge
        self.capacity = capacity
    }

    /// Starts a session for `principal`; returns the session id for the cookie and the session.
    public func create(for principal: ConsolePrincipal, now: Date = Date()) -> (id: String, session: ConsoleSession) {
        let id = SecureRandom.token()
        let session = ConsoleSession(principal: principal, csrfToken: SecureRandom.token(), createdAt: now, lastSeen: now)
        sessions.withLock { table in
            table = table.filter { !expired($0.value, now: now) }
            if table.count >= capacity, let oldest = table.min(by: { $0.value.lastSeen < $1.value.lastSeen }) {
                table[oldest.key] = nil
            }
            table[SecureRandom.sha256(id)] = session
        }
        return (id, session)
    }

    /// The live session for `id`, touched; nil when unknown or expired (an expired one is removed).
    public func lookup(_ id: String, now: Date = Date()) -> ConsoleSession? {
        let key = SecureRandom.sha256(id)
        return sessions.withLock { table in
            guard var session = table[key] else { return nil }
            if expired(session, now: now) {
                table[key] = nil
                return nil
            }
            session.lastSeen = now
            table[key] = session
            return session
        }
    }

    /// Ends the session `id` (logout).
    public func remove(_ id: String) {
        let key = SecureRandom.sha256(id)
        _ = sessions.withLock { $0.removeValue(forKey: key) }
    }

    /// The number of sessions held (live or not yet swept).
    public var count: Int { sessions.withLock { $0.count } }

    private func expired(_ session: ConsoleSession, now: Date) -> Bool {
        now.timeIntervalSince(session.lastSeen) > idleTimeout || now.timeIntervalSince(session.createdAt) > maxAge
    }
}
