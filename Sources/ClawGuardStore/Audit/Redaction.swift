import ClawGuardCore
import Foundation

/// Redacts credentials from text before it is written to the audit trail. The store takes any
/// `@Sendable (String) -> String`; the CLI plugs in ClawGuardScanners' redactor. `MinimalRedactor` is the
/// built-in fallback so nothing is written unredacted meanwhile.
public typealias RedactFunction = @Sendable (String) -> String

/// A small built-in redactor for the most obvious credential formats: well-known token prefixes,
/// `Authorization: Bearer …`, `key=value` / `"key": "value"` pairs whose key names a secret, and PEM private keys.
public enum MinimalRedactor {
    /// A token prefix and the shortest token length that counts.
    struct TokenFormat: Sendable {
        var prefix: String
        var minLength: Int
        var name: String
    }

    /// Token formats, one per line (add a format here, not a branch in code).
    static let tokenFormats: [TokenFormat] = [
        TokenFormat(prefix: "sk-ant-", minLength: 20, name: "anthropic-key"),
        TokenFormat(prefix: "sk-proj-", minLength: 20, name: "openai-key"),
        TokenFormat(prefix: "sk-", minLength: 20, name: "api-key"),
        TokenFormat(prefix: "ghp_", minLength: 30, name: "github-token"),
        TokenFormat(prefix: "gho_", minLength: 30, name: "github-token"),
        TokenFormat(prefix: "ghs_", minLength: 30, name: "github-token"),
        TokenFormat(prefix: "github_pat_", minLength: 30, name: "github-token"),
        TokenFormat(prefix: "glpat-", minLength: 20, name: "gitlab-token"),
        TokenFormat(prefix: "xoxb-", minLength: 20, name: "slack-token"),
        TokenFormat(prefix: "xoxp-", minLength: 20, name: "slack-token"),
        TokenFormat(prefix: "AKIA", minLength: 20, name: "aws-access-key"),
        TokenFormat(prefix: "ASIA", minLength: 20, name: "aws-access-key"),
        TokenFormat(prefix: "AIza", minLength: 35, name: "google-api-key"),
        TokenFormat(prefix: "eyJ", minLength: 40, name: "jwt"),
    ]

    /// Key names whose value is a secret in `key=value`, `key: value` or `--key value` form (lowercased substrings).
    static let secretKeys = ["password", "passwd", "secret", "token", "api_key", "apikey", "api-key", "access_key",
                             "private_key", "credential", "auth"]

    /// The redaction function.
    public static let redact: RedactFunction = { text in MinimalRedactor.apply(text) }

    static func isTokenChar(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "-" || c == "_" || c == "." || c == "+"
    }

    static func apply(_ text: String) -> String {
        guard !text.isEmpty else { return text }
        var result = redactPEM(text)
        result = redactTokens(result)
        result = redactPairs(result)
        return result
    }

    static func redactPEM(_ text: String) -> String {
        var result = text
        while let begin = result.range(of: "-----BEGIN "), let keyMarker = result.range(of: "PRIVATE KEY-----", range: begin.upperBound..<result.endIndex) {
            let end = result.range(of: "-----END ", range: keyMarker.upperBound..<result.endIndex)
            let stop = end.flatMap { result.range(of: "-----", range: $0.upperBound..<result.endIndex)?.upperBound } ?? result.endIndex
            result.replaceSubrange(begin.lowerBound..<stop, with: "[REDACTED:private-key]")
        }
        return result
    }

    static func redactTokens(_ text: String) -> String {
        var out = ""
        var token = ""
        func flush() {
            if let format = tokenFormats.first(where: { token.hasPrefix($0.prefix) && token.count >= $0.minLength }) {
                out += "[REDACTED:\(format.name)]"
            } else {
                out += token
            }
            token = ""
        }
        for c in text {
            if isTokenChar(c) { token.append(c) } else {
                flush()
                out.append(c)
            }
        }
        flush()
        return out
    }

    /// Redacts the value after `key=`, `key:`, `key ` (`--password x`) and `Bearer `.
    static func redactPairs(_ text: String) -> String {
        let lower = text.lowercased()
        guard secretKeys.contains(where: { lower.contains($0) }) || lower.contains("bearer ") else { return text }
        var chars = Array(text)
        let lowerChars = Array(lower)
        var i = 0
        var out = ""
        while i < chars.count {
            // Find the end of a word made of key characters.
            if chars[i].isLetter || chars[i] == "_" || chars[i] == "-" {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "-" { j += 1 }
                let word = String(lowerChars[i..<j])
                out += String(chars[i..<j])
                let isBearer = word == "bearer"
                let isSecretKey = secretKeys.contains { word.contains($0) }
                if isBearer || isSecretKey {
                    // separator: = : space, optional quotes
                    var k = j
                    var sep = ""
                    while k < chars.count, chars[k] == "\"" || chars[k] == "'" || chars[k] == ":" || chars[k] == "=" || chars[k] == " " {
                        sep.append(chars[k])
                        k += 1
                    }
                    let hasAssign = sep.contains("=") || sep.contains(":") || (isBearer && sep.contains(" "))
                        || (sep == " " && word.hasPrefix("--"))
                    func valueEnd(from start: Int) -> Int {
                        var v = start
                        while v < chars.count, !chars[v].isWhitespace, chars[v] != "\"", chars[v] != "'", chars[v] != ",", chars[v] != "}", chars[v] != "&" { v += 1 }
                        return v
                    }
                    var v = valueEnd(from: k)
                    // `Authorization: Bearer <token>`: the scheme is not the secret, the word after it is.
                    if ["bearer", "basic", "token"].contains(String(lowerChars[k..<v])), v < chars.count, chars[v] == " " {
                        sep += String(chars[k...v])
                        k = v + 1
                        v = valueEnd(from: k)
                    }
                    if hasAssign && v > k && !(v - k <= 3 && String(chars[k..<v]) == "***") {
                        out += sep + "[REDACTED]"
                        i = v
                        continue
                    }
                }
                i = j
                continue
            }
            out.append(chars[i])
            i += 1
        }
        chars.removeAll()
        return out
    }

    /// Redacts every string (keys kept) in a JSON value.
    public static func redact(_ value: JSONValue, with redact: RedactFunction) -> JSONValue {
        switch value {
        case .string(let s): .string(redact(s))
        case .array(let items): .array(items.map { Self.redact($0, with: redact) })
        case .object(let members):
            .object(Dictionary(uniqueKeysWithValues: members.map { key, item in
                // A value under a key that names a secret is redacted whole.
                let lower = key.lowercased()
                if case .string = item, secretKeys.contains(where: { lower.contains($0) }) {
                    return (key, JSONValue.string("[REDACTED]"))
                }
                return (key, Self.redact(item, with: redact))
            }))
        default: value
        }
    }
}
