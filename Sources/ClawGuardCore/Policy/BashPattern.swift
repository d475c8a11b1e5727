/// A compiled `Bash(...)` specifier, with Claude Code's semantics:
///
/// - `Bash(npm run build)` — exact match of the command line.
/// - `Bash(npm run test:*)` — legacy prefix form: the command is `npm run test` or starts with `npm run test `
///   (a word boundary; `npm run testx` does not match).
/// - `Bash(git diff *)` — glob: `*` matches any run of characters, spaces included. A space before `*` is a
///   literal space, so it marks a word boundary: `Bash(ls *)` matches `ls -la` but not `lsof`; `Bash(ls*)`
///   matches both. A trailing ` *` also matches the bare command (`Bash(git *)` matches `git`).
/// - `\*` is a literal star, `\\` a literal backslash.
///
/// The input of `matches(_:)` is ONE simple command: its argv joined by single spaces (the analyzer splits
/// compound commands; this type never parses shell).
public struct BashPattern: Sendable, Hashable, CustomStringConvertible {
    /// How the specifier was read.
    public enum Kind: String, Sendable, Hashable {
        /// No wildcard: the command line must equal the text.
        case exact
        /// Legacy `prefix:*`.
        case prefix
        /// Contains `*` wildcards.
        case wildcard
        /// `*` alone (or the bare tool): every command.
        case any
    }

    /// The specifier as written.
    public let text: String
    public let kind: Kind
    /// For `.prefix`, the prefix (without `:*`); for others, the text.
    public let prefix: String
    private let glob: ByteGlob
    /// For a trailing ` *`, the glob of the bare command (the text without ` *`).
    private let bareGlob: ByteGlob?
    private let prefixBytes: [UInt8]
    /// Bytes every command line this pattern matches starts with (the literal text before its first wildcard;
    /// for a trailing ` *`, that of the bare command). A cheap test before matching a rewritten command line.
    let requiredPrefix: [UInt8]

    /// Compiles a Bash specifier. Never fails: every string is a valid Bash pattern (empty text is refused
    /// by the rule parser).
    public init(_ specifier: String) {
        text = specifier
        if specifier == "*" || specifier == ":*" {
            kind = .any
            prefix = ""
            glob = ByteGlob(tokens: [.star])
            bareGlob = nil
            prefixBytes = []
            requiredPrefix = []
            return
        }
        let hasUnescapedStar = BashPattern.unescapedStarCount(specifier) > 0
        if specifier.hasSuffix(":*"), BashPattern.unescapedStarCount(String(specifier.dropLast(2))) == 0 {
            kind = .prefix
            let p = String(specifier.dropLast(2))
            prefix = p
            glob = ByteGlob.bash(Substring(p))
            prefixBytes = glob.literal
            bareGlob = nil
            requiredPrefix = glob.leadingBytes
            return
        }
        prefix = specifier
        prefixBytes = []
        glob = ByteGlob.bash(Substring(specifier))
        if hasUnescapedStar {
            kind = .wildcard
            if specifier.hasSuffix(" *"), !specifier.hasSuffix("\\ *") {
                bareGlob = ByteGlob.bash(specifier.dropLast(2))
            } else {
                bareGlob = nil
            }
        } else {
            kind = .exact
            bareGlob = nil
        }
        requiredPrefix = (bareGlob ?? glob).leadingBytes
    }

    /// True if `commandLine` (one simple command, argv joined by single spaces) matches.
    public func matches(_ commandLine: String) -> Bool {
        var copy = commandLine
        return copy.withUTF8 { matches(utf8: $0) }
    }

    /// Matches raw UTF-8 bytes of one command line.
    public func matches(utf8 s: UnsafeBufferPointer<UInt8>) -> Bool {
        switch kind {
        case .any:
            return true
        case .exact:
            return glob.matches(s)
        case .prefix:
            let p = prefixBytes
            if s.count < p.count { return false }
            for k in 0..<p.count where s[k] != p[k] { return false }
            return s.count == p.count || s[p.count] == UInt8(ascii: " ")
        case .wildcard:
            if glob.matches(s) { return true }
            if let bareGlob { return bareGlob.matches(s) }
            return false
        }
    }

    /// The first word of the pattern (the program), or nil when the pattern starts with a wildcard.
    public var program: String? {
        let head = kind == .prefix ? prefix : text
        let word = head.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true).first.map(String.init)
        guard let word, !word.contains("*") else { return nil }
        return word
    }

    /// True when the wildcard can stand in for the program's arguments (the rule admits arbitrary arguments).
    public var admitsArbitraryArguments: Bool {
        switch kind {
        case .any, .prefix: return true
        case .exact: return false
        case .wildcard: return true
        }
    }

    public var description: String { text }

    static func unescapedStarCount(_ s: String) -> Int {
        var count = 0
        var escaped = false
        for c in s.utf8 {
            if escaped { escaped = false; continue }
            if c == UInt8(ascii: "\\") { escaped = true; continue }
            if c == UInt8(ascii: "*") { count += 1 }
        }
        return count
    }
}
