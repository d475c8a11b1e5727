import ClawGuardCore
import ClawGuardScanners
import Foundation

/// An event found in the agent's output, before it is numbered.
public struct ParsedEvent: Sendable, Hashable {
    public var kind: RunEvent.Kind
    public var data: JSONValue
    public init(_ kind: RunEvent.Kind, _ data: JSONValue) {
        self.kind = kind
        self.data = data
    }
}

/// Turns Claude Code's `--output-format stream-json` lines into run events. Every string that reaches an event is
/// redacted (credentials) and cut to `maxText` characters. Lines that are not JSON become `text` events of their
/// own (never dropped silently); unknown message types are ignored.
public struct StreamJSONParser: Sendable {
    public var redactor: Redactor
    public var maxText: Int

    public init(redactor: Redactor = Redactor(), maxText: Int = 4000) {
        self.redactor = redactor
        self.maxText = maxText
    }

    /// How one `type` of line maps to events: a table, so a new message type is one entry.
    static let handlers: [String: @Sendable (StreamJSONParser, [String: JSONValue]) -> [ParsedEvent]] = [
        "system": { p, o in p.system(o) },
        "assistant": { p, o in p.assistant(o) },
        "user": { p, o in p.user(o) },
        "result": { p, o in p.result(o) },
    ]

    /// The events of one output line.
    public func parse(line: String) -> [ParsedEvent] {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return [] }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(trimmed.utf8)),
              case .object(let object) = value else {
            return [ParsedEvent(.text, ["text": .string(clean(trimmed)), "raw": true])]
        }
        guard let type = object["type"]?.stringValue, let handler = Self.handlers[type] else { return [] }
        return handler(self, object)
    }

    /// Redacts and cuts a string.
    public func clean(_ s: String) -> String {
        let redacted = redactor.redact(s).text
        return redacted.count > maxText ? String(redacted.prefix(maxText)) + "…" : redacted
    }

    /// Redacts every string inside a JSON value.
    public func clean(_ v: JSONValue) -> JSONValue {
        switch v {
        case .string(let s): .string(clean(s))
        case .array(let a): .array(a.map(clean))
        case .object(let o): .object(o.mapValues(clean))
        default: v
        }
    }

    func system(_ o: [String: JSONValue]) -> [ParsedEvent] {
        switch o["subtype"]?.stringValue {
        case "init":
            return [ParsedEvent(.started, ["session": o["session_id"] ?? .null, "model": o["model"] ?? .null,
                                           "tools": o["tools"] ?? .null])]
        case "permission_denied":
            return [ParsedEvent(.denial, ["tool": o["tool_name"] ?? .null, "id": o["tool_use_id"] ?? .null,
                                          "reason": clean(o["message"] ?? .null), "source": "agent"])]
        default:
            return []
        }
    }

    func assistant(_ o: [String: JSONValue]) -> [ParsedEvent] {
        guard case .array(let content)? = o["message"]?["content"] else { return [] }
        return content.compactMap { block -> ParsedEvent? in
            switch block["type"]?.stringValue {
            case "text":
                return ParsedEvent(.text, ["text": .string(clean(block["text"]?.stringValue ?? ""))])
            case "tool_use":
                return ParsedEvent(.toolCall, ["id": block["id"] ?? .null, "tool": block["name"] ?? .null,
                                               "input": clean(block["input"] ?? .null)])
            default:
                return nil
            }
        }
    }

    func user(_ o: [String: JSONValue]) -> [ParsedEvent] {
        guard case .array(let content)? = o["message"]?["content"] else { return [] }
        return content.compactMap { block -> ParsedEvent? in
            guard block["type"]?.stringValue == "tool_result" else { return nil }
            return ParsedEvent(.toolResult, ["id": block["tool_use_id"] ?? .null, "is_error": block["is_error"] ?? false,
                                             "output": .string(clean(Self.text(of: block["content"])))])
        }
    }

    func result(_ o: [String: JSONValue]) -> [ParsedEvent] {
        var events: [ParsedEvent] = []
        if case .array(let denials)? = o["permission_denials"] {
            for d in denials {
                events.append(ParsedEvent(.denial, ["tool": d["tool_name"] ?? .null, "id": d["tool_use_id"] ?? .null,
                                                    "input": clean(d["tool_input"] ?? .null), "source": "result"]))
            }
        }
        if case .number(let usd)? = o["total_cost_usd"] {
            events.append(ParsedEvent(.cost, ["usd": .number(usd), "source": "agent"]))
        }
        var resultText = o["result"]?.stringValue ?? ""
        if resultText.isEmpty, case .array(let errors)? = o["errors"] {
            resultText = errors.compactMap(\.stringValue).joined(separator: "; ")
        }
        events.append(ParsedEvent(.result, [
            "subtype": o["subtype"] ?? .null, "is_error": o["is_error"] ?? false, "result": .string(clean(resultText)),
            "cost_usd": o["total_cost_usd"] ?? .null, "turns": o["num_turns"] ?? .null,
            "terminal_reason": o["terminal_reason"] ?? .null,
        ]))
        return events
    }

    /// The text of a tool result's `content` (a string, or a list of text blocks).
    static func text(of content: JSONValue?) -> String {
        switch content {
        case .string(let s)?: return s
        case .array(let parts)?: return parts.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        default: return ""
        }
    }
}
