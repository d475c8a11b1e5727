/// A necessary condition for `SecretScanner` to find anything: the scanner only checks its rules where one of their
/// keywords occurs (ASCII case-insensitively), so a text that contains no keyword has no finding. The gate needs
/// only the keyword list — no automaton, no compiled matchers — so a short-lived process (a hook writing one audit
/// record) asks it first and builds the scanner only for a text that has a candidate.
///
/// ```swift
/// let clean = KeywordGate.standard.mayMatch(text) ? Redactor().redact(text).text : text
/// ```
public struct KeywordGate: Sendable {
    /// The gate of `SecretScanner.standard` (every built-in rule).
    public static let standard = KeywordGate(rules: CredentialRule.builtIn)

    /// Every keyword, case-folded, and a bit per possible (case-folded) first two bytes: most positions of a text
    /// are rejected by one bit test. (A dictionary of lists cost more to build than the whole check.)
    private let folded: [[UInt8]]
    private let prefixBits: [UInt64]
    private let firstBytes: [Bool]   // one-byte keywords (none built in; `CredentialTableTests` wants two or more)

    /// - Parameter rules: the rules whose keywords the gate looks for.
    public init(rules: [CredentialRule]) {
        self.init(keywords: rules.flatMap(\.literalKeywords))
    }

    /// - Parameter keywords: literals, matched ASCII-case-insensitively.
    public init(keywords: [String]) {
        var folded: [[UInt8]] = []
        folded.reserveCapacity(keywords.count)
        var bits = [UInt64](repeating: 0, count: 1024)
        var first = [Bool](repeating: false, count: 256)
        for keyword in keywords {
            let bytes = keyword.utf8.map(AhoCorasick.fold)
            if bytes.count == 1 { first[Int(bytes[0])] = true }
            guard bytes.count >= 2 else { continue }
            let key = Int(bytes[0]) << 8 | Int(bytes[1])
            bits[key >> 6] |= 1 << UInt64(key & 63)
            folded.append(bytes)
        }
        self.folded = folded
        self.prefixBits = bits
        self.firstBytes = first
    }

    /// Whether `text` contains at least one keyword (if not, the scanner would find nothing in it).
    public func mayMatch(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { mayMatch(bytes: $0) }
    }

    /// Byte variant of `mayMatch(_:)`.
    public func mayMatch(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        for i in 0..<n {
            let a = AhoCorasick.fold(bytes[i])
            if firstBytes[Int(a)] { return true }
            guard i + 1 < n else { break }
            let key = Int(a) << 8 | Int(AhoCorasick.fold(bytes[i + 1]))
            guard prefixBits[key >> 6] & (1 << UInt64(key & 63)) != 0 else { continue }
            for keyword in folded where keyword[0] == a && i + keyword.count <= n {
                var j = 1
                while j < keyword.count, AhoCorasick.fold(bytes[i + j]) == keyword[j] { j += 1 }
                if j == keyword.count { return true }
            }
        }
        return false
    }
}
