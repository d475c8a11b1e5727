/// A tiny, linear-time pattern language for credential shapes: a sequence of literals and character-class runs.
///
/// Syntax: literal bytes (`\` escapes the next byte), and classes `[A-Za-z0-9_-]` / negated `[^ "']` followed by
/// an optional count `{n}`, `{m,n}`, `{m,}` or `+` (= `{1,}`) or `?` (= `{0,1}`). No alternation, no groups.
///
/// Matching is greedy with no backtracking: each run takes as many bytes of its class as it may (up to its maximum)
/// and fails if it got fewer than its minimum. Patterns in the credential table are written so that a run's class
/// never contains the byte that follows it, which makes greedy matching exact. Cost is bounded by the sum of the
/// run maxima, independent of the input, so hostile input cannot make it slow.
package struct TokenPattern: Sendable, Hashable {
    package enum Piece: Sendable, Hashable {
        case literal([UInt8])
        case run(ByteSet, min: Int, max: Int)
    }

    package let pieces: [Piece]
    package let source: String
    /// Runs without an explicit upper bound stop here.
    package static let unboundedMax = 4096

    /// The leading literal (used as the prefilter keyword), or empty when the pattern starts with a class.
    package var leadingLiteral: [UInt8] {
        if case .literal(let l)? = pieces.first { return l }
        return []
    }

    /// `TokenPattern(source).leadingLiteral` without building the pattern (the keyword gate needs only this).
    package static func leadingLiteral(of source: String) -> [UInt8] {
        var literal: [UInt8] = []
        var it = source.utf8.makeIterator()
        var pending = it.next()
        while let c = pending {
            let next = it.next()
            if c == UInt8(ascii: "\\"), let escaped = next {
                literal.append(escaped)
                pending = it.next()
                continue
            }
            if c == UInt8(ascii: "[") { return literal }
            if c == UInt8(ascii: "{"), let d = next, d >= 48, d <= 57, !literal.isEmpty {
                literal.removeLast()  // a count applies to the byte before it, which starts a run
                return literal
            }
            literal.append(c)
            pending = next
        }
        return literal
    }

    /// The class of the final run (used for the right-boundary check), if the pattern ends with a run.
    package var trailingClass: ByteSet? {
        if case .run(let set, _, _)? = pieces.last { return set }
        return nil
    }

    package init(_ source: String) {
        self.source = source
        let s = Array(source.utf8)
        var pieces: [Piece] = []
        var lit: [UInt8] = []
        var i = 0
        func flush() { if !lit.isEmpty { pieces.append(.literal(lit)); lit = [] } }
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: "\\"), i + 1 < s.count {
                lit.append(s[i + 1]); i += 2; continue
            }
            if c == UInt8(ascii: "[") {
                flush()
                var j = i + 1
                var negate = false
                if j < s.count, s[j] == UInt8(ascii: "^") { negate = true; j += 1 }
                var body: [UInt8] = []
                while j < s.count, s[j] != UInt8(ascii: "]") {
                    if s[j] == UInt8(ascii: "\\"), j + 1 < s.count { body.append(s[j]); j += 1 }
                    body.append(s[j]); j += 1
                }
                precondition(j < s.count, "unterminated class in pattern \(source)")
                var set = ByteSet(classBody: body)
                if negate { set = set.inverted }
                i = j + 1
                var lo = 1, hi = 1
                if i < s.count, s[i] == UInt8(ascii: "+") { hi = TokenPattern.unboundedMax; i += 1 }
                else if i < s.count, s[i] == UInt8(ascii: "?") { lo = 0; i += 1 }
                else if i < s.count, s[i] == UInt8(ascii: "*") { lo = 0; hi = TokenPattern.unboundedMax; i += 1 }
                else if i < s.count, s[i] == UInt8(ascii: "{") {
                    var k = i + 1
                    var a = 0, b = -1, sawComma = false, digitsAfterComma = false
                    while k < s.count, s[k] != UInt8(ascii: "}") {
                        if s[k] == UInt8(ascii: ",") { sawComma = true; b = 0 }
                        else if sawComma { b = b * 10 + Int(s[k] - 48); digitsAfterComma = true }
                        else { a = a * 10 + Int(s[k] - 48) }
                        k += 1
                    }
                    precondition(k < s.count, "unterminated count in pattern \(source)")
                    lo = a
                    hi = !sawComma ? a : (digitsAfterComma ? b : TokenPattern.unboundedMax)
                    i = k + 1
                }
                pieces.append(.run(set, min: lo, max: hi))
                continue
            }
            // A count after a literal byte applies to that byte: "={0,2}".
            if c == UInt8(ascii: "{"), i + 1 < s.count, s[i + 1] >= 48, s[i + 1] <= 57, let last = lit.popLast() {
                flush()
                var k = i + 1
                var a = 0, b = -1, sawComma = false
                while k < s.count, s[k] != UInt8(ascii: "}") {
                    if s[k] == UInt8(ascii: ",") { sawComma = true; b = 0 }
                    else if sawComma { b = b * 10 + Int(s[k] - 48) }
                    else { a = a * 10 + Int(s[k] - 48) }
                    k += 1
                }
                precondition(k < s.count, "unterminated count in pattern \(source)")
                var one = ByteSet()
                one.insert(last)
                pieces.append(.run(one, min: a, max: !sawComma ? a : (b > 0 ? b : TokenPattern.unboundedMax)))
                i = k + 1
                continue
            }
            lit.append(c); i += 1
        }
        flush()
        self.pieces = pieces
    }

    /// Matches at `start`; returns the end offset (exclusive) or nil. Literals compare exactly (case-sensitive).
    /// When the final run stopped at its maximum and the next byte would still belong to it, the token is longer
    /// than the format allows and the match fails (`wrong length` is not the credential).
    @inline(__always)
    package func match(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var p = start
        let n = b.count
        for (idx, piece) in pieces.enumerated() {
            switch piece {
            case .literal(let l):
                if p + l.count > n { return nil }
                for (k, x) in l.enumerated() where b[p + k] != x { return nil }
                p += l.count
            case .run(let set, let lo, let hi):
                var q = p
                let limit = min(n, p + hi)
                while q < limit, set.contains(b[q]) { q += 1 }
                if q - p < lo { return nil }
                if idx == pieces.count - 1, q - p == hi, q < n, set.contains(b[q]) { return nil }
                p = q
            }
        }
        return p
    }
}
