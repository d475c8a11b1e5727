import Testing
@testable import ClawGuardScanners

@Suite struct CredentialTableTests {
    let rules = CredentialRule.builtIn

    @Test func coversAtLeast150Kinds() {
        // The private-key rule reports eight more kinds (rsa, ec, dsa, openssh, pgp, pkcs8, encrypted, putty/ssh2).
        let kinds = Set(rules.map(\.kind))
        #expect(kinds.count + 8 >= 150, "only \(kinds.count) kinds")
    }

    @Test func ruleIdsAreUnique() {
        var seen = Set<String>()
        for r in rules { #expect(seen.insert(r.id).inserted, "duplicate rule id \(r.id)") }
    }

    @Test func everyRuleHasDescriptionAndUsableKeywords() {
        for r in rules {
            #expect(!r.description.isEmpty, "\(r.id)")
            #expect(!r.keywords.isEmpty, "\(r.id)")
            for k in r.keywords {
                // Very short keywords would make the prefilter fire on ordinary text all the time.
                #expect(k.utf8.count >= 2, "\(r.id): keyword '\(k)' too short")
            }
            if case .token(let patterns) = r.shape {
                for p in patterns {
                    #expect(TokenPattern(p).leadingLiteral.count >= 2, "\(r.id): pattern \(p) has no leading literal")
                }
            }
        }
    }

    /// Greedy matching without backtracking is exact only when a run never swallows what must follow it.
    @Test func patternsAreSafeForGreedyMatching() {
        var patterns: [(String, String)] = []
        for r in rules {
            switch r.shape {
            case .token(let ps): patterns += ps.map { (r.id, $0) }
            case .anchored(_, _, _, let p, _): patterns.append((r.id, p))
            case .assigned(_, let v): patterns.append((r.id, v))
            default: break
            }
        }
        for (id, source) in patterns {
            let pieces = TokenPattern(source).pieces
            for (i, piece) in pieces.enumerated() where i + 1 < pieces.count {
                guard case .run(let set, let lo, let hi) = piece, lo != hi else { continue }
                switch pieces[i + 1] {
                case .literal(let l):
                    #expect(!set.contains(l[0]), "\(id): run in \(source) swallows the literal after it")
                case .run(let next, _, _):
                    var overlap = false
                    for b in 0...255 where set.contains(UInt8(b)) && next.contains(UInt8(b)) { overlap = true }
                    #expect(!overlap, "\(id): adjacent runs overlap in \(source)")
                }
            }
        }
    }

    @Test func entropyThresholdsAreSane() {
        for r in rules {
            if let e = r.minEntropy { #expect(e > 0 && e <= 6, "\(r.id): \(e)") }
        }
    }
}

@Suite struct MatcherTests {
    @Test func ahoCorasickFindsOverlappingKeywordsCaseInsensitively() {
        let ac = AhoCorasick(["he", "she", "his", "hers"])
        let hits = ac.hits(in: Array("uSHErs".utf8))
        #expect(Set(hits.map { "\($0.keyword)@\($0.end)" }) == ["1@4", "0@4", "3@6"])
        #expect(AhoCorasick(["abc"]).hits(in: Array("xxABCxxabc".utf8)).map(\.end) == [5, 10])
        #expect(AhoCorasick([]).hits(in: Array("anything".utf8)).isEmpty)
    }

    @Test func tokenPatternMatchesExactShapes() {
        let p = TokenPattern("ab_[0-9]{3}-[a-f]{2,4}")
        func m(_ s: String) -> Int? { Array(s.utf8).withUnsafeBufferPointer { p.match($0, at: 0) } }
        #expect(m("ab_123-abcd") == 11)
        #expect(m("ab_123-ab") == 9)
        #expect(m("ab_12-ab") == nil)
        #expect(m("ab_123-a") == nil)
        #expect(m("ab_123-abcde") == nil)       // longer than the format allows
        #expect(m("Ab_123-ab") == nil)          // literals are case-sensitive
        let q = TokenPattern("x[=]{0,2}y")
        #expect(Array("x==y".utf8).withUnsafeBufferPointer { q.match($0, at: 0) } == 4)
        let counted = TokenPattern("k={0,2}")
        #expect(Array("k==".utf8).withUnsafeBufferPointer { counted.match($0, at: 0) } == 3)
        let neg = TokenPattern("[^\\s\"]{3,5}")
        #expect(Array("ab c".utf8).withUnsafeBufferPointer { neg.match($0, at: 0) } == nil)
        #expect(Array("abcd\"".utf8).withUnsafeBufferPointer { neg.match($0, at: 0) } == 4)
    }

    @Test func entropyAndHashHelpers() {
        #expect(shannonEntropy(Array("aaaa".utf8)) == 0)
        #expect(abs(shannonEntropy(Array("abcd".utf8)) - 2) < 1e-9)
        #expect(abs(shannonLog2(1024) - 10) < 1e-9)
        #expect(StableHash.short("secret") == StableHash.short("secret"))
        #expect(StableHash.short("secret") != StableHash.short("secreu"))
        // FNV-1a 64 reference value for "a".
        #expect(StableHash.fnv1a64(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
        #expect(Base64.decode(Array("aGVsbG8".utf8)) == Array("hello".utf8))
        #expect(Base64.decode(Array("a$b".utf8)) == nil)
    }
}
