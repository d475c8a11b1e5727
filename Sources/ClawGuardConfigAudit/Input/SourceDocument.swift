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

    /// The line of the deepest key of the path found, and whether every key was found. JSON/JSON5 text is
    /// scanned structurally (strings, comments and nesting depth respected); other text (TOML, YAML, unit
    /// files) by ordered key search.
    package static func locate(_ keyPath: [String], in text: String) -> (line: Int, complete: Bool)? {
        let utf8 = Array(text.utf8)
        if JSONScanner.looksLikeJSON(utf8) {
            guard let hit = JSONScanner.locate(keyPath, in: utf8) else { return nil }
            return (utf8[0..<hit.offset].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }, hit.complete)
        }
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
                guard let next = find(key: key, in: utf8, from: position) else {
                    hit = nil
                    break
                }
                hit = next
                position = next + 1
            }
            repeats = 1
            guard let hit else {
                complete = false
                break
            }
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
                let quoted =
                    ((before == UInt8(ascii: "\"") && after == UInt8(ascii: "\""))
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

/// A structural scan of JSON/JSON5 text for the position of a key path: keys are matched only at the nesting
/// depth their path implies and inside their parent's object.
package enum JSONScanner {
    static func looksLikeJSON(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): i += 1
            case UInt8(ascii: "/")
            where i + 1 < bytes.count && (bytes[i + 1] == UInt8(ascii: "/") || bytes[i + 1] == UInt8(ascii: "*")):
                i = skipComment(bytes, i)
            case UInt8(ascii: "{"): return true
            default: return false
            }
        }
        return false
    }

    static func locate(_ keyPath: [String], in bytes: [UInt8]) -> (offset: Int, complete: Bool)? {
        var position = 0
        var depth = 0
        var wanted = 1
        var occurrence = 1
        var found: Int?
        for key in keyPath {
            if let index = Int(key) {
                occurrence = index + 1
                wanted += 1
                continue
            }
            guard let hit = find(key, in: bytes, from: position, depth: depth, wanted: wanted, occurrence: occurrence)
            else { return found.map { ($0, false) } }
            found = hit.offset
            position = hit.resume
            depth = wanted
            wanted += 1
            occurrence = 1
        }
        return found.map { ($0, true) }
    }

    /// The `occurrence`-th key `key` at nesting depth `wanted`, scanning from `start` (where the depth is
    /// `depth`) and stopping when the enclosing object closes.
    private static func find(
        _ key: String, in bytes: [UInt8], from start: Int, depth startDepth: Int, wanted: Int, occurrence: Int
    ) -> (offset: Int, resume: Int)? {
        let needle = Array(key.utf8)
        var depth = startDepth
        var entered = false
        var count = 0
        var i = start
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > startDepth { entered = true }
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                // The parent's value closed: the key is not inside it.
                if (entered && depth <= startDepth) || depth < startDepth { return nil }
                i += 1
            case UInt8(ascii: "/")
            where i + 1 < bytes.count && (bytes[i + 1] == UInt8(ascii: "/") || bytes[i + 1] == UInt8(ascii: "*")):
                i = skipComment(bytes, i)
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                let end = skipString(bytes, i)
                if depth == wanted && end - i - 2 == needle.count && Array(bytes[(i + 1)..<(end - 1)]) == needle
                    && isKey(bytes, end)
                {
                    count += 1
                    if count == occurrence { return (i, end) }
                }
                i = end
            default:
                if isIdentifierByte(byte) {
                    var end = i
                    while end < bytes.count && isIdentifierByte(bytes[end]) { end += 1 }
                    if depth == wanted && Array(bytes[i..<end]) == needle && isKey(bytes, end) {
                        count += 1
                        if count == occurrence { return (i, end) }
                    }
                    i = end
                } else {
                    i += 1
                }
            }
        }
        return nil
    }

    private static func isKey(_ bytes: [UInt8], _ index: Int) -> Bool {
        var j = index
        while j < bytes.count {
            switch bytes[j] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): j += 1
            case UInt8(ascii: ":"): return true
            default: return false
            }
        }
        return false
    }

    private static func skipString(_ bytes: [UInt8], _ start: Int) -> Int {
        let quote = bytes[start]
        var i = start + 1
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\") {
                i += 2
                continue
            }
            if bytes[i] == quote { return i + 1 }
            i += 1
        }
        return bytes.count
    }

    private static func skipComment(_ bytes: [UInt8], _ start: Int) -> Int {
        if bytes[start + 1] == UInt8(ascii: "/") {
            var i = start + 2
            while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { i += 1 }
            return i
        }
        var i = start + 2
        while i + 1 < bytes.count && !(bytes[i] == UInt8(ascii: "*") && bytes[i + 1] == UInt8(ascii: "/")) { i += 1 }
        return min(i + 2, bytes.count)
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte >= 0x80
    }
}
