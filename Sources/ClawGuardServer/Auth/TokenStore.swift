import ClawGuardCore
import ClawGuardStore
import Crypto
import Foundation
import GRDB
import Synchronization

/// A bearer token as stored: never the token itself, only its SHA-256.
public struct TokenRecord: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var scopes: [Scope]
    public var createdAt: Date
    public var expiresAt: Date?
    public var revokedAt: Date?
    public var createdBy: String
    /// SHA-256 (hex) of the whole token.
    var hash: String

    enum CodingKeys: String, CodingKey {
        case id, name, scopes, createdAt = "created_at", expiresAt = "expires_at", revokedAt = "revoked_at"
        case createdBy = "created_by", hash
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(scopes, forKey: .scopes)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(expiresAt, forKey: .expiresAt)
        try c.encode(revokedAt, forKey: .revokedAt)
        try c.encode(createdBy, forKey: .createdBy)
    }

    /// `active`, `expired` or `revoked` at `now`.
    public func status(at now: Date = Date()) -> String {
        if revokedAt != nil { return "revoked" }
        if let expiresAt, expiresAt <= now { return "expired" }
        return "active"
    }
}

/// A newly created token: the secret is shown once.
public struct IssuedToken: Sendable {
    public var record: TokenRecord
    /// `cgt_<id>_<secret>`; not stored anywhere.
    public var token: String
}

/// Why a token was refused (all are 401; the reason goes to the log and the audit trail, not to the client).
public enum TokenRejection: String, Sendable, Error {
    case missing, malformed, unknown, expired, revoked
}

/// The `tokens` table: create, list, revoke, and verify bearer tokens.
///
/// Tokens are `cgt_` + a 12-hex-digit id + `_` + 64 hex digits (256 random bits). Only the SHA-256 of the whole
/// token is stored; verification looks the id up and compares the hashes in constant time. Verification uses an
/// in-memory copy of the table, reloaded at most once a second (and for an unknown id at most ten times a second),
/// so a `clawguard token revoke` run by another process takes effect within about a second.
public final class TokenStore: Sendable {
    let store: StateStore
    private let cache = Mutex<(loaded: ContinuousClock.Instant?, tokens: [String: TokenRecord])>((nil, [:]))
    private let reloadInterval: Duration

    public init(store: StateStore, reloadInterval: Duration = .seconds(1)) {
        self.store = store
        self.reloadInterval = reloadInterval
    }

    /// Creates a token.
    /// - Throws: `GatewayError(.badRequest)` for an unknown scope or an empty name; store errors.
    public func create(name: String, scopes: [Scope], expiresAt: Date? = nil, createdBy: String, now: Date = Date()) throws -> IssuedToken {
        guard !name.isEmpty, name.count <= 100 else { throw GatewayError(.badRequest, "a token needs a name of 1 to 100 characters") }
        guard !scopes.isEmpty else { throw GatewayError(.badRequest, "a token needs at least one scope (e.g. --scopes chat,sessions:read)") }
        for scope in scopes where !Scope.isValid(scope.name) {
            throw GatewayError(.badRequest, "unknown scope '\(scope.name)'; known: \(Scope.known.map(\.name).joined(separator: ", ")), skills:NAME")
        }
        if let expiresAt, expiresAt <= now { throw GatewayError(.badRequest, "the expiry \(expiresAt) is in the past") }
        let id = Self.randomHex(6)
        let token = "cgt_\(id)_\(Self.randomHex(32))"
        let record = TokenRecord(id: id, name: name, scopes: scopes, createdAt: now, expiresAt: expiresAt, revokedAt: nil,
                                 createdBy: createdBy, hash: Self.hash(token))
        try store.adapterWrite("creating a token") { db in
            try db.execute(sql: """
                INSERT INTO tokens(id, name, hash, scopes, created_at, expires_at, revoked_at, created_by)
                VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
                """, arguments: [id, name, record.hash, scopes.map(\.name).joined(separator: ","), now.timeIntervalSince1970,
                                 expiresAt?.timeIntervalSince1970, createdBy])
        }
        invalidate()
        return IssuedToken(record: record, token: token)
    }

    /// Every token, newest first.
    public func list() throws -> [TokenRecord] {
        try store.adapterRead("listing tokens") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM tokens ORDER BY created_at DESC").map(Self.record)
        }
    }

    /// The number of tokens (revoked ones included).
    public func count() throws -> Int {
        try store.adapterRead("counting tokens") { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tokens") ?? 0 }
    }

    /// Revokes a token by id or name. Returns whether one was revoked.
    @discardableResult
    public func revoke(_ idOrName: String, now: Date = Date()) throws -> Bool {
        let changed = try store.adapterWrite("revoking a token") { db in
            try db.execute(sql: "UPDATE tokens SET revoked_at = ? WHERE (id = ? OR name = ?) AND revoked_at IS NULL",
                           arguments: [now.timeIntervalSince1970, idOrName, idOrName])
            return db.changesCount
        }
        invalidate()
        return changed > 0
    }

    /// Verifies a presented token.
    /// - Returns: the token's record, or why it is refused.
    public func verify(_ presented: String, now: Date = Date()) -> Result<TokenRecord, TokenRejection> {
        let parts = presented.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "cgt", parts[1].count == 12, parts[2].count == 64 else { return .failure(.malformed) }
        let id = String(parts[1])
        guard let record = lookup(id) else { return .failure(.unknown) }
        guard Self.constantTimeEqual(Self.hash(presented), record.hash) else { return .failure(.unknown) }
        if record.revokedAt != nil { return .failure(.revoked) }
        if let expiresAt = record.expiresAt, expiresAt <= now { return .failure(.expired) }
        return .success(record)
    }

    /// Drops the in-memory copy (after a change).
    public func invalidate() {
        cache.withLock { $0.loaded = nil }
    }

    private func lookup(_ id: String) -> TokenRecord? {
        let now = ContinuousClock.now
        let (fresh, hit) = cache.withLock { state -> (Bool, TokenRecord?) in
            guard let loaded = state.loaded else { return (false, nil) }
            let age = loaded.duration(to: now)
            if let token = state.tokens[id] { return (age < reloadInterval, token) }
            // An id not in the copy may be a token created since (by the CLI): reload, at most 10 times a second.
            return (age < .milliseconds(100), nil)
        }
        if fresh { return hit }
        // Reload (a store error keeps the old copy but marks nothing as valid that was not).
        guard let all = try? list() else { return cache.withLock { $0.tokens[id] } }
        let table = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        cache.withLock { $0 = (now, table) }
        return table[id]
    }

    static func record(_ row: Row) -> TokenRecord {
        let scopes: String = row["scopes"]
        return TokenRecord(
            id: row["id"], name: row["name"], scopes: scopes.split(separator: ",").map { Scope(String($0)) },
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            expiresAt: (row["expires_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            revokedAt: (row["revoked_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            createdBy: row["created_by"], hash: row["hash"])
    }

    static func hash(_ token: String) -> String {
        // Lower-case hex by table: `String(format:)` per byte cost more than the hash on every request.
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(token.utf8)) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func randomHex(_ bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Compares two strings without stopping at the first difference.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

/// Opening the token table outside the server (`clawguard token …`).
public enum GatewayTokens {
    /// Applies the gateway's migrations and returns the token table.
    public static func open(_ store: StateStore) throws -> TokenStore {
        try GatewaySchema.migrate(store)
        return TokenStore(store: store)
    }
}
