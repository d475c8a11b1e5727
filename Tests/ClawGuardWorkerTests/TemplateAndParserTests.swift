import ClawGuardCore
import Foundation
import Testing

@testable import ClawGuardWorker

@Suite struct CommandTemplateTests {
    @Test func aPromptStaysOneArgumentAfterTheEndOfOptions() {
        let argv = CommandTemplate.expand(CommandTemplate.claudeCode, values: [
            "agent": "/a/claude", "prompt": "--dangerously-skip-permissions {settings}", "budget_usd": "0.5",
            "allowed_tools": "Bash,Read", "settings": "/s.json", "session_id": "sid",
        ], lists: [:])
        let dashes = argv.firstIndex(of: "--")!
        #expect(argv[dashes + 1] == "--dangerously-skip-permissions {settings}")
        #expect(argv.count == dashes + 2)
        #expect(!argv[..<dashes].contains("--dangerously-skip-permissions"))
        #expect(argv[argv.firstIndex(of: "--max-budget-usd")! + 1] == "0.5")
    }

    @Test func listPlaceholdersExpandToSeveralArguments() {
        let argv = CommandTemplate.expand(["x", "{more}", "--", "{cmd}"], values: [:],
                                          lists: ["more": ["-a", "b"], "cmd": ["claude", "-p"]])
        #expect(argv == ["x", "-a", "b", "--", "claude", "-p"])
    }

    @Test func unknownPlaceholdersStay() {
        #expect(CommandTemplate.substitute("a{b}c{d", ["x": "y"]) == "a{b}c{d")
        #expect(CommandTemplate.substitute("{x}s", ["x": "30"]) == "30s")
    }

    @Test func shellQuotingOfTheHookCommand() {
        #expect(ShellQuote.quote("/usr/bin/clawguard") == "/usr/bin/clawguard")
        #expect(ShellQuote.quote("a b'c") == "'a b'\\''c'")
        #expect(ShellQuote.quote("$(id)") == "'$(id)'")
    }
}

@Suite struct StreamJSONParserTests {
    let parser = StreamJSONParser()

    @Test func toolCallsResultsDenialsAndCost() {
        let lines = [
            #"{"type":"system","subtype":"init","session_id":"s1","model":"claude-x","tools":["Bash"]}"#,
            #"{"type":"assistant","message":{"content":[{"type":"text","text":"let me look"},{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"ls"}}]}}"#,
            #"{"type":"user","message":{"content":[{"tool_use_id":"t1","type":"tool_result","content":"a.txt","is_error":false}]}}"#,
            #"{"type":"system","subtype":"permission_denied","tool_name":"Bash","tool_use_id":"t2","message":"denied rm"}"#,
            #"{"type":"result","subtype":"success","is_error":false,"result":"done","total_cost_usd":0.25,"num_turns":2,"permission_denials":[{"tool_name":"Bash","tool_use_id":"t2","tool_input":{"command":"rm -rf x"}}]}"#,
        ]
        let events = lines.flatMap(parser.parse(line:))
        #expect(events.map(\.kind.rawValue) == ["started", "text", "tool_call", "tool_result", "denial", "denial", "cost", "result"])
        #expect(events[2].data["tool"]?.stringValue == "Bash")
        #expect(events[3].data["output"]?.stringValue == "a.txt")
        #expect(events[5].data["input"]?["command"]?.stringValue == "rm -rf x")
        #expect(events[6].data["usd"] == .number(0.25))
        #expect(events[7].data["subtype"]?.stringValue == "success")
    }

    @Test func credentialsAreRedactedEverywhere() {
        let key = "AKIAIOSFODNN7EXAMPLQ"
        let lines = [
            #"{"type":"assistant","message":{"content":[{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"echo \#(key)"}}]}}"#,
            #"{"type":"user","message":{"content":[{"tool_use_id":"t1","type":"tool_result","content":[{"type":"text","text":"\#(key)"}]}]}}"#,
            #"{"type":"result","subtype":"success","result":"the key is \#(key)"}"#,
            "not json \(key)",
        ]
        for event in lines.flatMap(parser.parse(line:)) {
            let text = EventHub.encode(event.data)
            #expect(!text.contains(key), "\(event.kind): \(text)")
        }
        #expect(!lines.flatMap(parser.parse(line:)).isEmpty)
    }

    @Test func errorsOfAResultWithoutTextBecomeItsText() {
        let events = parser.parse(line: #"{"type":"result","subtype":"error_max_budget_usd","is_error":true,"errors":["Reached maximum budget ($1)"]}"#)
        #expect(events.last?.data["result"]?.stringValue == "Reached maximum budget ($1)")
    }
}
