/// The policy's `Bash(…)` rules compiled once for the hot path: indexed by the program their pattern names,
/// in deny, ask, allow order, each also in canonical flag spelling (deny/ask only) so `rm -r -f` is caught by
/// `Bash(rm -rf *)`.
struct BashRuleIndex: Sendable {
    /// One compiled rule. A class: the matching loop copies entries, and a copy of a class is one retain where
    /// a struct of two patterns is a dozen.
    final class Entry: Sendable {
        let effect: Decision
        let reference: Int
        let pattern: BashPattern?
        /// The pattern in canonical flag spelling, when it differs (deny and ask rules only).
        let canonical: BashPattern?
        /// What a canonical command line must start with to match (`BashPattern.requiredPrefix`).
        let canonicalPrefix: [UInt8]

        init(effect: Decision, reference: Int, pattern: BashPattern?, canonical: BashPattern?) {
            self.effect = effect
            self.reference = reference
            self.pattern = pattern
            self.canonical = canonical
            self.canonicalPrefix = (canonical ?? pattern)?.requiredPrefix ?? []
        }
    }

    private var byProgram: [String: [Entry]] = [:]
    private var anyProgram: [Entry] = []
    private var references: [RuleReference] = []
    /// The reason a match gives (`allowed by rule Bash(git diff *) (clawguard.yaml:12)`), built once per rule.
    private var reasons: [String] = []
    /// Programs some deny/ask rule has a canonical spelling for: only these need a canonical command line.
    private var canonicalPrograms: Set<String> = []
    private var canonicalAny = false

    init(_ rules: [(effect: Decision, rule: RuleReference, specifier: String?)]) {
        // Deny first, then ask, then allow, whatever the order they were written in.
        let ordered = rules.enumerated().sorted { a, b in
            a.element.effect != b.element.effect ? a.element.effect > b.element.effect : a.offset < b.offset
        }.map(\.element)
        for rule in ordered {
            references.append(rule.rule)
            reasons.append(BashRuleIndex.reason(rule.effect, rule.rule))
            let pattern = rule.specifier.map { BashPattern($0) }
            var canonicalPattern: BashPattern?
            if rule.effect != .allow, let specifier = rule.specifier, let canonical = FlagCanonicalizer.canonicalizeSpecifier(specifier) {
                canonicalPattern = BashPattern(canonical)
            }
            let entry = Entry(effect: rule.effect, reference: references.count - 1, pattern: pattern, canonical: canonicalPattern)
            if let program = pattern?.program {
                byProgram[program, default: []].append(entry)
                if entry.canonical != nil || entry.effect != .allow { canonicalPrograms.insert(program) }
            } else {
                anyProgram.append(entry)
                if entry.effect != .allow { canonicalAny = true }
            }
        }
    }

    /// The explanation of a rule match: the text the judge gives when the rule decides.
    static func reason(_ effect: Decision, _ rule: RuleReference) -> String {
        switch effect {
        case .deny: "matches deny rule \(rule)"
        case .ask: "matches ask rule \(rule)"
        case .allow: "allowed by rule \(rule)"
        }
    }

    /// The bytes the canonical command line (`FlagCanonicalizer.canonicalize`) starts with whenever it differs
    /// from the original: the program, then (for git) the first word that is not a flag and a space, then a
    /// flag (a canonical line that differs has at least one flag, and flags come first).
    static func canonicalStart(_ invocation: Invocation) -> [UInt8] {
        var bytes = Array(invocation.program.utf8)
        bytes.append(UInt8(ascii: " "))
        if invocation.program == "git",
            let first = invocation.words.dropFirst().first(where: { word in
                // The same test as the canonicalizer's (`--` counts as a flag there).
                let text = word.text
                return text == "-" || !text.hasPrefix("-") || text == "*"
            })
        {
            bytes.append(contentsOf: first.text.utf8)
            bytes.append(UInt8(ascii: " "))
        } else {
            bytes.append(UInt8(ascii: "-"))
        }
        return bytes
    }

    /// True when one of `a` and `b` is a prefix of the other.
    static func compatible(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let n = min(a.count, b.count)
        var k = 0
        while k < n {
            if a[k] != b[k] { return false }
            k += 1
        }
        return true
    }

    /// The strongest rule matching an invocation, with its reason (`BashRuleIndex.reason`).
    func match(_ invocation: Invocation) -> (Decision, RuleReference, reason: String)? {
        let candidates = byProgram[invocation.program]
        if candidates == nil && anyProgram.isEmpty { return nil }
        var line = invocation.ruleText
        let hasFlags = invocation.words.dropFirst().contains { $0.text.utf8.first == UInt8(ascii: "-") }
        var canonical: String??
        // The start of the canonical command line, known without building it (see `canonicalStart`).
        var start: [UInt8]?
        var best: (Decision, Int)?
        line.withUTF8 { buffer in
            func consider(_ entries: [Entry]) {
                for entry in entries {
                    if let current = best, current.0 >= entry.effect { break }
                    var hit = entry.pattern?.matches(utf8: buffer) ?? true
                    if !hit, entry.effect != .allow, hasFlags {
                        if start == nil { start = BashRuleIndex.canonicalStart(invocation) }
                        // A pattern whose literal start differs from the canonical line's cannot match it:
                        // no canonical line is built.
                        if !BashRuleIndex.compatible(entry.canonicalPrefix, start!) { continue }
                        if canonical == nil {
                            canonical = .some(FlagCanonicalizer.canonicalize([invocation.program] + invocation.words.dropFirst().map(\.text)))
                        }
                        if let text = canonical!, let pattern = entry.canonical ?? entry.pattern {
                            hit = pattern.matches(text)
                        }
                    }
                    if hit {
                        if best == nil || entry.effect > best!.0 { best = (entry.effect, entry.reference) }
                        if entry.effect == .deny { return }
                    }
                }
            }
            if let candidates { consider(candidates) }
            if best?.0 != .deny { consider(anyProgram) }
        }
        return best.map { ($0.0, references[$0.1], reasons[$0.1]) }
    }
}
