import ClawGuardCore
import Foundation
import GRDB
import TOMLKit
import Yams

extension ConfigParser {
    /// TOML through TOMLKit (toml++), converted to JSON text and decoded as a `JSONValue`.
    package static func toml(_ text: String) throws -> JSONValue {
        let table = try TOMLTable(string: text)
        return try json5(Data(table.convert(to: .json).utf8))
    }

    /// YAML through Yams, read generically.
    package static func yaml(_ text: String) throws -> JSONValue {
        guard let loaded = try Yams.load(yaml: text) else { return .null }
        return try convert(loaded, depth: 0)
    }

    private static func convert(_ any: Any, depth: Int) throws -> JSONValue {
        guard depth < 64 else { throw ClawGuardError(.limitExceeded, "YAML nested deeper than 64 levels") }
        switch any {
        case let value as Bool: return .bool(value)
        case let value as Int: return .number(Double(value))
        case let value as Double: return .number(value)
        case let value as String: return .string(value)
        case let value as [Any]: return .array(try value.map { try convert($0, depth: depth + 1) })
        case let value as [String: Any]:
            return .object(try value.mapValues { try convert($0, depth: depth + 1) })
        case let value as [AnyHashable: Any]:
            var object: [String: JSONValue] = [:]
            for (key, item) in value { object["\(key)"] = try convert(item, depth: depth + 1) }
            return .object(object)
        case is NSNull: return .null
        default: return .string("\(any)")
        }
    }
}

/// Reads the `exec_approvals_config` row of OpenClaw's `state/openclaw.sqlite`, read-only.
public enum SQLiteExecApprovals {
    /// The `raw_json` of the row (the same shape as `exec-approvals.json`), or nil when there is no such table or row.
    public static func read(_ databasePath: String) throws -> String? {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: databasePath, configuration: configuration)
        return try queue.read { db in
            guard try db.tableExists("exec_approvals_config") else { return nil }
            return try String.fetchOne(db, sql: "SELECT raw_json FROM exec_approvals_config ORDER BY updated_at_ms DESC LIMIT 1")
        }
    }
}
