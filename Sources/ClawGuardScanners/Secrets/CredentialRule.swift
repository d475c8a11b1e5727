/// One credential format: how to find it (shape), what must hold for a match to count (entropy, validation), and
/// what to call it. The table of rules is in `CredentialRules.swift`; adding a format is adding one entry.
public struct CredentialRule: Sendable {
    /// How candidates for the rule are located.
    public enum Shape: Sendable {
        /// Tokens that begin with a distinctive literal (`ghp_`, `AKIA`, `xoxb-`); each pattern's leading literal is a
        /// prefilter keyword and the pattern is matched from the keyword's start.
        case token([String])
        /// Tokens whose distinctive literal sits inside them (`…Q~…`, `…-us12`): from the keyword's start, `before`
        /// bytes of class `beforeClass` (count in `beforeCount`) are taken backwards, then `pattern` (which starts
        /// with the keyword) is matched forwards. `wordBoundary` requires a non-alphanumeric byte before the token
        /// (off for tokens that are glued to a word in real use, like Telegram's `bot<token>` URLs).
        case anchored(keyword: String, beforeClass: String, beforeCount: ClosedRange<Int>, pattern: String,
                      wordBoundary: Bool)
        /// A value assigned (`=`, `:`, `:=`, `=>`) to a name that contains one of `names` (`HEROKU_API_KEY=…`); the
        /// value must match `value` exactly (whole token).
        case assigned(names: [String], value: String)
        /// PEM / OpenSSH / PGP / PuTTY private key blocks.
        case privateKey
        /// JSON Web Tokens (header must decode to JSON naming an `alg`).
        case jwt
        /// URLs with a password in their user-info part (`postgres://user:pw@host`), for the given schemes.
        case urlCredentials(schemes: [String])
        /// Generic: a high-entropy value assigned to a credential-like name; `minLength` bounds the value.
        case generic(names: [String], minLength: Int)
    }

    /// Stable rule identifier (reported as `rule`).
    public let id: String
    /// What the credential is (reported as `kind`, used in `[REDACTED:kind:hash]`).
    public let kind: String
    /// Human description (provider and token type).
    public let description: String
    /// How to find candidates.
    public let shape: Shape
    /// Minimum Shannon entropy (bits per byte) of the secret part; nil means no entropy requirement.
    public let minEntropy: Double?

    public init(id: String, kind: String? = nil, description: String, shape: Shape, minEntropy: Double?) {
        self.id = id
        self.kind = kind ?? id
        self.description = description
        self.shape = shape
        self.minEntropy = minEntropy
    }

    /// Prefilter keywords of this rule (matched case-insensitively by the Aho–Corasick pass).
    public var keywords: [String] {
        switch shape {
        case .token(let patterns):
            return patterns.map { String(decoding: TokenPattern($0).leadingLiteral, as: UTF8.self) }
        case .anchored(let keyword, _, _, _, _): return [keyword]
        case .assigned(let names, _): return names
        case .privateKey: return ["-----BEGIN ", "---- BEGIN SSH2 ENCRYPTED", "PuTTY-User-Key-File-"]
        case .jwt: return ["eyJ"]
        case .urlCredentials(let schemes): return schemes.map { $0 + "://" }
        case .generic(let names, _): return names
        }
    }

    /// The same as `keywords`, computed without building the token patterns (for `KeywordGate`).
    var literalKeywords: [String] {
        if case .token(let patterns) = shape {
            return patterns.map { String(decoding: TokenPattern.leadingLiteral(of: $0), as: UTF8.self) }
        }
        return keywords
    }

    /// Rules that name a provider format outrank `generic` ones when two findings overlap.
    var priority: Int {
        switch shape {
        case .token, .anchored, .privateKey: return 3
        case .jwt, .urlCredentials, .assigned: return 2
        case .generic: return 1
        }
    }
}
