import Testing
@testable import ClawGuardScanners

/// The audit trail skips the scanner for text the gate rejects, so the gate must never reject text in which the
/// scanner finds something: it must say yes exactly when the scanner's automaton has a keyword hit.
@Suite struct KeywordGateTests {
    let keywords = CredentialRule.builtIn.flatMap(\.keywords)

    /// Texts with and without keywords: every keyword alone, in other case, inside words and at the ends, and
    /// random text of the alphabets credentials are written in.
    func corpus() -> [String] {
        var random = TestRandom(seed: 0x5EED)
        var texts: [String] = ["", "a", "git status && ls -la src | grep -c swift", "/tmp/hb/none.jsonl",
                               "Bash(git status) (/tmp/hb/bench-policy.yaml:10:11)"]
        for k in keywords {
            texts.append(k)
            texts.append(k.uppercased())
            texts.append("x" + k.lowercased() + random.string(Alphabet.b64u, 30))
            texts.append(random.string(Alphabet.alpha, 5) + " " + String(k.dropLast()))
        }
        for n in [1, 2, 3, 8, 40, 200] {
            for alphabet in [Alphabet.b62, Alphabet.b64, Alphabet.hex, Alphabet.alpha + " =:/._-"] {
                for _ in 0..<60 { texts.append(random.string(alphabet, n)) }
            }
        }
        return texts
    }

    @Test func gateAgreesWithTheAutomaton() {
        let gate = KeywordGate.standard
        let automaton = AhoCorasick(keywords)
        var yes = 0
        for text in corpus() {
            let hit = !automaton.hits(in: Array(text.utf8)).isEmpty
            #expect(gate.mayMatch(text) == hit, "\(text)")
            if hit { yes += 1 }
        }
        #expect(yes > 0)
    }

    @Test func noFindingWhereTheGateSaysNo() {
        let gate = KeywordGate.standard
        let scanner = SecretScanner.standard
        for text in corpus() where !gate.mayMatch(text) {
            #expect(scanner.scan(text).isEmpty, "\(text)")
        }
    }

    @Test func findingsAreAlwaysLetThrough() {
        var random = TestRandom(seed: 7)
        let samples = ["AKIA" + random.string(Alphabet.upperNum, 16), "ghp_" + random.string(Alphabet.b62, 36),
                       "password=" + random.string(Alphabet.b62, 14), "-----BEGIN RSA PRIVATE KEY-----\nMIIE"]
        var detected = 0
        for text in samples where !SecretScanner.standard.scan(text).isEmpty {
            detected += 1
            #expect(KeywordGate.standard.mayMatch(text), "\(text)")
        }
        #expect(detected >= 2)
    }
}

@Suite struct LeadingLiteralTests {
    @Test func cheapLeadingLiteralEqualsThePatterns() {
        var patterns = ["abc", "a\\[b[0-9]{4}", "x{3}", "ab={0,2}[a-z]+", "\\{1}", "", "[a-z]", "sk-\\-x"]
        for rule in CredentialRule.builtIn {
            if case .token(let ps) = rule.shape { patterns += ps }
            if case .anchored(_, _, _, let p, _) = rule.shape { patterns.append(p) }
            #expect(rule.literalKeywords == rule.keywords, "\(rule.id)")
        }
        for p in patterns {
            #expect(TokenPattern.leadingLiteral(of: p) == TokenPattern(p).leadingLiteral, "\(p)")
        }
    }
}
