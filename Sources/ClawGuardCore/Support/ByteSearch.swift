/// Substring search on UTF-8 bytes for the hot path. `String.contains(String)` goes through the generic
/// string-processing searcher (grapheme-aware, several allocations); the needles here are ASCII, for which
/// a byte comparison gives the same answer.
enum ByteSearch {
    /// True if `text` contains the ASCII `needle`.
    @inline(__always)
    static func contains(_ text: String, _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        if n == 0 { return true }
        return needle.withUTF8Buffer { pattern in
            text.utf8.withContiguousStorageIfAvailable { hay in search(hay, pattern) }
                ?? Array(text.utf8).withUnsafeBufferPointer { search($0, pattern) }
        }
    }

    /// The byte offset of the first occurrence of the ASCII `needle` in `text`, if any.
    static func firstOffset(_ text: String, _ needle: StaticString) -> Int? {
        needle.withUTF8Buffer { pattern -> Int? in
            var copy = text
            return copy.withUTF8 { hay -> Int? in
                let n = pattern.count
                guard n > 0, hay.count >= n else { return n == 0 ? 0 : nil }
                var i = 0
                while i <= hay.count - n {
                    var k = 0
                    while k < n && hay[i + k] == pattern[k] { k += 1 }
                    if k == n { return i }
                    i += 1
                }
                return nil
            }
        }
    }

    /// True if `text` contains the ASCII byte `byte`.
    @inline(__always)
    static func contains(_ text: String, byte: UInt8) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.contains(byte) } ?? text.utf8.contains(byte)
    }

    @inline(__always)
    static func search(_ hay: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = needle.count
        guard hay.count >= n else { return false }
        let first = needle[0]
        var i = 0
        let last = hay.count - n
        while i <= last {
            if hay[i] == first {
                var k = 1
                while k < n && hay[i + k] == needle[k] { k += 1 }
                if k == n { return true }
            }
            i += 1
        }
        return false
    }
}
