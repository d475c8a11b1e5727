/// The policy's `Bash(…)` rules compiled once for the hot path: indexed by the program their pattern names,
/// in deny, ask, allow order, each also in canonical flag spelling (deny/ask only) so `rm -r -f` is caught by
/// `Bash(rm -rf *)`.
struct BashRuleIndex: Sendable {
    struct Entry: Sendable {
        var effect: Decision
        var reference: Int
        var pattern: BashPattern?
        /// The pattern in canonical flag spelling, when it differs (deny and ask rules only).
        var canonical: BashPattern?
    }

    private var byProgram: [String: [Entry]] = [:]
    private var anyProgram: [Entry] = []
    private var references: [RuleReference] = []
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
            let pattern = rule.specifier.map { BashPattern($0) }
            var entry = Entry(effect: rule.effect, reference: references.count - 1, pattern: pattern, canonical: nil)
            if rule.effect != .allow, let specifier = rule.specifier, let canonical = FlagCanonicalizer.canonicalizeSpecifier(specifier) {
                entry.canonical = BashPattern(canonical)
            }
            if let program = pattern?.program {
                byProgram[program, default: []].append(entry)
                if entry.canonical != nil || entry.effect != .allow { canonicalPrograms.insert(program) }
            } else {
                anyProgram.append(entry)
                if entry.effect != .allow { canonicalAny = true }
            }
        }
    }

    /// The strongest rule matching an invocation.
    func match(_ invocation: Invocation) -> (Decision, RuleReference)? {
        let line = invocation.ruleText
        let hasFlags = invocation.words.dropFirst().contains { $0.text.hasPrefix("-") }
        var canonical: String??
        var best: (Decision, Int)?
        func consider(_ entries: [Entry]) {
            for entry in entries {
                if let current = best, current.0 >= entry.effect { break }
                var hit = entry.pattern?.matches(line) ?? true
                if !hit, entry.effect != .allow, hasFlags {
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
        if let entries = byProgram[invocation.program] { consider(entries) }
        if best?.0 != .deny { consider(anyProgram) }
        return best.map { ($0.0, references[$0.1]) }
    }
}
