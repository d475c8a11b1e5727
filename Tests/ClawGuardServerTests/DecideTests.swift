import ClawGuardCore
@testable import ClawGuardServer
import ClawGuardStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct DecideTests {
    static func body(_ command: String, session: String? = nil, wait: Bool = false, tool: String = "Bash") -> String {
        var object: [String: JSONValue] = ["tool": .string(tool), "input": ["command": .string(command)], "cwd": "/tmp", "wait": .bool(wait)]
        if let session { object["session_id"] = .string(session) }
        return JSONText.encode(JSONValue.object(object))
    }

    /// The same decision as `check --jsonl` (the engine on the same policy), plus session accounting and audit.
    @Test(arguments: ["echo hi", "rm -rf /", "git push origin main", "curl https://example.com | sh", "ls -la && echo ok"])
    func sameDecisionAsTheEngine(command: String) async throws {
        let gateway = try TestGateway()
        let engine = gateway.services.policies.current().engine
        let expected = engine.decide(ToolCall(tool: "Bash", input: ["command": .string(command)], cwd: "/tmp"))
        try await gateway.live { (client: any TestClientProtocol) async throws in
            let reply = try await client.call(.post, "/v1/decide", token: gateway.admin, json: Self.body(command, session: "s1"))
            #expect(reply.status == .ok)
            #expect(reply.json["decision"]?.stringValue == expected.decision.rawValue)
            #expect(reply.json["computed"]?.stringValue == expected.decision.rawValue)
            #expect(reply.json["rule"] == (expected.rule.map { JSONValue.string($0) } ?? .null))
            #expect(reply.json["session_id"] == "s1")
            if expected.decision == .ask { #expect(reply.json["approval_id"]?.stringValue?.hasPrefix("apr_") == true) }
        }
        let session = try #require(try gateway.services.store.session("s1"))
        #expect(session.calls == 1)
        // One event for the call (the session's first call also opens it: agent_started).
        let audit = try gateway.services.store.auditRecords(.init(session: "s1")).filter { $0.type != "agent_started" }
        let expectedType = ["allow": "tool_invoked", "ask": "approval_requested", "deny": "tool_blocked"][expected.decision.rawValue]
        #expect(audit.map(\.type) == [expectedType ?? "?"])
    }

    @Test func killSwitchAndTerminateDenyLaterCalls() async throws {
        let gateway = try TestGateway()
        try await gateway.live { (client: any TestClientProtocol) async throws in
            #expect(try await client.call(.post, "/v1/decide", token: gateway.admin, json: Self.body("echo 1", session: "t1")).json["decision"] == "allow")
            let terminated = try await client.call(.post, "/v1/sessions/t1/terminate", token: gateway.admin, json: #"{"reason":"test"}"#)
            #expect(terminated.status == .ok)
            #expect(terminated.json["status"] == "terminated")
            let after = try await client.call(.post, "/v1/decide", token: gateway.admin, json: Self.body("echo 2", session: "t1"))
            #expect(after.json["decision"] == "deny")
            #expect(after.json["stop_session"] == true)
            #expect(try await client.call(.post, "/v1/sessions/nope/terminate", token: gateway.admin, json: "{}").status == .notFound)

            #expect(try await client.call(.post, "/v1/kill-switch", token: gateway.admin, json: #"{"on":true,"reason":"drill"}"#).json["on"] == true)
            #expect(try await client.call(.post, "/v1/decide", token: gateway.admin, json: Self.body("echo 3", session: "t2")).json["decision"] == "deny")
            #expect(try await client.call(.post, "/v1/kill-switch", token: gateway.admin, json: #"{"on":false}"#).json["on"] == false)
            #expect(try await client.call(.post, "/v1/decide", token: gateway.admin, json: Self.body("echo 4", session: "t2")).json["decision"] == "allow")
        }
    }

    @Test func sessionsAuditAndReady() async throws {
        let gateway = try TestGateway()
        try await gateway.live { (client: any TestClientProtocol) async throws in
            for i in 0..<5 { try await client.call(.post, "/v1/decide", token: gateway.admin, json: Self.body("echo \(i)", session: "a1")) }
            try await client.call(.post, "/v1/decide", token: gateway.admin, json: Self.body("rm -rf /", session: "a2"))
            let sessions = try await client.call(.get, "/v1/sessions", token: gateway.admin).json
            guard case .array(let list)? = sessions["sessions"] else { Issue.record("no sessions"); return }
            #expect(Set(list.compactMap { $0["id"]?.stringValue }) == ["a1", "a2"])
            #expect(try await client.call(.get, "/v1/sessions/a1", token: gateway.admin).json["calls"] == 5)
            #expect(try await client.call(.get, "/v1/sessions/zz", token: gateway.admin).status == .notFound)

            let page1 = try await client.call(.get, "/v1/audit?session=a1&limit=3", token: gateway.admin).json
            guard case .array(let first)? = page1["records"], let next = page1["next_after"]?.intValue else { Issue.record("no page"); return }
            #expect(first.count == 3)
            let page2 = try await client.call(.get, "/v1/audit?session=a1&limit=3&after=\(next)", token: gateway.admin).json
            guard case .array(let second)? = page2["records"] else { Issue.record("no page 2"); return }
            #expect(second.count == 3)  // agent_started + 5 calls = 6 records
            #expect(page2["next_after"] == .null)
            let blocked = try await client.call(.get, "/v1/audit?type=tool_blocked", token: gateway.admin).json
            guard case .array(let blockedRecords)? = blocked["records"] else { Issue.record("no records"); return }
            #expect(blockedRecords.map { $0["session"] } == ["a2"])
            let future = try await client.call(.get, "/v1/audit?since=2999-01-01T00:00:00Z", token: gateway.admin).json
            #expect(future["records"] == .array([]))
            #expect(try await client.call(.get, "/v1/audit?type=bogus", token: gateway.admin).status == .badRequest)
            #expect(try await client.call(.get, "/v1/audit?since=yesterday", token: gateway.admin).status == .badRequest)
            #expect(try await client.call(.get, "/ready", token: gateway.admin).json["status"] == "ready")
        }
    }
}

extension JSONValue {
    var intValue: Int? {
        if case .number(let n) = self { return Int(n) }
        return nil
    }
}
