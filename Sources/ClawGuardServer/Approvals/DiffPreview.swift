import ClawGuardCore
import Foundation

/// A unified-style preview of what an Edit, Write or MultiEdit would change, for the person approving it.
/// Bounded: at most `maxLines` lines.
public enum DiffPreview {
    static let maxLines = 200
    static let maxFileBytes = 1 << 20

    /// The preview for a tool call, or nil for tools that do not edit files.
    public static func preview(tool: String, input: JSONValue) -> String? {
        guard let path = input["file_path"]?.stringValue else { return nil }
        var lines = ["--- \(path)", "+++ \(path)"]
        switch tool {
        case "Edit":
            lines += hunk(old: input["old_string"]?.stringValue ?? "", new: input["new_string"]?.stringValue ?? "")
        case "MultiEdit":
            guard case .array(let edits)? = input["edits"] else { return nil }
            for edit in edits {
                lines += hunk(old: edit["old_string"]?.stringValue ?? "", new: edit["new_string"]?.stringValue ?? "")
            }
        case "Write":
            let new = input["content"]?.stringValue ?? ""
            let old = existing(path) ?? ""
            lines += hunk(old: old, new: new)
        default:
            return nil
        }
        if lines.count > maxLines { lines = Array(lines.prefix(maxLines)) + ["… (\(lines.count - maxLines) more lines)"] }
        return lines.joined(separator: "\n")
    }

    /// The lines that differ, after the common leading and trailing lines are dropped.
    static func hunk(old: String, new: String) -> [String] {
        let a = old.isEmpty ? [] : old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.isEmpty ? [] : new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let removed = a[prefix..<(a.count - suffix)].map { "-" + $0 }
        let added = b[prefix..<(b.count - suffix)].map { "+" + $0 }
        return ["@@ line \(prefix + 1) @@"] + removed + added
    }

    static func existing(_ path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              (attributes[.size] as? Int ?? 0) <= maxFileBytes else { return nil }
        return try? String(contentsOfFile: path, encoding: .utf8)
    }
}
