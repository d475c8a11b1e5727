import Foundation
import Testing

@Suite(.serialized) struct CheckCLITests {
    let policy = CLI.root.appendingPathComponent("Tests/Eval/policy.yaml").path

    @Test func exitStatusFollowsTheDecision() throws {
        let dir = try CLI.temporaryDirectory()
        let allow = try CLI.run(["check", "--policy", policy, "git status"], cwd: dir)
        #expect(allow.status == 0, "\(allow.stdout)\(allow.stderr)")
        #expect(allow.stdout.hasPrefix("ALLOW"))
        let ask = try CLI.run(["check", "--policy", policy, "make install && curl https://evil.example"], cwd: dir)
        #expect(ask.status == 3)
        let deny = try CLI.run(["check", "--policy", policy, "--", "sudo", "rm", "-rf", "/"], cwd: dir)
        #expect(deny.status == 2)
        #expect(deny.stdout.contains("Bash(sudo *)"))
        let broken = try CLI.run(["check", "--policy", dir + "/missing.yaml", "ls"], cwd: dir)
        #expect(broken.status == 1)
        #expect(!broken.stderr.isEmpty)
    }

    @Test func jsonOutput() throws {
        let result = try CLI.run(["check", "--policy", policy, "--json", "cat ~/.ssh/id_rsa"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["decision"] as? String == "deny")
        #expect(object?.keys.contains("rule") == true)
        #expect((object?["risks"] as? [[String: Any]])?.isEmpty == false)
    }

    @Test func otherTools() throws {
        let read = try CLI.run(["check", "--policy", policy, "--tool", "Read", "~/.ssh/id_rsa"])
        #expect(read.status == 2)
        let fetch = try CLI.run(["check", "--policy", policy, "--tool", "WebFetch", "http://169.254.169.254/"])
        #expect(fetch.status == 2)
        let input = try CLI.run(["check", "--policy", policy, "--tool", "Write", "--input", #"{"file_path":"/tmp/x/.claude/settings.json","content":"{}"}"#])
        #expect(input.status == 2)
        let badInput = try CLI.run(["check", "--policy", policy, "--tool", "Write", "--input", "not json"])
        #expect(badInput.status == 1)
    }

    @Test func jsonlAnswersEveryLineInOrder() throws {
        let lines = [
            #"{"tool":"Bash","input":{"command":"git status"},"cwd":"/home/dev/project"}"#,
            "this is not json",
            #"{"tool_name":"Bash","tool_input":{"command":"rm -rf ~"},"cwd":"/home/dev/project","session_id":"s1","hook_event_name":"PreToolUse"}"#,
            "",
            #"{"tool":"Bash","input":{"command":"ls"},"cwd":"relative/dir"}"#,
            #"{"tool":"Bash"}"#,
            #"[1,2,3]"#,
            #"{"tool":"Read","input":{"file_path":"/home/dev/project/README.md"},"cwd":"/home/dev/project"}"#,
            #"{"tool":"Bash","input":{"command":"echo \u0000"},"cwd":"/tmp"}"#,
        ]
        let result = try CLI.run(["check", "--jsonl", "--policy", policy], stdin: lines.joined(separator: "\n") + "\n", environment: ["HOME": "/home/dev"])
        let outputs = result.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(outputs.count == lines.count)
        let decisions = outputs.map { $0?["decision"] as? String }
        #expect(decisions == ["allow", "deny", "deny", "deny", "deny", "deny", "deny", "allow", "deny"])
        let malformed = outputs[1]?["risks"] as? [[String: Any]]
        #expect(malformed?.first?["kind"] as? String == "parse-error")
    }

    @Test func jsonlWithAnUnreadablePolicyDeniesEverything() throws {
        let dir = try CLI.temporaryDirectory()
        try "version: 1\nprofiles: {p: {permissions: {allow: [\"Bash(ls *\"]}}}\n".write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let result = try CLI.run(["check", "--jsonl", "--policy", dir + "/bad.yaml"], stdin: #"{"tool":"Bash","input":{"command":"ls"}}"# + "\n")
        #expect(result.status == 1)
        #expect(result.stdout.contains(#""decision":"deny""#))
    }

    @Test func policyCommands() throws {
        let dir = try CLI.temporaryDirectory()
        let initResult = try CLI.run(["init", "--profile", "builder", "-o", dir + "/clawguard.yaml"], environment: ["CLAWGUARD_STATE": dir + "/state/state.db"])
        #expect(initResult.status == 0, "\(initResult.stderr)")
        // The audit signing key exists, private to its owner.
        let key = try FileManager.default.attributesOfItem(atPath: dir + "/state/audit-ed25519.key")
        #expect((key[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let validate = try CLI.run(["policy", "validate", "--policy", dir + "/clawguard.yaml"])
        #expect(validate.status == 0, "\(validate.stdout)")
        try "version: 1\nprofiles:\n  p:\n    permisions: {}\n".write(toFile: dir + "/typo.yaml", atomically: true, encoding: .utf8)
        let invalid = try CLI.run(["policy", "validate", "--policy", dir + "/typo.yaml"])
        #expect(invalid.status == 1)
        #expect(invalid.stdout.contains("typo.yaml:4"))
        try """
            - call: git status
              expect: allow
            - call: sudo id
              expect: deny
            """.write(toFile: dir + "/cases.yaml", atomically: true, encoding: .utf8)
        let test = try CLI.run(["policy", "test", "--policy", policy, dir + "/cases.yaml"])
        #expect(test.status == 0, "\(test.stdout)")
        #expect(test.stdout.contains("2 passed, 0 failed"))
        let probe = try CLI.run(["policy", "probe", "--policy", policy])
        #expect(probe.status == 0, "\(probe.stdout.suffix(500))")
        let explain = try CLI.run(["policy", "explain", "--policy", policy, "git -c core.pager='sh -c id' log"])
        #expect(explain.stdout.contains("runs code: git -c core.pager"))
    }
}
