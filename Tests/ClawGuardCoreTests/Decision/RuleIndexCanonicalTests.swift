import Testing

@testable import ClawGuardCore

/// Deny and ask rules catch other flag spellings through the canonical command line; the rule index skips
/// building it for a rule whose literal start cannot match (`BashRuleIndex.canonicalStart`). These cases pin
/// both sides: spellings that must still be caught, and the rule text the verdict names.
@Suite struct RuleIndexCanonicalTests {
    static let policy = """
        version: 1
        default_profile: p
        profiles:
          p:
            mode: default
            permissions:
              allow:
                - Bash(git *)
                - Bash(rm *)
                - Bash(chmod *)
              ask:
                - Bash(git push -f *)
              deny:
                - Bash(rm -rf *)
                - Bash(git reset --hard *)
                - Bash(chmod -R *)
        """

    @Test(arguments: [
        // Flags after the subcommand, other spellings of the same flag (git: subcommand stays first).
        ("git push origin main --force", Decision.ask, "Bash(git push -f *)"),
        ("git push --force origin main", .ask, "Bash(git push -f *)"),
        ("git push -f origin main", .ask, "Bash(git push -f *)"),
        ("git reset HEAD~1 --hard", .deny, "Bash(git reset --hard *)"),
        // Other programs: flags split, aliased and sorted.
        ("rm -r -f build", .deny, "Bash(rm -rf *)"),
        ("rm --force --recursive build", .deny, "Bash(rm -rf *)"),
        ("rm build -fr", .deny, "Bash(rm -rf *)"),
        ("chmod --recursive 777 x", .deny, "Bash(chmod -R *)"),
        // Not caught: other subcommands and flags fall to the allow rule.
        ("git push origin main", .allow, "Bash(git *)"),
        ("git log --oneline -5", .allow, "Bash(git *)"),
        ("rm -f build", .allow, "Bash(rm *)"),
    ])
    func canonicalSpellings(_ command: String, _ expected: Decision, _ rule: String) throws {
        let engine = try makeEngine(Self.policy)
        let verdict = engine.decideBash(command, cwd: "/work/project")
        #expect(verdict.decision == expected, "\(command): \(verdict.reason)")
        #expect(verdict.rule?.hasPrefix(rule) == true, "\(command): rule \(verdict.rule ?? "nil")")
    }

    @Test func canonicalStartMatchesTheCanonicalizer() {
        // Whenever the canonicalizer rewrites a command line, the rewritten line starts with `canonicalStart`.
        let commands = [
            "git push origin main --force", "git --no-pager log -5 --stat", "git -C . status -s", "rm build -fr",
            "tar --extract --file a.tar", "git - -x", "git -- push -f", "curl -sSL -o out https://x", "git * -f",
        ]
        for command in commands {
            let words = command.split(separator: " ").map(String.init)
            guard let canonical = FlagCanonicalizer.canonicalize(words) else { continue }
            let invocation = Invocation(
                words: words.map { ShellWord(parts: [.literal($0, quoted: false)]) }, program: words[0], dynamicName: false,
                context: "top", shellContext: [])
            let start = BashRuleIndex.canonicalStart(invocation)
            #expect(Array(canonical.utf8).starts(with: start), "\(command) → \(canonical)")
        }
    }
}
