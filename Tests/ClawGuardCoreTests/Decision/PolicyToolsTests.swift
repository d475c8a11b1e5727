import Testing
@testable import ClawGuardCore

@Suite struct PolicyToolsTests {
    @Test func probeHoldsAgainstTheEvaluationPolicy() throws {
        let engine = try Evaluation.engine()
        let allows = (engine.rules as! Policy).rules(.allow).filter { $0.tool == "Bash" }.compactMap(\.specifier)
        let attempts = PolicyProbe(engine: engine).run(allowRules: allows, cwd: "/home/dev/project")
        #expect(attempts.count > 200)
        let holes = attempts.filter(\.isHole)
        #expect(holes.isEmpty, "\(holes.map(\.command))")
    }

    @Test func probeFindsHolesInAPermissivePolicy() throws {
        let yaml = """
            version: 1
            default_profile: p
            profiles:
              p:
                mode: bypassPermissions
                permissions:
                  allow: ["Bash(find *)", "Bash(git log *)"]
            """
        let engine = try makeEngine(yaml)
        let attempts = PolicyProbe(engine: engine).run(allowRules: ["find *", "git log *"], cwd: "/work/project")
        #expect(attempts.contains { $0.isHole && $0.command.contains("-exec") })
        #expect(attempts.contains { $0.isHole && $0.command.contains("--ext-diff") })
    }

    @Test func probePrefixes() {
        #expect(PolicyProbe.prefix(of: "git diff *") == "git diff")
        #expect(PolicyProbe.prefix(of: "npm run test:*") == "npm run test")
        #expect(PolicyProbe.prefix(of: "git status") == nil)
    }

    @Test func testSuiteRunsAndReportsLines() throws {
        let yaml = """
            cases:
              - name: reads a key
                call: cat ~/.ssh/id_rsa
                expect: deny
              - call: git status
                expect: allow
              - call: {tool: Read, input: {file_path: /work/project/README.md}}
                expect: allow
              - call: make
                expect: deny
            """
        let suite = try PolicyTestSuite(yaml: yaml, name: "t.yaml", defaultCwd: "/work/project")
        let results = suite.run(try makeEngine())
        #expect(results.map(\.passed) == [true, true, true, false])
        #expect(results[3].testCase.line == 9)
    }

    @Test func testSuiteRefusesMalformedFiles() {
        for bad in ["- call: ls\n  expect: maybe", "- call: ls\n  expect: allow\n  extra: 1", "just text", "- expect: allow", "- call: {tool: Read}\n  expect: allow"] {
            #expect(throws: ClawGuardError.self) { try PolicyTestSuite(yaml: bad, name: "t.yaml", defaultCwd: "/") }
        }
    }

    @Test func canonicalFlags() {
        #expect(FlagCanonicalizer.canonicalize(["rm", "-r", "-f", "x"]) == "rm -f -r x")
        #expect(FlagCanonicalizer.canonicalize(["rm", "--recursive", "--force", "x"]) == "rm -f -r x")
        #expect(FlagCanonicalizer.canonicalize(["rm", "-f", "-r", "x"]) == nil)
        #expect(FlagCanonicalizer.canonicalizeSpecifier("rm -rf *") == "rm -f -r *")
        #expect(FlagCanonicalizer.canonicalize(["git", "push", "--force", "origin"]) == "git push -f origin")
        #expect(FlagCanonicalizer.canonicalize(["find", ".", "-delete"]) == nil)
    }

    @Test func lexicalPaths() {
        #expect(PathText.absolute("~/x/../.ssh//id_rsa", cwd: "/w", home: "/home/dev") == "/home/dev/.ssh/id_rsa")
        #expect(PathText.absolute("a/./b/../c", cwd: "/w/p", home: "/h") == "/w/p/a/c")
        #expect(PathText.absolute("../../../../etc/passwd", cwd: "/w/p", home: "/h") == "/etc/passwd")
        #expect(PathText.absolute("$HOME/.netrc", cwd: "/w", home: "/home/dev") == "/home/dev/.netrc")
    }

    @Test func sedScripts() {
        for script in ["e id", "1e id", "$e id", "s/a/b/e", "s|a|b|ge", "/x/e id", "p;e id"] { #expect(SedScript.runsCommands(script), "\(script)") }
        for script in ["1,40p", "s/e/f/", "s/a/b/g", "/e/d", "y/abc/xyz/", "s/echo/x/"] { #expect(!SedScript.runsCommands(script), "\(script)") }
    }
}
