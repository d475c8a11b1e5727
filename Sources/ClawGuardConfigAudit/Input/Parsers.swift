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

    /// Nodes a YAML document may expand to (aliases included) before it is refused.
    package static let maxYAMLNodes = 100_000

    /// YAML through Yams, read generically. The document is composed (aliases shared, linear in the text) and
    /// converted with a node budget, so an alias bomb ("billion laughs") is refused instead of expanded.
    package static func yaml(_ text: String) throws -> JSONValue {
        guard let root = try Yams.compose(yaml: text) else { return .null }
        var budget = maxYAMLNodes
        return try convert(root, depth: 0, budget: &budget)
    }

    private static func convert(_ node: Node, depth: Int, budget: inout Int) throws -> JSONValue {
        budget -= 1
        guard budget >= 0 else {
            throw ClawGuardError(
                .limitExceeded, "YAML document too large (over \(maxYAMLNodes) nodes after alias expansion)")
        }
        guard depth < 64 else { throw ClawGuardError(.limitExceeded, "YAML nested deeper than 64 levels") }
        switch node {
        case .scalar:
            switch node.any {
            case let value as Bool: return .bool(value)
            case let value as Int: return .number(Double(value))
            case let value as Double: return .number(value)
            case is NSNull: return .null
            case let value as String: return .string(value)
            default: return .string(node.string ?? "")
            }
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for child in sequence { items.append(try convert(child, depth: depth + 1, budget: &budget)) }
            return .array(items)
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping {
                object[key.string ?? "\(key.any)"] = try convert(value, depth: depth + 1, budget: &budget)
            }
            return .object(object)
        case .alias:
            throw ClawGuardError(.parseError, "unresolved YAML alias")
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
            return try String.fetchOne(
                db, sql: "SELECT raw_json FROM exec_approvals_config ORDER BY updated_at_ms DESC LIMIT 1")
        }
    }
}
