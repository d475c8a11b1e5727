import ClawGuardCore
import Foundation

/// One configuration file the audit read: where it is, its text and its parsed value.
public struct SourceDocument: Sendable {
    public var path: String
    public var text: String
    public var value: JSONValue

    public init(path: String, text: String, value: JSONValue) {
        self.path = path
        self.text = text
        self.value = value
    }

    /// The 1-based line where the key path is written, found by a best-effort search of the source text
    /// (JSON5 and TOML parsers report no positions): each key is searched for, quoted or bare, after the
    /// position of its parent key. Returns the line of the deepest key found, or nil.
    public func line(of keyPath: [String]) -> Int? {
        LineLocator.locate(keyPath, in: text)?.line
    }

    /// The line of the full key path, or nil when some key of the path is not found.
    public func exactLine(of keyPath: [String]) -> Int? {
        guard let hit = LineLocator.locate(keyPath, in: text), hit.complete else { return nil }
        return hit.line
    }

    public func line(of dotted: String) -> Int? { line(of: dotted.split(separator: ".").map(String.init)) }
}

package enum LineLocator {
    package static func line(of keyPath: [String], in text: String) -> Int? { locate(keyPath, in: text)?.line }

    /// The line of the deepest key of the path found, and whether every key was found.
    package static func locate(_ keyPath: [String], in text: String) -> (line: Int, complete: Bool)? {
        let utf8 = Array(text.utf8)
        var position = 0
        var found: Int?
        var complete = true
        var repeats = 1
        for key in keyPath {
            // Array indices are not written in the text: the element's next key is taken at its (index+1)th
            // occurrence after the array's key.
            if let index = Int(key) {
                repeats = index + 1
                continue
            }
            var hit: Int?
            for _ in 0..<repeats {
                guard let next = find(key: key, in: utf8, from: position) else { hit = nil; break }
                hit = next
                position = next + 1
            }
            repeats = 1
            guard let hit else { complete = false; break }
            found = hit
        }
        guard let offset = found else { return nil }
        return (utf8[0..<offset].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }, complete)
    }

    /// Offset of the first occurrence of `key` written as a key (`"key"`, `'key'`, bare `key` followed by `:`
    /// or `=`, or a TOML table header `[key]` / `[a.key]`) at or after `start`.
    private static func find(key: String, in bytes: [UInt8], from start: Int) -> Int? {
        let needle = Array(key.utf8)
        guard !needle.isEmpty, needle.count <= bytes.count else { return nil }
        var i = start
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle {
                let before = i > 0 ? bytes[i - 1] : UInt8(ascii: "\n")
                let afterIndex = i + needle.count
                let after = afterIndex < bytes.count ? bytes[afterIndex] : UInt8(ascii: "\n")
                let quoted = ((before == UInt8(ascii: "\"") && after == UInt8(ascii: "\""))
                    || (before == UInt8(ascii: "'") && after == UInt8(ascii: "'")))
                    && followedByAssignment(bytes, afterIndex + 1)
                let bareBoundary = !isIdentifier(before) && !isIdentifier(after)
                if quoted || (bareBoundary && followedByAssignment(bytes, afterIndex)) {
                    return i
                }
            }
            i += 1
        }
        return nil
    }

    private static func followedByAssignment(_ bytes: [UInt8], _ index: Int) -> Bool {
        var j = index
        while j < bytes.count && (bytes[j] == UInt8(ascii: " ") || bytes[j] == UInt8(ascii: "\t")) { j += 1 }
        guard j < bytes.count else { return false }
        return bytes[j] == UInt8(ascii: ":") || bytes[j] == UInt8(ascii: "=") || bytes[j] == UInt8(ascii: "]")
            || bytes[j] == UInt8(ascii: ".")
    }

    private static func isIdentifier(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "$")
    }
}

/// An input that exists but could not be read or parsed: reported as a finding, never silently passed.
public struct ReadProblem: Sendable, Hashable {
    public var kind: String
    public var path: String
    public var message: String
}
