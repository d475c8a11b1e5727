import ClawGuardCore
import ClawGuardStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClawGuardServer

/// `/v1/decide` with `profile`: the caller (a worker run) is held to its own profile as well as the gateway's;
/// the stricter answer stands, so naming a profile can only tighten.
@Suite struct DecideProfileTests {
    static let policy = """
        version: 1
        permissions:
          allow: ["Bash(echo *)", "Bash(ls *)", "Read", "Edit"]
          deny: ["Bash(rm -rf *)"]
        profiles:
          locked:
            permissions:
              deny: ["Bash(echo *)"]
        """

    static func body(_ command: String, profile: String?, tool: String = "Bash", input: JSONValue? = nil) -> String {
        var object: [String: JSONValue] = ["tool": .string(tool), "input": input ?? ["command": .string(command)], "cwd": "/tmp",
                                           "session_id": "p1"]
        if let profile { object["profile"] = .string(profile) }
        return JSONText.encode(JSONValue.object(object))
    }

    @Test func theStricterProfileDecidesAndSaysSo() async throws {
        let gateway = try TestGateway(policy: Self.policy)
        try await gateway.live { (client: any TestClientProtocol) async throws in
            let plain = try await client.call(.post, "/v1/decide", token: gateway.admin, json: Self.body("echo hi", profile: nil)).json
            #expect(plain["decision"] == "allow")
            let held = try await client.call(.post, "/v1/decide", token: gateway.admin, json: Self.body("echo hi", profile: "locked")).json
            #expect(held["decision"] == "deny")
            #expect(held["reason"]?.stringValue?.hasPrefix("profile 'locked': ") == true, "\(held)")
            #expect(held["rule"]?.stringValue?.hasPrefix("Bash(echo *) (") == true && held["rule"]?.stringValue?.contains("policy.yaml:8") == true)
            // A looser profile than the gateway's changes nothing: rm -rf stays denied by the gateway's own rule.
            let loose = try await client.call(.post, "/v1/decide", token: gateway.admin, json: Self.body("rm -rf /tmp/x", profile: "builder")).json
            #expect(loose["decision"] == "deny")
        }
    }

    /// Built-in profiles work too: the explorer profile is read-only, so an edit the gateway allows is not allowed.
    @Test func aBuiltinProfileIsAppliedAsTheEngineWould() async throws {
        let gateway = try TestGateway(policy: Self.policy)
        let edit = ToolCall(tool: "Edit", input: ["file_path": "/tmp/x.txt", "old_string": "a", "new_string": "b"], cwd: "/tmp")
        let own = gateway.services.policies.current().engine.decide(edit)
        let explorer = try gateway.services.policies.loaded(profile: "explorer").engine.decide(edit)
        #expect(own.decision == .allow && explorer.decision > own.decision)  // the case this test is about
        try await gateway.live { (client: any TestClientProtocol) async throws in
            let reply = try await client.call(.post, "/v1/decide", token: gateway.admin,
                                              json: Self.body("", profile: "explorer", tool: "Edit", input: edit.input)).json
            #expect(reply["computed"]?.stringValue == explorer.decision.rawValue)
        }
    }

    @Test func anUnknownProfileIsADenyAndABadNameABadRequest() async throws {
        let gateway = try TestGateway(policy: Self.policy)
        try await gateway.live { (client: any TestClientProtocol) async throws in
            let unknown = try await client.call(.post, "/v1/decide", token: gateway.admin, json: Self.body("echo hi", profile: "nope")).json
            #expect(unknown["decision"] == "deny")
            #expect(unknown["reason"]?.stringValue?.contains("requested profile 'nope'") == true, "\(unknown)")
            let bad = try await client.call(.post, "/v1/decide", token: gateway.admin, json: Self.body("echo hi", profile: "../etc"))
            #expect(bad.status == .badRequest)
        }
    }
}
