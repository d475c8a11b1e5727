import ClawGuardCore
import Foundation

extension JSONValue {
    /// The value at a dotted key path (`"gateway.auth.mode"`), or nil when any step is missing.
    package func at(_ path: String) -> JSONValue? {
        at(path.split(separator: ".").map(String.init))
    }

    /// The value at a key path, or nil when any step is missing.
    package func at(_ keys: [String]) -> JSONValue? {
        var current: JSONValue? = self
        for key in keys {
            guard let next = current?[key] else { return nil }
            current = next
        }
        return current
    }

    package var objectValue: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }

    package var arrayValue: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    package var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    package var numberValue: Double? {
        switch self {
        case .number(let value): value
        case .string(let text): Double(text)
        default: nil
        }
    }

    /// Strings of an array (non-strings dropped; numbers rendered), or a single string as a one-element list.
    package var stringList: [String] {
        switch self {
        case .array(let items):
            items.compactMap {
                switch $0 {
                case .string(let text): text
                case .number(let number): number == number.rounded() ? String(Int(number)) : String(number)
                default: nil
                }
            }
        case .string(let text): [text]
        default: []
        }
    }

    /// A short rendering for finding details.
    package var brief: String {
        switch self {
        case .null: "null"
        case .bool(let value): String(value)
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .string(let text): "\"\(text)\""
        case .array(let items):
            "[" + items.prefix(6).map(\.brief).joined(separator: ", ") + (items.count > 6 ? ", …]" : "]")
        case .object: "{…}"
        }
    }

    /// Walk every (key path, value) pair, depth-first, bounded by `maxDepth`.
    package func walk(maxDepth: Int = 64, _ visit: ([String], JSONValue) -> Void) {
        func go(_ value: JSONValue, _ path: [String], _ depth: Int) {
            visit(path, value)
            guard depth < maxDepth else { return }
            switch value {
            case .object(let object):
                for key in object.keys.sorted() { go(object[key]!, path + [key], depth + 1) }
            case .array(let items):
                for (index, item) in items.enumerated() { go(item, path + ["\(index)"], depth + 1) }
            default: break
            }
        }
        go(self, [], 0)
    }
}

/// Parsing of configuration text through maintained parsers only.
package enum ConfigParser {
    /// JSON5 (and plain JSON) through Foundation's `JSONDecoder` with `allowsJSON5`.
    package static func json5(_ data: Data) throws -> JSONValue {
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        return try decoder.decode(JSONValue.self, from: data)
    }
}
