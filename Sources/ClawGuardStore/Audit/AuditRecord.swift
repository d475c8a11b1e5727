import ClawGuardCore
import Crypto
import Foundation
import GRDB

/// An event to append to the audit trail (before it has a place in the chain).
public struct AuditEvent: Sendable, Hashable {
    public var type: AuditEventType
    public var session: String?
    public var agent: String?
    public var user: String?
    public var tool: String?
    public var decision: Decision?
    public var rule: String?
    public var reason: String?
    /// Event-specific fields (see `AuditEventType.fields`).
    public var details: [String: JSONValue]

    public init(_ type: AuditEventType, session: String? = nil, agent: String? = nil, user: String? = nil,
                tool: String? = nil, decision: Decision? = nil, rule: String? = nil, reason: String? = nil,
                details: [String: JSONValue] = [:]) {
        self.type = type
        self.session = session
        self.agent = agent
        self.user = user
        self.tool = tool
        self.decision = decision
        self.rule = rule
        self.reason = reason
        self.details = details
    }
}

/// One record of the audit trail as stored: the event, its place in the chain and its hash.
///
/// `hash` = SHA-256 (lowercase hex) of the canonical JSON (`CanonicalJSON`) of every other field
/// (`agent`, `decision`, `details`, `prev_hash`, `reason`, `rule`, `seq`, `session`, `time`, `tool`, `type`,
/// `user`; absent values as `null`). `prev_hash` is the previous record's hash, 64 zeros for the first.
public struct AuditRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "audit_log"

    public var seq: Int64
    /// UTC, ISO 8601 with milliseconds.
    public var time: String
    public var type: String
    public var session: String?
    public var agent: String?
    public var user: String?
    public var tool: String?
    public var decision: String?
    public var rule: String?
    public var reason: String?
    /// Canonical JSON of the details object.
    public var details: String
    public var prevHash: String
    public var hash: String

    enum CodingKeys: String, CodingKey {
        case seq, time, type, session, agent, user, tool, decision, rule, reason, details
        case prevHash = "prev_hash"
        case hash
    }

    /// Inserts the record with one prepared statement: the same row `insert(db)` writes (the `CodingKeys` columns),
    /// without GRDB's Codable encoding and primary-key introspection (≈ 6 % of a hook's run).
    func insertRow(_ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO audit_log (seq, time, type, session, agent, user, tool, decision, rule, reason, details, \
            prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try statement.execute(arguments: [seq, time, type, session, agent, user, tool, decision, rule, reason, details,
                                          prevHash, hash])
    }

    /// 64 zeros: the `prev_hash` of the first record ever.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The canonical text the hash covers.
    public var canonicalText: String {
        func s(_ v: String?) -> String {
            guard let v else { return "null" }
            var out = ""
            CanonicalJSON.string(v, into: &out)
            return out
        }
        // Keys in sorted order; `details` is stored canonical already and embedded as is.
        return "{\"agent\":\(s(agent)),\"decision\":\(s(decision)),\"details\":\(details),\"prev_hash\":\(s(prevHash)),"
            + "\"reason\":\(s(reason)),\"rule\":\(s(rule)),\"seq\":\(seq),\"session\":\(s(session)),\"time\":\(s(time)),"
            + "\"tool\":\(s(tool)),\"type\":\(s(type)),\"user\":\(s(user))}"
    }

    /// The hash this record should have.
    public var computedHash: String { Self.sha256Hex(Data(canonicalText.utf8)) }

    static func sha256Hex(_ data: Data) -> String {
        // Lower-case hex by table (`String(format: "%02x")` set up Foundation's formatter on every hook).
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: data) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The record as one JSON object (the `log export` line): details parsed back into an object.
    public var jsonObject: JSONValue {
        func s(_ v: String?) -> JSONValue { v.map(JSONValue.string) ?? .null }
        let detailsValue = (try? JSONDecoder().decode(JSONValue.self, from: Data(details.utf8))) ?? .string(details)
        return .object([
            "seq": .number(Double(seq)), "time": .string(time), "type": .string(type), "session": s(session),
            "agent": s(agent), "user": s(user), "tool": s(tool), "decision": s(decision), "rule": s(rule),
            "reason": s(reason), "details": detailsValue, "prev_hash": .string(prevHash), "hash": .string(hash),
        ])
    }
}

/// A signed statement "the chain up to `seq` ends in `hash`", written every N records and at every prune.
/// A prune checkpoint also carries the cut: `cutSeq`/`cutHash` of the last removed record, which becomes the
/// anchor the first remaining record's `prev_hash` must match.
///
/// The signature is Ed25519 over the canonical JSON of `{cut_hash, cut_seq, hash, key_id, kind, seq, time}`.
public struct AuditCheckpoint: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "audit_checkpoint"

    public var id: Int64?
    public var time: String
    /// `periodic` or `prune`.
    public var kind: String
    public var seq: Int64
    public var hash: String
    public var cutSeq: Int64?
    public var cutHash: String?
    /// First 16 hex digits of SHA-256 of the raw public key.
    public var keyID: String
    /// Base64 Ed25519 signature.
    public var signature: String

    enum CodingKeys: String, CodingKey {
        case id, time, kind, seq, hash
        case cutSeq = "cut_seq"
        case cutHash = "cut_hash"
        case keyID = "key_id"
        case signature
    }

    /// The canonical text the signature covers.
    public var signedText: String {
        var members: [String: JSONValue] = [
            "time": .string(time), "kind": .string(kind), "seq": .number(Double(seq)), "hash": .string(hash),
            "key_id": .string(keyID), "cut_seq": .null, "cut_hash": .null,
        ]
        if let cutSeq { members["cut_seq"] = .number(Double(cutSeq)) }
        if let cutHash { members["cut_hash"] = .string(cutHash) }
        return CanonicalJSON.encode(.object(members))
    }
}
