/// Text prepared for phrase matching, with a map back to the original bytes:
/// lowercase (ASCII, Latin-1, Greek, Cyrillic), whitespace runs collapsed (to "\n" when they contain a line break),
/// curly quotes straightened, full-width ASCII folded, zero-width / bidi / tag characters removed (and reported),
/// and confusable letters folded to ASCII inside words that mix scripts (reported as homoglyph mixing).
struct Normalized {
    private(set) var bytes: [UInt8] = []
    private var offsets: [Int32] = []         // normalised byte -> original byte offset
    private(set) var hiddenReasons: [InjectionReason] = []
    private(set) var tagText = ""
    private(set) var tagRange: Range<Int>?
    private var originalCount = 0

    init(_ s: String) {
        var s = s
        self = s.withUTF8 { Normalized($0) }
    }

    init(_ input: UnsafeBufferPointer<UInt8>) {
        originalCount = input.count
        bytes.reserveCapacity(input.count + 1)
        offsets.reserveCapacity(input.count + 1)
        // A leading newline lets "\nhuman:" style markers match at the very start.
        append(0x0A, at: 0)
        var zeroWidth: [Int] = [], bidi: [Int] = []
        var bidiOverride = false
        var homoglyphWords: [Range<Int>] = []
        var pendingSpace: (newline: Bool, at: Int)? = nil
        var word: [(UInt32, Int)] = []
        var wordHasASCII = false, wordHasConfusable = false

        func flushWord() {
            guard !word.isEmpty else { return }
            let mixed = wordHasASCII && wordHasConfusable
            if mixed, let first = word.first, let last = word.last {
                homoglyphWords.append(first.1..<(last.1 + 1))
            }
            for (u, at) in word {
                if mixed, u >= 0x370, let a = InjectionSignals.confusables[u] { append(a, at: at) } else { emit(u, at: at) }
            }
            word.removeAll(keepingCapacity: true)
            wordHasASCII = false; wordHasConfusable = false
        }

        var i = 0
        var prevScalar: UInt32 = 0
        while i < input.count {
            let (decoded, len) = Normalized.decode(input, i)
            var u = decoded
            let at = i
            i += len
            // Invisible and formatting characters.
            if u >= 0xE0000 && u <= 0xE007F {
                if u >= 0xE0020 && u <= 0xE007E { tagText.unicodeScalars.append(Unicode.Scalar(UInt8(u - 0xE0000))) }
                tagRange = (tagRange?.lowerBound ?? at)..<i
                continue
            }
            if u == 0x200B || u == 0x200C || u == 0x2060 || u == 0x180E || (0x2061...0x2064).contains(u)
                || (u == 0xFEFF && at > 0) || u == 0x00AD || u == 0x200D {
                let nextIsEmoji = i < input.count && Normalized.decode(input, i).0 >= 0x1F000
                if !(u == 0x200D && (prevScalar >= 0x1F000 || nextIsEmoji || prevScalar == 0xFE0F)) && u != 0x00AD {
                    zeroWidth.append(at)
                }
                continue
            }
            if (0x202A...0x202E).contains(u) || (0x2066...0x2069).contains(u) {
                bidi.append(at)
                if u == 0x202D || u == 0x202E { bidiOverride = true }
                continue
            }
            if u == 0xFEFF { continue }
            prevScalar = u
            // Whitespace.
            if u == 0x20 || u == 0x09 || u == 0x0D || u == 0x0A || u == 0x0B || u == 0x0C || u == 0xA0
                || (0x2000...0x200A).contains(u) || u == 0x3000 || u == 0x2028 || u == 0x2029 {
                flushWord()
                let nl = u == 0x0A || u == 0x2028 || u == 0x2029
                if let p = pendingSpace { pendingSpace = (p.newline || nl, p.at) } else { pendingSpace = (nl, at) }
                continue
            }
            if let p = pendingSpace {
                append(p.newline ? 0x0A : 0x20, at: p.at)
                pendingSpace = nil
            }
            // Folding.
            if u >= 0xFF01 && u <= 0xFF5E { u -= 0xFEE0 }
            if u == 0x2018 || u == 0x2019 || u == 0x02BC { u = 0x27 }
            if u == 0x201C || u == 0x201D { u = 0x22 }
            u = Normalized.lower(u)
            let isASCIILetter = (u >= 0x61 && u <= 0x7A)
            let isOtherLetter = (u >= 0xC0 && u <= 0x24F) || (u >= 0x370 && u <= 0x52F)
            if isASCIILetter || isOtherLetter || (u >= 0x30 && u <= 0x39) {
                if isASCIILetter { wordHasASCII = true }
                if u >= 0x370, InjectionSignals.confusables[u] != nil { wordHasConfusable = true }
                word.append((u, at))
                continue
            }
            flushWord()
            emit(u, at: at)
        }
        flushWord()
        if let p = pendingSpace { append(p.newline ? 0x0A : 0x20, at: p.at) }

        if !tagText.isEmpty || tagRange != nil, let r = tagRange {
            hiddenReasons.append(InjectionReason(signal: "hidden-tag-characters",
                detail: "Unicode tag characters (invisible text)", weight: 0.85, byteRange: r))
        }
        if zeroWidth.count >= 2, let f = zeroWidth.first, let l = zeroWidth.last {
            hiddenReasons.append(InjectionReason(signal: "hidden-zero-width",
                detail: "\(zeroWidth.count) zero-width characters", weight: zeroWidth.count >= 10 ? 0.5 : 0.3,
                byteRange: f..<(l + 1)))
        }
        if !bidi.isEmpty, let f = bidi.first, let l = bidi.last {
            // Overrides (LRO/RLO) reorder what a reader sees against what the model reads; isolates are milder.
            let weight = bidiOverride ? 0.6 : 0.45
            hiddenReasons.append(InjectionReason(signal: "hidden-bidi-control",
                detail: "\(bidi.count) bidirectional override/isolate controls", weight: weight, byteRange: f..<(l + 1)))
        }
        if let f = homoglyphWords.first, let l = homoglyphWords.last {
            hiddenReasons.append(InjectionReason(signal: "homoglyph-mixing",
                detail: "\(homoglyphWords.count) word(s) mixing Latin with look-alike Cyrillic/Greek letters",
                weight: 0.35, byteRange: f.lowerBound..<l.upperBound))
        }
    }

    private mutating func append(_ b: UInt8, at: Int) {
        bytes.append(b)
        offsets.append(Int32(truncatingIfNeeded: at))
    }

    private mutating func emit(_ u: UInt32, at: Int) {
        switch u {
        case 0..<0x80:
            append(UInt8(u), at: at)
        case 0x80..<0x800:
            append(UInt8(0xC0 | (u >> 6)), at: at)
            append(UInt8(0x80 | (u & 0x3F)), at: at)
        case 0x800..<0x10000:
            append(UInt8(0xE0 | (u >> 12)), at: at)
            append(UInt8(0x80 | ((u >> 6) & 0x3F)), at: at)
            append(UInt8(0x80 | (u & 0x3F)), at: at)
        default:
            append(UInt8(0xF0 | (u >> 18)), at: at)
            append(UInt8(0x80 | ((u >> 12) & 0x3F)), at: at)
            append(UInt8(0x80 | ((u >> 6) & 0x3F)), at: at)
            append(UInt8(0x80 | (u & 0x3F)), at: at)
        }
    }

    static func lower(_ u: UInt32) -> UInt32 {
        switch u {
        case 0x41...0x5A: return u + 0x20
        case 0xC0...0xDE where u != 0xD7: return u + 0x20
        case 0x391...0x3A9: return u + 0x20
        case 0x410...0x42F: return u + 0x20
        case 0x400...0x40F: return u + 0x50
        default: return u
        }
    }

    /// Decodes one scalar; invalid sequences yield U+FFFD and consume one byte.
    static func decode(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let c0 = b[i]
        if c0 < 0x80 { return (UInt32(c0), 1) }
        func cont(_ k: Int) -> UInt32? {
            guard i + k < b.count, b[i + k] & 0xC0 == 0x80 else { return nil }
            return UInt32(b[i + k] & 0x3F)
        }
        if c0 & 0xE0 == 0xC0, let c1 = cont(1) { return ((UInt32(c0 & 0x1F) << 6) | c1, 2) }
        if c0 & 0xF0 == 0xE0, let c1 = cont(1), let c2 = cont(2) {
            return ((UInt32(c0 & 0x0F) << 12) | (c1 << 6) | c2, 3)
        }
        if c0 & 0xF8 == 0xF0, let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) {
            return ((UInt32(c0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, 4)
        }
        return (0xFFFD, 1)
    }

    func originalRange(_ r: Range<Int>) -> Range<Int> {
        guard !offsets.isEmpty else { return 0..<0 }
        let lo = Int(offsets[min(r.lowerBound, offsets.count - 1)])
        let hiIndex = max(r.lowerBound, r.upperBound - 1)
        let hi = min(originalCount, Int(offsets[min(hiIndex, offsets.count - 1)]) + 1)
        return lo..<max(lo, hi)
    }

    @inline(__always) private static func isWord(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
    }

    /// A phrase starting at `start` begins a word (or starts with punctuation).
    func isBoundary(at start: Int, in buf: UnsafeBufferPointer<UInt8>) -> Bool {
        guard start > 0, start < buf.count, Self.isWord(buf[start]) else { return true }
        return !Self.isWord(buf[start - 1])
    }

    func isBoundaryEnd(at end: Int, in buf: UnsafeBufferPointer<UInt8>) -> Bool {
        guard end < buf.count, end > 0, Self.isWord(buf[end - 1]) else { return true }
        return !Self.isWord(buf[end])
    }

    /// ASCII words (letters, digits, apostrophes) of the normalised text with their normalised ranges.
    func words() -> [(text: String, range: Range<Int>)] {
        var out: [(String, Range<Int>)] = []
        var i = 0
        let n = bytes.count
        while i < n {
            if Self.isWord(bytes[i]) {
                let s = i
                while i < n, Self.isWord(bytes[i]) || bytes[i] == 0x27 { i += 1 }
                if i - s <= 40 { out.append((String(decoding: bytes[s..<i], as: UTF8.self), s..<i)) }
            } else { i += 1 }
        }
        return out
    }
}
