/// Finds credentials in text: one Aho–Corasick pass over the input finds the keywords of all rules, and only those
/// spots are checked against the rules' exact (linear, backtracking-free) patterns and filters.
///
/// ```swift
/// let findings = SecretScanner.standard.scan(toolOutput)
/// ```
public struct SecretScanner: Sendable {
    /// The built-in rules with default settings.
    public static let standard = SecretScanner()

    /// The active rules.
    public let rules: [CredentialRule]
    private let compiled: [Compiled]
    private let automaton: AhoCorasick
    private let targetStart: [Int32]        // keyword index -> first index into `targetList` (count = keywords + 1)
    private let targetList: [Int32]         // indices into `compiled`, grouped by keyword
    private let keywordNeedsWordStart: [Bool]  // every rule of the keyword needs a non-alphanumeric byte before it
    private let allowedFingerprints: Set<String>

    private enum Matcher: Sendable {
        case token(TokenPattern, literalLength: Int)
        case anchored(ByteSet, ClosedRange<Int>, TokenPattern, wordBoundary: Bool)
        case assigned(TokenPattern)
        case privateKey
        case jwt
        case url
        case generic(minLength: Int, isPassword: Bool)
    }

    private struct Compiled: Sendable {
        var rule: Int
        var matcher: Matcher
        var keywordLength: Int
    }

    /// - Parameters:
    ///   - rules: the rules to run (default: all built-in rules).
    ///   - configuration: rule selection, entropy overrides and allow-listed fingerprints.
    public init(rules: [CredentialRule] = CredentialRule.builtIn,
                configuration: ScannerConfiguration.Secrets = .init()) {
        var active = rules.filter { !configuration.disabledRules.contains($0.id) }
        if !configuration.genericRules { active.removeAll { if case .generic = $0.shape { true } else { false } } }
        active = active.map { rule in
            guard let override = configuration.entropyOverrides[rule.id] else { return rule }
            return CredentialRule(id: rule.id, kind: rule.kind, description: rule.description, shape: rule.shape,
                                  minEntropy: override)
        }
        self.rules = active
        var keywords: [String] = []
        var keywordIndex: [String: Int] = [:]
        var targets: [[Int]] = []
        var compiled: [Compiled] = []
        for (r, rule) in active.enumerated() {
            var items: [(String, Matcher)] = []
            switch rule.shape {
            case .token(let patterns):
                for p in patterns {
                    let tp = TokenPattern(p)
                    let lit = String(decoding: tp.leadingLiteral, as: UTF8.self)
                    items.append((lit, .token(tp, literalLength: tp.leadingLiteral.count)))
                }
            case .anchored(let keyword, let beforeClass, let count, let pattern, let wordBoundary):
                let tp = TokenPattern(pattern)
                items.append((keyword, .anchored(ByteSet(classBody: Array(beforeClass.utf8)), count, tp,
                                                 wordBoundary: wordBoundary)))
            case .assigned(let names, let value):
                let tp = TokenPattern(value)
                for n in names { items.append((n, .assigned(tp))) }
            case .privateKey:
                for k in rule.keywords { items.append((k, .privateKey)) }
            case .jwt:
                items.append(("eyJ", .jwt))
            case .urlCredentials:
                for k in rule.keywords { items.append((k, .url)) }
            case .generic(let names, let minLength):
                for n in names { items.append((n, .generic(minLength: minLength, isPassword: rule.kind == "password"))) }
            }
            for (keyword, matcher) in items {
                let key = keyword.lowercased()
                let k: Int
                if let existing = keywordIndex[key] { k = existing } else {
                    k = keywords.count
                    keywordIndex[key] = k
                    keywords.append(key)
                    targets.append([])
                }
                targets[k].append(compiled.count)
                compiled.append(Compiled(rule: r, matcher: matcher, keywordLength: keyword.utf8.count))
            }
        }
        self.compiled = compiled
        var starts: [Int32] = [0]
        var flat: [Int32] = []
        var needsWordStart: [Bool] = []
        for (k, list) in targets.enumerated() {
            flat.append(contentsOf: list.map { Int32($0) })
            starts.append(Int32(flat.count))
            let alnumFirst = keywords[k].utf8.first.map { ByteSet.alnum.contains($0) } ?? false
            needsWordStart.append(alnumFirst && list.allSatisfy {
                if case .token = compiled[$0].matcher { return true } else { return false }
            })
        }
        self.targetStart = starts
        self.targetList = flat
        self.keywordNeedsWordStart = needsWordStart
        self.automaton = AhoCorasick(keywords)
        self.allowedFingerprints = configuration.allowedFingerprints
    }

    /// Scans a text and returns findings ordered by position. Overlapping candidates keep the most specific rule.
    public func scan(_ text: String) -> [SecretFinding] {
        var text = text
        return text.withUTF8 { scan(bytes: $0) }
    }

    /// Scans UTF-8 bytes (need not be valid UTF-8).
    public func scan(bytes: UnsafeBufferPointer<UInt8>) -> [SecretFinding] {
        var candidates: [Candidate] = []
        let lengths = automaton.keywordLengths
        automaton.forEachHit(in: bytes) { hit in
            let k = hit.keyword
            if keywordNeedsWordStart[k] {
                let start = hit.end - lengths[k]
                if start > 0, Self.isAlnum(bytes[start - 1]) { return }
            }
            for t in Int(targetStart[k])..<Int(targetStart[k + 1]) {
                if let cand = evaluate(compiled[Int(targetList[t])], keywordEnd: hit.end, in: bytes) {
                    candidates.append(cand)
                }
            }
        }
        if candidates.isEmpty { return [] }
        let kept = Self.resolveOverlaps(candidates)
        var locator = LineLocator()
        var findings: [SecretFinding] = []
        findings.reserveCapacity(kept.count)
        for cand in kept {
            let rule = rules[cand.rule]
            let kind = cand.kindOverride ?? rule.kind
            let secret = UnsafeBufferPointer(rebasing: bytes[cand.secret])
            let kindAndSecret = Array(kind.utf8) + [0x3A] + Array(secret)
            let fingerprint = StableHash.hex(StableHash.digest(kindAndSecret), digits: 16)
            if allowedFingerprints.contains(fingerprint) { continue }
            let pos = locator.position(of: cand.secret.lowerBound, in: bytes)
            findings.append(SecretFinding(
                kind: kind, rule: rule.id, line: pos.line, column: pos.column, byteRange: cand.secret,
                preview: Self.preview(secret, visiblePrefix: cand.visiblePrefix),
                tag: StableHash.hex(StableHash.digest(secret), digits: 4), fingerprint: fingerprint,
                entropy: cand.entropy))
        }
        return findings
    }

    /// Whether the text contains at least one credential.
    public func containsSecret(_ text: String) -> Bool { !scan(text).isEmpty }

    // MARK: - Candidate evaluation

    struct Candidate {
        var rule: Int
        var priority: Int
        var secret: Range<Int>
        var visiblePrefix: Int
        var entropy: Double
        var kindOverride: String? = nil
    }

    @inline(__always)
    private static func isAlnum(_ b: UInt8) -> Bool { ByteSet.alnum.contains(b) }

    private func evaluate(_ c: Compiled, keywordEnd: Int, in b: UnsafeBufferPointer<UInt8>) -> Candidate? {
        let rule = rules[c.rule]
        let keywordStart = keywordEnd - c.keywordLength
        switch c.matcher {
        case .token(let pattern, let literalLength):
            let start = keywordStart
            if start > 0, Self.isAlnum(b[start]), Self.isAlnum(b[start - 1]) { return nil }
            guard let end = pattern.match(b, at: start), rightBoundaryOK(b, end) else { return nil }
            return accept(rule: c.rule, secret: start..<end, body: (start + literalLength)..<end,
                          visiblePrefix: min(literalLength, 12), in: b)
        case .anchored(let before, let count, let pattern, let wordBoundary):
            var s = keywordStart
            while s > 0, keywordStart - s < count.upperBound, before.contains(b[s - 1]) { s -= 1 }
            guard count.contains(keywordStart - s) else { return nil }
            if wordBoundary, s > 0, Self.isAlnum(b[s - 1]) { return nil }
            guard let end = pattern.match(b, at: keywordStart), rightBoundaryOK(b, end) else { return nil }
            return accept(rule: c.rule, secret: s..<end, body: s..<end, visiblePrefix: 0, in: b)
        case .assigned(let pattern):
            guard let v = valueStart(after: keywordEnd, in: b) else { return nil }
            guard let end = pattern.match(b, at: v.start), rightBoundaryOK(b, end) else { return nil }
            if v.start > 0, Self.isAlnum(b[v.start - 1]) { return nil }
            return accept(rule: c.rule, secret: v.start..<end, body: v.start..<end, visiblePrefix: 0, in: b)
        case .generic(let minLength, let isPassword):
            return genericCandidate(c.rule, keywordStart: keywordStart, keywordEnd: keywordEnd, minLength: minLength,
                                    isPassword: isPassword, in: b)
        case .jwt:
            return jwtCandidate(c.rule, start: keywordStart, in: b)
        case .url:
            return urlCandidate(c.rule, schemeEnd: keywordEnd, schemeStart: keywordStart, in: b)
        case .privateKey:
            return privateKeyCandidate(c.rule, start: keywordStart, in: b)
        }
    }

    private func rightBoundaryOK(_ b: UnsafeBufferPointer<UInt8>, _ end: Int) -> Bool {
        end >= b.count || end == 0 || !(Self.isAlnum(b[end]) && Self.isAlnum(b[end - 1]))
    }

    private func accept(rule r: Int, secret: Range<Int>, body: Range<Int>, visiblePrefix: Int,
                        in b: UnsafeBufferPointer<UInt8>) -> Candidate? {
        let rule = rules[r]
        let bodyBytes = UnsafeBufferPointer(rebasing: b[body])
        let entropy = shannonEntropy(bodyBytes)
        if let min = rule.minEntropy, entropy < min { return nil }
        if FalsePositiveFilters.isPlaceholder(bodyBytes) { return nil }
        for example in FalsePositiveFilters.documentedExampleBytes where bytesContain(b[secret], example) { return nil }
        return Candidate(rule: r, priority: rule.priority, secret: secret, visiblePrefix: visiblePrefix,
                         entropy: entropy)
    }

    /// After a name: the rest of the identifier, closing quotes, spaces, an assignment operator, spaces, opening
    /// quotes. Returns where the value starts and which quote (if any) opened it. Bounded look-ahead.
    private func valueStart(after nameEnd: Int, in b: UnsafeBufferPointer<UInt8>) -> (start: Int, quote: UInt8?)? {
        let n = b.count
        var p = nameEnd
        var steps = 0
        while p < n, steps < 64, ByteSet.identifier.contains(b[p]) { p += 1; steps += 1 }
        var q = 0
        while p < n, q < 2, b[p] == UInt8(ascii: "\"") || b[p] == UInt8(ascii: "'") || b[p] == UInt8(ascii: "]") {
            p += 1; q += 1
        }
        var s = 0
        while p < n, s < 16, b[p] == 0x20 || b[p] == 0x09 { p += 1; s += 1 }
        guard p < n else { return nil }
        switch b[p] {
        case UInt8(ascii: "="):
            p += 1
            if p < n, b[p] == UInt8(ascii: "=") { return nil }        // a comparison, not an assignment
            if p < n, b[p] == UInt8(ascii: ">") { p += 1 }
        case UInt8(ascii: ":"):
            p += 1
            if p < n, b[p] == UInt8(ascii: "=") { p += 1 }
        case UInt8(ascii: ">"):
            p += 1
        default:
            return nil
        }
        s = 0
        while p < n, s < 16, b[p] == 0x20 || b[p] == 0x09 { p += 1; s += 1 }
        var quote: UInt8? = nil
        q = 0
        while p < n, q < 2, b[p] == UInt8(ascii: "\"") || b[p] == UInt8(ascii: "'") || b[p] == UInt8(ascii: "`") {
            quote = b[p]; p += 1; q += 1
        }
        guard p < n else { return nil }
        return (p, quote)
    }

    private func genericCandidate(_ r: Int, keywordStart: Int, keywordEnd: Int, minLength: Int, isPassword: Bool,
                                  in b: UnsafeBufferPointer<UInt8>) -> Candidate? {
        guard let v = valueStart(after: keywordEnd, in: b) else { return nil }
        // The identifier around the name says whether it is about the credential or is the credential.
        var tailEnd = keywordEnd
        while tailEnd < b.count, tailEnd - keywordEnd < 64, ByteSet.identifier.contains(b[tailEnd]) { tailEnd += 1 }
        var nameStart = keywordStart
        while nameStart > 0, keywordStart - nameStart < 64, ByteSet.identifier.contains(b[nameStart - 1]) {
            nameStart -= 1
        }
        let tail = asciiLowercased(b[keywordEnd..<min(b.count, tailEnd + 1)])
        let head = asciiLowercased(b[nameStart..<keywordStart])
        for t in FalsePositiveFilters.nameTailBytes where bytesContain(tail, t) { return nil }
        for h in FalsePositiveFilters.nameHeadsThatAreNotSecrets where bytesContain(head, h) { return nil }
        var end = v.start
        let limit = min(b.count, v.start + 257)
        if let q = v.quote {
            while end < limit, b[end] != q, b[end] != 0x0A { end += 1 }
            guard end < b.count, b[end] == q else { return nil }
        } else {
            while end < limit, !ByteSet.whitespace.contains(b[end]), b[end] != UInt8(ascii: ","),
                b[end] != UInt8(ascii: ";"), b[end] != UInt8(ascii: "&"), b[end] != UInt8(ascii: "\""),
                b[end] != UInt8(ascii: "'"), b[end] != UInt8(ascii: ")"), b[end] != UInt8(ascii: "}"),
                b[end] != UInt8(ascii: "<") {
                // "a=b=c" chains are not a value (base64 padding "==" at the end still is).
                if b[end] == UInt8(ascii: "="), end + 1 < b.count, Self.isAlnum(b[end + 1]) { return nil }
                end += 1
            }
        }
        let len = end - v.start
        guard len >= minLength, len <= 256 else { return nil }
        let value = UnsafeBufferPointer(rebasing: b[v.start..<end])
        if FalsePositiveFilters.isUnlikelyGenericValue(value, quoted: v.quote != nil, isPassword: isPassword) {
            return nil
        }
        return accept(rule: r, secret: v.start..<end, body: v.start..<end, visiblePrefix: 0, in: b)
    }

    private static let jwtPattern = TokenPattern("eyJ[A-Za-z0-9_\\-]{8,8000}.[A-Za-z0-9_\\-]{8,16000}.[A-Za-z0-9_\\-]{0,4000}")
    private static let base64URL = ByteSet(classBody: Array("A-Za-z0-9_\\-".utf8))

    private func jwtCandidate(_ r: Int, start: Int, in b: UnsafeBufferPointer<UInt8>) -> Candidate? {
        if start > 0, Self.base64URL.contains(b[start - 1]) || b[start - 1] == UInt8(ascii: ".") { return nil }
        guard let end = Self.jwtPattern.match(b, at: start), rightBoundaryOK(b, end) else { return nil }
        var headerEnd = start
        while b[headerEnd] != UInt8(ascii: ".") { headerEnd += 1 }
        guard let header = Base64.decode(b[start..<headerEnd], urlSafe: true),
              let text = String(validating: header, as: UTF8.self),
              text.hasPrefix("{"), text.contains("\"alg\"") else { return nil }
        return accept(rule: r, secret: start..<end, body: (headerEnd + 1)..<end, visiblePrefix: 3, in: b)
    }

    private static let userinfoStop = ByteSet(" \t\r\n/?#\"'<>`\\[]{}()|,;")

    private func urlCandidate(_ r: Int, schemeEnd: Int, schemeStart: Int, in b: UnsafeBufferPointer<UInt8>)
        -> Candidate? {
        if schemeStart > 0, Self.isAlnum(b[schemeStart - 1]) || b[schemeStart - 1] == UInt8(ascii: "+") {
            return nil
        }
        var p = schemeEnd
        var colon = -1, at = -1
        let limit = min(b.count, schemeEnd + 512)
        while p < limit, !Self.userinfoStop.contains(b[p]) {
            if b[p] == UInt8(ascii: ":"), colon < 0 { colon = p }
            if b[p] == UInt8(ascii: "@") { at = p }
            p += 1
        }
        guard colon > schemeEnd, at > colon + 1, at + 1 < b.count, Self.isAlnum(b[at + 1]) else { return nil }
        let pw = UnsafeBufferPointer(rebasing: b[(colon + 1)..<at])
        if pw.allSatisfy({ ByteSet.digits.contains($0) }) && pw.count <= 5 { return nil }  // host:port@ shapes
        let lower = String(decoding: pw, as: UTF8.self).lowercased()
        if FalsePositiveFilters.nonValues.contains(lower) || ["pass", "pw", "pwd", "x-oauth-basic", "xxx", "***",
            "secret", "changeme", "passw0rd", "p@ssw0rd", "user", "username"].contains(lower) { return nil }
        return accept(rule: r, secret: (colon + 1)..<at, body: (colon + 1)..<at, visiblePrefix: 0, in: b)
    }

    private static let pemKinds: [(label: String, kind: String)] = [
        ("RSA PRIVATE KEY", "rsa-private-key"), ("EC PRIVATE KEY", "ec-private-key"),
        ("DSA PRIVATE KEY", "dsa-private-key"), ("OPENSSH PRIVATE KEY", "openssh-private-key"),
        ("PGP PRIVATE KEY BLOCK", "pgp-private-key"), ("ENCRYPTED PRIVATE KEY", "encrypted-private-key"),
        ("PRIVATE KEY", "pkcs8-private-key"), ("SSH2 ENCRYPTED PRIVATE KEY", "ssh2-encrypted-private-key"),
    ]
    private static let base64Body = ByteSet(classBody: Array("A-Za-z0-9+/=".utf8))

    private func privateKeyCandidate(_ r: Int, start: Int, in b: UnsafeBufferPointer<UInt8>) -> Candidate? {
        let n = b.count
        var kind: String
        var p: Int
        if b[start] == UInt8(ascii: "P") || b[start] == UInt8(ascii: "p") {
            // PuTTY: header lines, then "Private-Lines: N" and the base64 body.
            guard let idx = find("Private-Lines:", in: b, from: start, within: 4096) else { return nil }
            kind = "putty-private-key"
            p = idx
            while p < n, b[p] != 0x0A { p += 1 }
        } else {
            // "-----BEGIN <LABEL>-----" or "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----"
            var q = start
            while q < n, b[q] == UInt8(ascii: "-") { q += 1 }
            while q < n, b[q] == 0x20 { q += 1 }
            guard q + 6 <= n, b[q..<q + 6].elementsEqual("BEGIN ".utf8) else { return nil }
            q += 6
            let labelStart = q
            while q < n, q - labelStart < 40, b[q] != UInt8(ascii: "-") { q += 1 }
            let label = String(decoding: b[labelStart..<q], as: UTF8.self).trimmingSpaces()
            guard let entry = Self.pemKinds.first(where: { $0.label == label }) else { return nil }
            kind = entry.kind
            while q < n, b[q] == UInt8(ascii: "-") { q += 1 }
            p = q
        }
        // Body: base64, whitespace, escaped newlines and header lines ("Proc-Type: …"), until END or a stop byte.
        var base64Count = 0
        var counts = [Int](repeating: 0, count: 256)
        let limit = min(n, p + 65536)
        var end = p
        while end < limit {
            let c = b[end]
            if c == UInt8(ascii: "-") { break }
            if Self.base64Body.contains(c) { base64Count += 1; counts[Int(c)] += 1 }
            else if c == UInt8(ascii: "\\") || ByteSet.whitespace.contains(c) || c == UInt8(ascii: ":")
                || c == UInt8(ascii: ",") || c == UInt8(ascii: "-") {
                // allowed separators
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                break
            } else { return nil }
            end += 1
        }
        guard base64Count >= 64 else { return nil }
        // Include the END line when present.
        if end < n, b[end] == UInt8(ascii: "-") {
            var q = end
            while q < n, q - end < 80, b[q] != 0x0A, b[q] != UInt8(ascii: "\""), b[q] != UInt8(ascii: "\\") { q += 1 }
            end = q
        }
        var entropy = 0.0
        let total = Double(base64Count)
        for c in counts where c > 0 { let pr = Double(c) / total; entropy -= pr * pr.log2Value }
        let rule = rules[r]
        if let min = rule.minEntropy, entropy < min { return nil }
        var cand = Candidate(rule: r, priority: rule.priority, secret: start..<end, visiblePrefix: 0, entropy: entropy)
        cand.kindOverride = kind
        return cand
    }

    private func find(_ needle: String, in b: UnsafeBufferPointer<UInt8>, from: Int, within: Int) -> Int? {
        let nd = Array(needle.utf8)
        let limit = min(b.count - nd.count, from + within)
        var i = from
        while i <= limit {
            if b[i] == nd[0], b[i..<i + nd.count].elementsEqual(nd) { return i + nd.count }
            i += 1
        }
        return nil
    }

    // MARK: - Overlaps and previews

    static func resolveOverlaps(_ candidates: [Candidate]) -> [Candidate] {
        let sorted = candidates.sorted {
            $0.secret.lowerBound != $1.secret.lowerBound ? $0.secret.lowerBound < $1.secret.lowerBound
                : ($0.priority != $1.priority ? $0.priority > $1.priority : $0.secret.count > $1.secret.count)
        }
        var kept: [Candidate] = []
        for c in sorted {
            if let last = kept.last, last.secret.overlaps(c.secret) {
                if c.priority > last.priority || (c.priority == last.priority && c.secret.count > last.secret.count) {
                    kept[kept.count - 1] = c
                }
                continue
            }
            kept.append(c)
        }
        return kept
    }

    /// `ghp_ab…(40 chars)`: the format prefix, at most two more characters for long secrets, and the length.
    static func preview(_ secret: UnsafeBufferPointer<UInt8>, visiblePrefix: Int) -> String {
        let extra = secret.count >= 24 ? 2 : 0
        let shown = min(secret.count / 2, visiblePrefix + extra)
        let head = String(decoding: secret[0..<shown], as: UTF8.self)
        return "\(head)…(\(secret.count) chars)"
    }
}

extension Double {
    var log2Value: Double { shannonLog2(self) }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
