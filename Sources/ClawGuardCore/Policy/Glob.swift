/// A precompiled wildcard pattern over UTF-8 bytes: the one matching primitive behind Bash rules
/// (`*` only) and path segments (`*`, `?`, `[...]`). No regular expressions, no allocation per match.
struct ByteGlob: Sendable, Hashable {
    /// A set of ASCII bytes, as a 128-bit bitmap.
    struct ByteSet: Sendable, Hashable {
        var low: UInt64 = 0
        var high: UInt64 = 0
        mutating func insert(_ byte: UInt8) {
            if byte < 64 { low |= 1 << UInt64(byte) } else if byte < 128 { high |= 1 << UInt64(byte - 64) }
        }
        func contains(_ byte: UInt8) -> Bool {
            if byte < 64 { return low & (1 << UInt64(byte)) != 0 }
            if byte < 128 { return high & (1 << UInt64(byte - 64)) != 0 }
            return false
        }
    }

    enum Token: Sendable, Hashable {
        case byte(UInt8)
        /// `?`: exactly one character (one UTF-8 scalar).
        case anyChar
        /// `[...]` / `[!...]`: one ASCII character in (or, negated, not in) the set.
        case set(ByteSet, negated: Bool)
        /// `*`: any run of bytes (within a segment for paths, anything for Bash).
        case star
    }

    let tokens: [Token]
    /// The literal bytes the pattern starts with (before its first wildcard): every match starts with them.
    var leadingBytes: [UInt8] {
        var bytes: [UInt8] = []
        for token in tokens {
            guard case .byte(let b) = token else { break }
            bytes.append(b)
        }
        return bytes
    }
    /// True when the pattern has no wildcard at all (matching is byte equality).
    let isLiteral: Bool
    /// The literal bytes when `isLiteral`.
    let literal: [UInt8]

    init(tokens: [Token]) {
        self.tokens = tokens
        var lit: [UInt8] = []
        var allLiteral = true
        for token in tokens {
            if case .byte(let b) = token { lit.append(b) } else { allLiteral = false }
        }
        self.isLiteral = allLiteral
        self.literal = allLiteral ? lit : []
    }

    /// Why a glob could not be compiled.
    struct SyntaxError: Error, Sendable, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Compiles a path-segment glob: `*`, `?`, `[abc]`, `[a-z]`, `[!x]`, and `\` escapes.
    static func pathSegment(_ text: Substring) throws(SyntaxError) -> ByteGlob {
        var tokens: [Token] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\\"):
                guard i + 1 < bytes.count else { throw SyntaxError(message: "a trailing '\\' escapes nothing") }
                tokens.append(.byte(bytes[i + 1]))
                i += 2
            case UInt8(ascii: "*"):
                if tokens.last != .star { tokens.append(.star) }
                i += 1
            case UInt8(ascii: "?"):
                tokens.append(.anyChar)
                i += 1
            case UInt8(ascii: "["):
                var j = i + 1
                var negated = false
                if j < bytes.count, bytes[j] == UInt8(ascii: "!") || bytes[j] == UInt8(ascii: "^") {
                    negated = true
                    j += 1
                }
                var set = ByteSet()
                var first = true
                var closed = false
                while j < bytes.count {
                    var c = bytes[j]
                    if c == UInt8(ascii: "]") && !first { closed = true; break }
                    first = false
                    if c == UInt8(ascii: "\\") && j + 1 < bytes.count { j += 1; c = bytes[j] }
                    guard c < 128 else { throw SyntaxError(message: "non-ASCII character in a [...] class") }
                    if j + 2 < bytes.count, bytes[j + 1] == UInt8(ascii: "-"), bytes[j + 2] != UInt8(ascii: "]") {
                        let hi = bytes[j + 2]
                        guard hi < 128, hi >= c else {
                            throw SyntaxError(message: "bad range in a [...] class")
                        }
                        for x in c...hi { set.insert(x) }
                        j += 3
                    } else {
                        set.insert(c)
                        j += 1
                    }
                }
                guard closed else { throw SyntaxError(message: "unclosed '[' in glob '\(text)'") }
                tokens.append(.set(set, negated: negated))
                i = j + 1
            default:
                tokens.append(.byte(b))
                i += 1
            }
        }
        return ByteGlob(tokens: tokens)
    }

    /// Compiles a Bash-rule pattern: only `*` is special; `\*` is a literal star, `\\` a backslash.
    static func bash(_ text: Substring) -> ByteGlob {
        var tokens: [Token] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\\"), i + 1 < bytes.count,
                bytes[i + 1] == UInt8(ascii: "*") || bytes[i + 1] == UInt8(ascii: "\\")
            {
                tokens.append(.byte(bytes[i + 1]))
                i += 2
            } else if b == UInt8(ascii: "*") {
                if tokens.last != .star { tokens.append(.star) }
                i += 1
            } else {
                tokens.append(.byte(b))
                i += 1
            }
        }
        return ByteGlob(tokens: tokens)
    }

    /// Matches the whole of `s` (no allocation; classic star-backtracking, O(n·m) worst case).
    func matches(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        if isLiteral {
            guard s.count == literal.count else { return false }
            return literal.withUnsafeBufferPointer { lit in
                for k in 0..<lit.count where lit[k] != s[k] { return false }
                return true
            }
        }
        let n = s.count
        let m = tokens.count
        var si = 0
        var ti = 0
        var starTi = -1
        var starSi = 0
        while si < n {
            if ti < m {
                switch tokens[ti] {
                case .star:
                    starTi = ti
                    starSi = si
                    ti += 1
                    continue
                case .byte(let b):
                    if s[si] == b { si += 1; ti += 1; continue }
                case .anyChar:
                    si += ByteGlob.scalarLength(s, si)
                    ti += 1
                    continue
                case .set(let set, let negated):
                    let c = s[si]
                    if c < 128, set.contains(c) != negated { si += 1; ti += 1; continue }
                    if c >= 128, negated { si += ByteGlob.scalarLength(s, si); ti += 1; continue }
                }
            }
            guard starTi >= 0 else { return false }
            ti = starTi + 1
            starSi += 1
            si = starSi
        }
        while ti < m, tokens[ti] == .star { ti += 1 }
        return ti == m
    }

    /// Matches a Swift string.
    func matches(_ string: String) -> Bool {
        var copy = string
        return copy.withUTF8 { matches($0) }
    }

    private static func scalarLength(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let b = s[i]
        let len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
        return min(len, s.count - i)
    }
}
