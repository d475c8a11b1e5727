import Foundation

/// The `clawguard check --jsonl` input object — `{"tool","input","cwd"}` or a Claude Code hook payload
/// (`tool_name`, `tool_input`, `cwd`) — shared by `check --jsonl` and the gateway's `POST /v1/decide`.
public enum ToolCallInput {
    /// The largest input line or body accepted.
    public static let maxBytes = 4 << 20

    /// Parses one JSON text.
    /// - Returns: the call, or an `.invalidInput` / `.limitExceeded` error whose message says what is wrong.
    public static func parse(_ line: String, defaultCwd: String) -> Result<ToolCall, ClawGuardError> {
        if line.utf8.count > maxBytes {
            return .failure(ClawGuardError(.limitExceeded, "line is \(line.utf8.count) bytes, over the limit of \(maxBytes)"))
        }
        guard let data = line.data(using: .utf8), let value = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            return .failure(ClawGuardError(.invalidInput, "not valid JSON"))
        }
        return parse(value, defaultCwd: defaultCwd)
    }

    /// Reads a call from an already decoded JSON value.
    public static func parse(_ value: JSONValue, defaultCwd: String) -> Result<ToolCall, ClawGuardError> {
        guard case .object = value else { return .failure(ClawGuardError(.invalidInput, "not a JSON object")) }
        guard let tool = (value["tool"] ?? value["tool_name"])?.stringValue, !tool.isEmpty else {
            return .failure(ClawGuardError(.invalidInput, "missing \"tool\" (or \"tool_name\")"))
        }
        guard let input = value["input"] ?? value["tool_input"], case .object = input else {
            return .failure(ClawGuardError(.invalidInput, "missing \"input\" (or \"tool_input\") object"))
        }
        var cwd = defaultCwd
        if let given = value["cwd"] {
            guard let text = given.stringValue, text.hasPrefix("/") else {
                return .failure(ClawGuardError(.invalidInput, "\"cwd\" must be an absolute path"))
            }
            cwd = text
        }
        return .success(ToolCall(tool: tool, input: input, cwd: cwd))
    }
}
