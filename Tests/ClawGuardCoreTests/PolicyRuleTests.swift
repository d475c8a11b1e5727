import Testing
@testable import ClawGuardCore

@Suite("Permission rule grammar")
struct PolicyRuleTests {
    struct ParseCase: Sendable, CustomStringConvertible {
        var text: String
        var tool: String
        var specifier: String?
        var description: String { text }
    }

    @Test(arguments: [
        ParseCase(text: "Bash", tool: "Bash", specifier: nil),
        ParseCase(text: "Bash(npm run test:*)", tool: "Bash", specifier: "npm run test:*"),
        ParseCase(text: "Bash(git diff *)", tool: "Bash", specifier: "git diff *"),
        ParseCase(text: "Read(./.env)", tool: "Read", specifier: "./.env"),
        ParseCase(text: "Edit(//etc/**)", tool: "Edit", specifier: "//etc/**"),
        ParseCase(text: "Read(~/.ssh/**)", tool: "Read", specifier: "~/.ssh/**"),
        ParseCase(text: "WebFetch(domain:github.com)", tool: "WebFetch", specifier: "domain:github.com"),
        ParseCase(text: "mcp__github", tool: "mcp__github", specifier: nil),
        ParseCase(text: "mcp__github__get_issue", tool: "mcp__github__get_issue", specifier: nil),
        ParseCase(text: "mcp__github__*", tool: "mcp__github__*", specifier: nil),
        ParseCase(text: "  Bash(ls *)  ", tool: "Bash", specifier: "ls *"),
        ParseCase(text: "Bash(echo (hi))", tool: "Bash", specifier: "echo (hi)"),
        ParseCase(text: "Task(Explore)", tool: "Task", specifier: "Explore"),
    ])
    func parsesValidRules(_ c: ParseCase) throws {
        let rule = try PolicyFixtures.rule(c.text)
        #expect(rule.tool == c.tool)
        #expect(rule.specifier == c.specifier)
        #expect(rule.text == c.text.trimmingSpaces())
    }

    struct BadCase: Sendable, CustomStringConvertible {
        var text: String
        var why: String
        var description: String { text }
    }

    @Test(arguments: [
        BadCase(text: "", why: "empty rule"),
        BadCase(text: "Bash(ls", why: "unbalanced"),
        BadCase(text: "Bash(ls))", why: "unbalanced"),
        BadCase(text: "Bash((ls)", why: "unbalanced"),
        BadCase(text: "(ls)", why: "empty tool"),
        BadCase(text: "Bash()", why: "empty specifier"),
        BadCase(text: "Bash ls", why: "not a tool name"),
        BadCase(text: "Ba$h", why: "not a tool name"),
        BadCase(text: "ls)", why: "')' without '('"),
        BadCase(text: "Read([abc)", why: "unclosed '['"),
        BadCase(text: "Edit(~bob/x)", why: "'~user'"),
        BadCase(text: "WebFetch(github.com)", why: "domain:"),
        BadCase(text: "WebFetch(domain:https://x.com/a)", why: "not a host"),
        BadCase(text: "mcp__", why: "MCP rules"),
        BadCase(text: "mcp__srv__to*", why: "'*' is only allowed"),
        BadCase(text: "mcp__srv(x)", why: "no '(…)'"),
        BadCase(text: "Ba*sh", why: "'*' is not allowed in a tool name"),
        BadCase(text: "Read(src/*/../x)", why: "'..' after a wildcard"),
    ])
    func refusesBadRules(_ c: BadCase) {
        do {
            _ = try PolicyFixtures.rule(c.text)
            Issue.record("'\(c.text)' should be refused")
        } catch {
            #expect(error.code == .invalidRule)
            #expect(error.message.contains(c.why), "message was: \(error.message)")
            #expect(error.message.hasPrefix("test:1"), "the message names where the rule was written")
        }
    }

    struct BashCase: Sendable, CustomStringConvertible {
        var pattern: String
        var command: String
        var matches: Bool
        var description: String { "\(pattern) ~ \(command) = \(matches)" }
    }

    @Test(arguments: [
        // Exact
        BashCase(pattern: "npm run build", command: "npm run build", matches: true),
        BashCase(pattern: "npm run build", command: "npm run build --watch", matches: false),
        BashCase(pattern: "npm run build", command: "npm run buil", matches: false),
        // Legacy prefix :* at a word boundary
        BashCase(pattern: "npm run test:*", command: "npm run test", matches: true),
        BashCase(pattern: "npm run test:*", command: "npm run test --coverage", matches: true),
        BashCase(pattern: "npm run test:*", command: "npm run testx", matches: false),
        BashCase(pattern: "npm run test:*", command: "npm run tes", matches: false),
        BashCase(pattern: "git:*", command: "git push origin main", matches: true),
        BashCase(pattern: "git:*", command: "gitk", matches: false),
        // Glob with a space before * = word boundary
        BashCase(pattern: "ls *", command: "ls -la", matches: true),
        BashCase(pattern: "ls *", command: "lsof", matches: false),
        BashCase(pattern: "ls *", command: "ls", matches: true),
        BashCase(pattern: "ls*", command: "lsof", matches: true),
        BashCase(pattern: "ls*", command: "ls -la", matches: true),
        BashCase(pattern: "git diff *", command: "git diff HEAD~1 -- src", matches: true),
        BashCase(pattern: "git diff *", command: "git diff", matches: true),
        BashCase(pattern: "git diff *", command: "git difftool", matches: false),
        BashCase(pattern: "git * main", command: "git push origin main", matches: true),
        BashCase(pattern: "git * main", command: "git push origin dev", matches: false),
        BashCase(pattern: "* --version", command: "node --version", matches: true),
        BashCase(pattern: "* --version", command: "node --help", matches: false),
        BashCase(pattern: "*", command: "rm -rf /", matches: true),
        BashCase(pattern: "echo a*b", command: "echo a/x y/b", matches: true),
        // Escapes
        BashCase(pattern: "echo \\*", command: "echo *", matches: true),
        BashCase(pattern: "echo \\*", command: "echo hi", matches: false),
        BashCase(pattern: "echo \\\\x", command: "echo \\x", matches: true),
        // Unicode and empty
        BashCase(pattern: "echo *", command: "echo héllo wörld", matches: true),
        BashCase(pattern: "ls *", command: "", matches: false),
    ])
    func bashPatterns(_ c: BashCase) {
        #expect(BashPattern(c.pattern).matches(c.command) == c.matches)
    }

    @Test func bashPatternKinds() {
        #expect(BashPattern("npm test").kind == .exact)
        #expect(BashPattern("npm:*").kind == .prefix)
        #expect(BashPattern("npm *").kind == .wildcard)
        #expect(BashPattern("*").kind == .any)
        #expect(BashPattern("a:*b:*").kind == .wildcard)
        #expect(BashPattern("git log *").program == "git")
        #expect(BashPattern("* --version").program == nil)
    }

    struct ScopeCase: Sendable, CustomStringConvertible {
        var rule: String
        var tool: String
        var applies: Bool
        var description: String { "\(rule) → \(tool)" }
    }

    @Test(arguments: [
        ScopeCase(rule: "Edit(src/**)", tool: "Write", applies: true),
        ScopeCase(rule: "Edit(src/**)", tool: "MultiEdit", applies: true),
        ScopeCase(rule: "Edit(src/**)", tool: "NotebookEdit", applies: true),
        ScopeCase(rule: "Edit", tool: "Edit", applies: true),
        ScopeCase(rule: "Edit(src/**)", tool: "Read", applies: false),
        ScopeCase(rule: "Read(.env)", tool: "Grep", applies: true),
        ScopeCase(rule: "Read(.env)", tool: "Glob", applies: true),
        ScopeCase(rule: "Read", tool: "Write", applies: false),
        ScopeCase(rule: "Write(x)", tool: "Edit", applies: true),
        ScopeCase(rule: "mcp__github", tool: "mcp__github__get_issue", applies: true),
        ScopeCase(rule: "mcp__github__*", tool: "mcp__github__create_pr", applies: true),
        ScopeCase(rule: "mcp__github", tool: "mcp__githubx__a", applies: false),
        ScopeCase(rule: "mcp__github__get_issue", tool: "mcp__github__get_issue", applies: true),
        ScopeCase(rule: "mcp__github__get_issue", tool: "mcp__github__create_pr", applies: false),
        ScopeCase(rule: "Bash(ls)", tool: "Bash", applies: true),
        ScopeCase(rule: "Bash(ls)", tool: "bash", applies: false),
        ScopeCase(rule: "WebFetch", tool: "WebSearch", applies: false),
    ])
    func toolScopes(_ c: ScopeCase) throws {
        #expect(try PolicyFixtures.rule(c.rule).applies(toTool: c.tool) == c.applies)
    }

    @Test func pathRulesResolveAgainstTheirBases() throws {
        #expect(try PolicyFixtures.rule("Read(./.env)").matches(path: "/home/alice/project/.env"))
        #expect(try !PolicyFixtures.rule("Read(./.env)").matches(path: "/home/alice/project/sub/.env"))
        #expect(try PolicyFixtures.rule("Read(.env)").matches(path: "/home/alice/project/sub/.env"))
        #expect(try PolicyFixtures.rule("Edit(//etc/**)").matches(path: "/etc/passwd"))
        #expect(try PolicyFixtures.rule("Read(~/.ssh/**)").matches(path: "/home/alice/.ssh/id_rsa"))
        #expect(try PolicyFixtures.rule("Edit(/docs/**)").matches(path: "/home/alice/project/conf/docs/a.md"))
        #expect(try !PolicyFixtures.rule("Edit(/docs/**)").matches(path: "/docs/a.md"))
    }

    @Test(arguments: [
        ("WebFetch(domain:github.com)", "github.com", true),
        ("WebFetch(domain:github.com)", "GitHub.com.", true),
        ("WebFetch(domain:github.com)", "api.github.com", false),
        ("WebFetch(domain:*.github.com)", "api.github.com", true),
        ("WebFetch(domain:*.github.com)", "github.com", false),
        ("WebFetch(domain:*.github.com)", "evilgithub.com", false),
        ("WebFetch", "anything.example", true),
    ])
    func webFetchDomains(_ rule: String, _ host: String, _ expected: Bool) throws {
        #expect(try PolicyFixtures.rule(rule).matches(host: host) == expected)
    }

    @Test func policyOrdersDenyAskAllowAndIndexesTools() throws {
        let rules = try [
            PolicyFixtures.rule("Bash(git *)", .allow),
            PolicyFixtures.rule("Bash(git push *)", .ask),
            PolicyFixtures.rule("Bash(git push --force *)", .deny),
            PolicyFixtures.rule("Read", .allow),
            PolicyFixtures.rule("mcp__db", .deny),
        ]
        let policy = Policy(profileName: "t", mode: .default, sources: [], rules: rules, home: PolicyFixtures.home, cwd: PolicyFixtures.cwd)
        #expect(policy.rules.map(\.effect) == [.deny, .deny, .ask, .allow, .allow])
        #expect(policy.rule(forCommand: "git push --force origin main")?.effect == .deny)
        #expect(policy.rule(forCommand: "git push origin main")?.effect == .ask)
        #expect(policy.rule(forCommand: "git status")?.effect == .allow)
        #expect(policy.rule(forCommand: "rm -rf /") == nil)
        #expect(policy.rules(matchingTool: "Grep").map(\.text) == ["Read"])
        #expect(policy.rule(forBareTool: "mcp__db__query")?.effect == .deny)
        #expect(policy.rules(matchingTool: "Write").isEmpty)
    }
}

@Suite("Policy rule lookups")
struct PolicyLookupTests {
    @Test func hostAndArgumentLookups() throws {
        let rules = try [
            PolicyFixtures.rule("WebFetch(domain:*.example.com)", .allow),
            PolicyFixtures.rule("WebFetch(domain:evil.example.com)", .deny),
            PolicyFixtures.rule("Task(Explore)", .allow),
            PolicyFixtures.rule("Task(*)", .ask),
        ]
        let policy = Policy(profileName: "t", mode: .default, sources: [], rules: rules, home: PolicyFixtures.home, cwd: PolicyFixtures.cwd)
        #expect(policy.rule(forTool: "WebFetch", host: "evil.example.com")?.effect == .deny)
        #expect(policy.rule(forTool: "WebFetch", host: "docs.example.com")?.effect == .allow)
        #expect(policy.rule(forTool: "WebFetch", host: "example.org") == nil)
        #expect(policy.rule(forTool: "Task", argument: "Explore")?.effect == .ask)  // ask beats allow
        #expect(policy.rule(forTool: "Task", argument: "Plan")?.effect == .ask)
    }

    @Test func duplicateRulesFromLayersCollapse() throws {
        let r = try PolicyFixtures.rule("Bash(ls)", .allow)
        let policy = Policy(profileName: "t", mode: .default, sources: [], rules: [r, r, r], home: "/h", cwd: "/")
        #expect(policy.rules.count == 1)
    }
}
