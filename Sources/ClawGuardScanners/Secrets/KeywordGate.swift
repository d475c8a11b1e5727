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

    /// Keywords by their first two (case-folded) bytes; every keyword has at least two bytes
    /// (`CredentialTableTests` checks the built-in ones), shorter ones are kept in `short`.
    private let byPrefix: [UInt16: [[UInt8]]]
    private let short: [[UInt8]]

    /// - Parameter rules: the rules whose keywords the gate looks for.
    public init(rules: [CredentialRule]) {
        self.init(keywords: rules.flatMap(\.keywords))
    }

    /// - Parameter keywords: literals, matched ASCII-case-insensitively.
    public init(keywords: [String]) {
        var byPrefix: [UInt16: [[UInt8]]] = [:]
        var short: [[UInt8]] = []
        for keyword in keywords {
            let bytes = keyword.utf8.map(AhoCorasick.fold)
            if bytes.count < 2 {
                if !bytes.isEmpty { short.append(bytes) }
                continue
            }
            byPrefix[UInt16(bytes[0]) << 8 | UInt16(bytes[1]), default: []].append(bytes)
        }
        self.byPrefix = byPrefix
        self.short = short
    }

    /// Whether `text` contains at least one keyword (if not, the scanner would find nothing in it).
    public func mayMatch(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { mayMatch(bytes: $0) }
    }

    /// Byte variant of `mayMatch(_:)`.
    public func mayMatch(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        for b in bytes {
            let f = AhoCorasick.fold(b)
            if short.contains(where: { $0[0] == f }) { return true }
        }
        guard n >= 2 else { return false }
        for i in 0..<(n - 1) {
            let key = UInt16(AhoCorasick.fold(bytes[i])) << 8 | UInt16(AhoCorasick.fold(bytes[i + 1]))
            guard let candidates = byPrefix[key] else { continue }
            for keyword in candidates where i + keyword.count <= n {
                var j = 2
                while j < keyword.count, AhoCorasick.fold(bytes[i + j]) == keyword[j] { j += 1 }
                if j == keyword.count { return true }
            }
        }
        return false
    }
}
