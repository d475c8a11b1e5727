/// A set of bytes (a character class over UTF-8 code units), stored as a 256-bit bitmap.
package struct ByteSet: Sendable, Hashable {
    private var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

    package init() {}

    package init(_ chars: String) {
        for b in chars.utf8 { insert(b) }
    }

    /// Parses a class body like `A-Za-z0-9_-` (ranges, single bytes, `\` escapes).
    package init(classBody: [UInt8]) {
        var i = 0
        while i < classBody.count {
            var c = classBody[i]
            if c == UInt8(ascii: "\\"), i + 1 < classBody.count {
                i += 1
                c = classBody[i]
                if c == UInt8(ascii: "s") {          // \s: ASCII whitespace
                    for w in " \t\r\n\u{0B}\u{0C}".utf8 { insert(w) }
                    i += 1
                    continue
                }
            }
            if i + 2 < classBody.count, classBody[i + 1] == UInt8(ascii: "-") {
                let hi = classBody[i + 2]
                if hi >= c {
                    for x in c...hi { insert(x) }
                    i += 3
                    continue
                }
            }
            insert(c)
            i += 1
        }
    }

    @inline(__always)
    package func contains(_ b: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: return w0 & bit != 0
        case 1: return w1 & bit != 0
        case 2: return w2 & bit != 0
        default: return w3 & bit != 0
        }
    }

    package mutating func insert(_ b: UInt8) {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: w0 |= bit
        case 1: w1 |= bit
        case 2: w2 |= bit
        default: w3 |= bit
        }
    }

    package var inverted: ByteSet {
        var s = ByteSet()
        s.w0 = ~w0; s.w1 = ~w1; s.w2 = ~w2; s.w3 = ~w3
        return s
    }

    package static let alnum = ByteSet(classBody: Array("A-Za-z0-9".utf8))
    package static let hex = ByteSet(classBody: Array("a-fA-F0-9".utf8))
    package static let digits = ByteSet(classBody: Array("0-9".utf8))
    package static let alpha_ = ByteSet(classBody: Array("A-Za-z_".utf8))
    package static let whitespace = ByteSet(" \t\r\n\u{0B}\u{0C}")
    /// Characters of identifiers and dotted / dashed names (`DB_PASSWORD`, `aws.secret-key`).
    package static let identifier = ByteSet(classBody: Array("A-Za-z0-9_.\\-".utf8))
}

/// Naive substring test over bytes; for the short needles of the filter tables (no allocation, no hashing).
@inline(__always)
package func bytesContain<H: RandomAccessCollection, N: RandomAccessCollection>(_ hay: H, _ needle: N) -> Bool
where H.Element == UInt8, N.Element == UInt8, H.Index == Int, N.Index == Int {
    let n = needle.count
    guard n > 0 else { return true }
    guard hay.count >= n else { return false }
    let first = needle[needle.startIndex]
    var i = hay.startIndex
    let last = hay.endIndex - n
    while i <= last {
        if hay[i] == first {
            var k = 1
            while k < n, hay[i + k] == needle[needle.startIndex + k] { k += 1 }
            if k == n { return true }
        }
        i += 1
    }
    return false
}

/// ASCII-lowercased copy of bytes.
@inline(__always)
package func asciiLowercased<C: Sequence>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
    bytes.map { ($0 >= 65 && $0 <= 90) ? $0 | 0x20 : $0 }
}
