/// Known false-positive shapes, as data: placeholders, documentation example keys, variable references, and the
/// names that look like credentials but are not (`token_type`, `password_file`).
enum FalsePositiveFilters {
    /// Substrings (lowercase) that mark a value as a placeholder or an example rather than a live secret.
    static let placeholderMarkers: [String] = [
        "example", "xxxx", "your_", "your-", "yourkey", "yourtoken", "yoursecret", "yourpassword", "<", ">", "${",
        "{{", "}}", "placeholder", "changeme", "change_me", "change-me", "redacted", "dummy", "sample", "insert_",
        "insert-", "replace_me", "replace-me", "replaceme", "foobar", "****", "....", "0000000", "123456",
        "abcdefgh", "abc123", "secret_here", "key_here", "token_here", "here_", "notreal", "not_real", "not-a-real",
        "fake_", "fake-", "mysecret", "mypassword", "my_password", "my-password", "password123", "s3cr3t",
        "fixme", "lorem", "ipsum", "[redacted", "process.env", "os.environ", "getenv", "env(",
        "vault(", "secrets.", "var.", "settings.", "config.", "$(", "`",
    ]

    /// Exact documentation example values published by providers (never live).
    static let documentedExamples: Set<String> = [
        "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AKIAI44QH8DHBEXAMPLE",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "xoxb-not-a-real-token-this-will-not-work",
        "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe",
    ]

    static let documentedExampleBytes: [[UInt8]] = documentedExamples.map { Array($0.utf8) }

    /// Whole values that are keywords or null-like, never secrets.
    static let nonValues: Set<String> = [
        "true", "false", "null", "none", "nil", "undefined", "password", "passwd", "secret", "token", "required",
        "optional", "string", "str", "bool", "int", "empty", "hidden", "masked", "unset", "disabled", "enabled",
        "default", "value", "pass", "test", "testing", "admin", "root", "user", "username", "postgres", "mysql",
    ]

    /// Identifier tails after a credential-like name that mean "about the credential", not the credential.
    static let nameTailsThatAreNotSecrets: [String] = [
        "_id", "-id", "id\"", "type", "url", "uri", "file", "path", "name", "length", "len", "size", "count", "max",
        "min", "limit", "endpoint", "izer", "ization", "expir", "ttl", "header", "field", "policy", "hash", "_at",
        "format", "prompt", "label", "placeholder", "hint", "regex", "pattern", "required", "reset", "enabled",
        "manager", "provider", "store", "_env", "_var", "_ref", "mode", "version", "scope", "usage", "_key_id",
        "rotation", "strength", "validator", "input", "confirm", "changed", "_set", "_is", "_has", "_name", "s_",
        "location", "source", "lifetime", "duration", "timeout", "secs", "seconds", "param", "tokens", "_dir",
        "_cmd", "command", "helper", "_fn", "func", "handler", "_salt_rounds", "_rounds",
    ]

    static let placeholderMarkerBytes: [[UInt8]] = placeholderMarkers.map { Array($0.utf8) }
    static let nameTailBytes: [[UInt8]] = nameTailsThatAreNotSecrets.map { Array($0.utf8) }
    static let nameHeadsThatAreNotSecrets: [[UInt8]] = [
        "max_", "num_", "no_", "is_", "has_", "show_", "forgot", "reset_", "new_", "old_", "min_", "hash", "check_",
        "verify_", "validate_", "use_", "enable_", "require",
    ].map { Array($0.utf8) }

    /// True when the secret text is a placeholder, an example, a variable reference or a null-like keyword.
    static func isPlaceholder(_ secret: UnsafeBufferPointer<UInt8>) -> Bool {
        let lower = asciiLowercased(secret)
        if lower.count <= 16, nonValues.contains(String(decoding: lower, as: UTF8.self)) { return true }
        for marker in placeholderMarkerBytes where markerPresent(marker, lower: lower, original: secret) { return true }
        if let first = secret.first, first == UInt8(ascii: "$") || first == UInt8(ascii: "%")
            || first == UInt8(ascii: "{") || first == UInt8(ascii: "[") || first == UInt8(ascii: "(")
            || first == UInt8(ascii: "*") || first == UInt8(ascii: "&") || first == UInt8(ascii: "@") {
            return true
        }
        // Long runs of one byte ("xxxxxxx", "0000000", "-------").
        var run = 1
        var prev: UInt8 = 0
        for (i, b) in secret.enumerated() {
            run = (i > 0 && b == prev) ? run + 1 : 1
            if run >= 7 { return true }
            prev = b
        }
        return false
    }

    /// A marker counts when it occurs with uniform letter case ("dummy", "DUMMY", "your_key"); random tokens that
    /// happen to contain "DuMmy" are not placeholders.
    static func markerPresent(_ marker: [UInt8], lower: [UInt8], original: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = marker.count
        guard lower.count >= n else { return false }
        var i = 0
        while i + n <= lower.count {
            if lower[i] == marker[0], lower[i..<i + n].elementsEqual(marker) {
                var upper = 0, lowerCase = 0
                for b in original[i..<i + n] {
                    if b >= 65 && b <= 90 { upper += 1 } else if b >= 97 && b <= 122 { lowerCase += 1 }
                }
                if upper == 0 || lowerCase == 0 { return true }
            }
            i += 1
        }
        return false
    }

    /// Value shapes rejected by the generic rules: paths, words, identifiers, numbers, hashes named as such.
    static func isUnlikelyGenericValue(_ v: UnsafeBufferPointer<UInt8>, quoted: Bool, isPassword: Bool) -> Bool {
        var lower = 0, upper = 0, digit = 0, other = 0, slash = 0, dot = 0, space = 0
        for b in v {
            switch b {
            case 97...122: lower += 1
            case 65...90: upper += 1
            case 48...57: digit += 1
            case UInt8(ascii: "/"): slash += 1; other += 1
            case UInt8(ascii: "."): dot += 1; other += 1
            case UInt8(ascii: " "): space += 1; other += 1
            default: other += 1
            }
        }
        let n = v.count
        if space > 0 && !isPassword { return true }
        if space > 1 { return true }
        if digit == n { return true }                                  // numbers (ports, counts, timestamps)
        if let f = v.first, f == UInt8(ascii: "/") || f == UInt8(ascii: "~") || f == UInt8(ascii: ".") {
            return true                                                // paths
        }
        if slash >= 2 && digit == 0 { return true }                    // paths, URLs without numbers
        if v.starts(with: "http".utf8) { return true }
        // Code, not a value: calls, subscripts, type annotations (`str(password)`, `Optional[bytes]`, `{}`).
        if !quoted, v.contains(where: { $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: "[")
            || $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "=") }) {
            return true
        }
        // Identifiers and dotted references (`user_password`, `self.token`, `DB_PASSWORD`, `rfc5958.KeyInfo`).
        let identifierShaped = v.allSatisfy { ByteSet.identifier.contains($0) }
        if identifierShaped && digit == 0 && (!quoted || upper == 0 || lower == 0) { return true }
        if identifierShaped && dot > 0 {
            // Every dotted segment starts with a letter or "_": a member reference, not a token.
            let segments = v.split(separator: UInt8(ascii: "."))
            if segments.allSatisfy({ s in s.first.map { ByteSet.alpha_.contains($0) } ?? false }) { return true }
        }
        if !quoted, identifierShaped, v.contains(UInt8(ascii: "_")), upper == 0 || lower == 0 || digit == 0 {
            return true                                                // snake_case variable names
        }
        if !isPassword {
            // Random API keys/tokens mix letters and digits, or at least both letter cases; single-case words
            // joined by separators do not.
            if (lower + upper) == 0 || (digit == 0 && (upper == 0 || lower == 0)) { return true }
        } else if lower == n {
            return true                                                // a lowercase word: too often prose
        }
        return false
    }
}
