import ClawGuardCore
@testable import ClawGuardServer
import ClawGuardStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ApprovalTests {
    static func requireBinary() throws -> String {
        guard let binary = Binary.clawguard else {
            let message = "clawguard is not built (.build/debug/clawguard): run `swift build` first"
            Issue.record(Comment(rawValue: message))
            throw GatewayError(.internalError, message)
        }
        return binary
    }

    /// The approval round trip while a REAL `clawguard hook claude --server` process waits.
    @Test func approvalRoundTripWithARealHook() async throws {
        let binary = try Self.requireBinary()
        let gateway = try TestGateway()
        try await gateway.live { (client: any TestClientProtocol) async throws in
            let base = "http://127.0.0.1:\(client.port!)"
            let environment = ["CLAWGUARD_TOKEN": gateway.admin]
            // 1. approve: the waiting hook answers allow.
            let hook = try RunningProcess(binary, ["hook", "claude", "--server", base], stdin: preToolUse(session: "h1", command: "git push origin main", cwd: gateway.directory),
                                          environment: environment)
            let pending = try await eventually("a pending approval") { () -> JSONValue? in
                let list = try await client.call(.get, "/v1/approvals?status=pending", token: gateway.admin).json
                guard case .array(let items)? = list["approvals"], let first = items.first else { return nil }
                return first
            }
            #expect(pending["tool"] == "Bash")
            #expect(pending["input"]?["command"] == "git push origin main")
            #expect(pending["session"] == "h1")
            #expect(pending["verdict"]?["decision"] == "ask")
            let id = try #require(pending["id"]?.stringValue)
            let approved = try await client.call(.post, "/v1/approvals/\(id)/approve", token: gateway.admin, json: #"{"reason":"looks fine"}"#)
            #expect(approved.status == .ok)
            #expect(approved.json["status"] == "approved")
            #expect(approved.json["decided_by"] == "token:admin")
            let result = await hook.finish()
            #expect(result.status == 0, "hook stderr: \(result.stderr)")
            let answer = try JSONDecoder().decode(JSONValue.self, from: Data(result.stdout.utf8))
            #expect(answer["hookSpecificOutput"]?["permissionDecision"] == "allow")
            // Deciding twice is a conflict.
            #expect(try await client.call(.post, "/v1/approvals/\(id)/deny", token: gateway.admin, json: "{}").status == .conflict)

            // 2. deny: the waiting hook answers deny with the reason.
            let hook2 = try RunningProcess(binary, ["hook", "claude", "--server", base], stdin: preToolUse(session: "h1", command: "git push origin dev", cwd: gateway.directory),
                                           environment: environment)
            let second = try await eventually("a second pending approval") { () -> String? in
                let list = try await client.call(.get, "/v1/approvals?status=pending", token: gateway.admin).json
                guard case .array(let items)? = list["approvals"], let first = items.first else { return nil }
                return first["id"]?.stringValue
            }
            #expect(try await client.call(.post, "/v1/approvals/\(second)/deny", token: gateway.admin, json: #"{"reason":"not today"}"#).status == .ok)
            let denied = await hook2.finish()
            let deniedAnswer = try JSONDecoder().decode(JSONValue.self, from: Data(denied.stdout.utf8))
            #expect(deniedAnswer["hookSpecificOutput"]?["permissionDecision"] == "deny")
            #expect(deniedAnswer["hookSpecificOutput"]?["permissionDecisionReason"]?.stringValue?.contains("not today") == true)

            // The audit trail has both decisions.
            let granted = try gateway.services.store.auditRecords(.init(type: "approval_granted"))
            let refused = try gateway.services.store.auditRecords(.init(type: "approval_denied"))
            #expect(granted.count == 1 && refused.count == 1)
        }
    }

    /// Two hook processes of one session, through the server, share the session's state.
    @Test func twoHookProcessesShareOneSession() async throws {
        let binary = try Self.requireBinary()
        let gateway = try TestGateway()
        try await gateway.live { (client: any TestClientProtocol) async throws in
            let base = "http://127.0.0.1:\(client.port!)"
            let environment = ["CLAWGUARD_TOKEN": gateway.admin]
            let a = try RunningProcess(binary, ["hook", "claude", "--server", base], stdin: preToolUse(session: "shared", command: "echo one", cwd: gateway.directory), environment: environment)
            let b = try RunningProcess(binary, ["hook", "claude", "--server", base], stdin: preToolUse(session: "shared", command: "echo two", cwd: gateway.directory), environment: environment)
            let (ra, rb) = (await a.finish(), await b.finish())
            for result in [ra, rb] {
                #expect(result.status == 0, "stderr: \(result.stderr)")
                #expect(result.stdout.contains(#""permissionDecision":"allow""#))
            }
            let session = try await client.call(.get, "/v1/sessions/shared", token: gateway.admin).json
            #expect(session["calls"] == 2)
            // Terminate the session: the next hook process of it is denied and the session stops.
            #expect(try await client.call(.post, "/v1/sessions/shared/terminate", token: gateway.admin, json: "{}").status == .ok)
            let c = try RunningProcess(binary, ["hook", "claude", "--server", base], stdin: preToolUse(session: "shared", command: "echo three", cwd: gateway.directory), environment: environment)
            let rc = await c.finish()
            #expect(rc.stdout.contains(#""permissionDecision":"deny""#))
            #expect(rc.stdout.contains(#""continue":false"#))
        }
    }

    /// No server, a bad token: the hook denies (exit 2), never allows.
    @Test func hookFailsClosed() async throws {
        let binary = try Self.requireBinary()
        let gateway = try TestGateway()
        let unreachable = try RunningProcess(binary, ["hook", "claude", "--server", "http://127.0.0.1:9"],
                                             stdin: preToolUse(session: "x", command: "echo hi", cwd: "/tmp"), environment: ["CLAWGUARD_TOKEN": "cgt_x"])
        let r1 = await unreachable.finish()
        #expect(r1.status == 2)
        #expect(r1.stderr.contains("denied"))
        try await gateway.live { (client: any TestClientProtocol) async throws in
            let bad = try RunningProcess(binary, ["hook", "claude", "--server", "http://127.0.0.1:\(client.port!)"],
                                         stdin: preToolUse(session: "x", command: "echo hi", cwd: "/tmp"), environment: ["CLAWGUARD_TOKEN": "cgt_bad"])
            let r2 = await bad.finish()
            #expect(r2.status == 2)
            #expect(r2.stderr.contains("401"))
        }
    }

    @Test func sessionAndAlwaysScopesAllowLaterIdenticalCalls() async throws {
        let gateway = try TestGateway()
        try await gateway.live { (client: any TestClientProtocol) async throws in
            let push = DecideTests.body("git push origin main", session: "g1")
            let first = try await client.call(.post, "/v1/decide", token: gateway.admin, json: push).json
            #expect(first["decision"] == "ask")
            let id = try #require(first["approval_id"]?.stringValue)
            #expect(try await client.call(.post, "/v1/approvals/\(id)/approve", token: gateway.admin, json: #"{"scope":"session"}"#).status == .ok)
            let again = try await client.call(.post, "/v1/decide", token: gateway.admin, json: push).json
            #expect(again["decision"] == "allow")
            #expect(again["approval_id"]?.stringValue == id)
            // Another session still asks.
            let other = try await client.call(.post, "/v1/decide", token: gateway.admin, json: DecideTests.body("git push origin main", session: "g2")).json
            #expect(other["decision"] == "ask")

            // always: an allow rule in the server-owned layer, naming who approved it.
            let edit = JSONText.encode(JSONValue.object(["tool": "Edit", "cwd": "/tmp", "session_id": "g3",
                                                         "input": ["file_path": "/tmp/x.txt", "old_string": "a", "new_string": "b"]]))
            let editAsk = try await client.call(.post, "/v1/decide", token: gateway.admin, json: edit).json
            #expect(editAsk["decision"] == "ask")
            let editID = try #require(editAsk["approval_id"]?.stringValue)
            let shown = try await client.call(.get, "/v1/approvals/\(editID)", token: gateway.admin).json
            #expect(shown["diff"]?.stringValue?.contains("-a\n+b") == true)
            #expect(try await client.call(.post, "/v1/approvals/\(editID)/approve", token: gateway.admin, json: #"{"scope":"always"}"#).status == .ok)
            let layer = try String(contentsOfFile: gateway.services.policies.layerPath, encoding: .utf8)
            #expect(layer.contains(#""Edit(//tmp/x.txt)""#))
            #expect(layer.contains("approved by token:admin"))
            let editAgain = try await client.call(.post, "/v1/decide", token: gateway.admin,
                                                  json: edit.replacingOccurrences(of: "\"g3\"", with: "\"g4\"")).json
            #expect(editAgain["decision"] == "allow")
        }
    }

    @Test func waitTimesOutToDenyAndBatchDecides() async throws {
        let gateway = try TestGateway(approvalTimeout: .milliseconds(300))
        try await gateway.live { (client: any TestClientProtocol) async throws in
            let timedOut = try await client.call(.post, "/v1/decide", token: gateway.admin, json: DecideTests.body("git push a b", session: "w1", wait: true)).json
            #expect(timedOut["decision"] == "deny")
            let id = try #require(timedOut["approval_id"]?.stringValue)
            #expect(try await client.call(.get, "/v1/approvals/\(id)", token: gateway.admin).json["status"] == "expired")

            var ids: [String] = []
            for branch in ["x", "y"] {
                let reply = try await client.call(.post, "/v1/decide", token: gateway.admin, json: DecideTests.body("git push origin \(branch)", session: "w2")).json
                ids.append(try #require(reply["approval_id"]?.stringValue))
            }
            let batch = try await client.call(.post, "/v1/approvals/batch", token: gateway.admin,
                                              json: JSONText.encode(JSONValue.object(["ids": .array((ids + ["apr_missing"]).map { .string($0) }), "decision": "deny"])))
            #expect(batch.status == .ok)
            #expect(batch.json["skipped"] == ["apr_missing"])
            guard case .array(let decided)? = batch.json["decided"] else { Issue.record("no decided"); return }
            #expect(decided.count == 2 && decided.allSatisfy { $0["status"] == "denied" })
        }
    }

    /// A command approver (the gatekeeper pattern) decides; its verdict is recorded like a person's.
    @Test func commandApproverDecides() async throws {
        let directory = try TestGateway.temporaryDirectory()
        let script = directory + "/gatekeeper.sh"
        try """
            #!/bin/sh
            input=$(cat)
            case "$input" in
              *'"git push origin main"'*) echo '{"decision":"approve","reason":"main is allowed by the gatekeeper"}' ;;
              *) echo '{"decision":"deny","reason":"gatekeeper says no"}' ;;
            esac
            """.write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let base = try TestGateway()
        var configuration = base.services.configuration
        configuration.approvers = [ApproverConfiguration(kind: .command, target: script, name: "gatekeeper")]
        let services = try Gateway.services(configuration: configuration, store: base.services.store, logger: base.services.logger)
        let app = try Gateway.application(services)
        try await app.test(.live) { client in
            let allowed = try await client.call(.post, "/v1/decide", token: base.admin, json: DecideTests.body("git push origin main", session: "c1", wait: true)).json
            #expect(allowed["decision"] == "allow")
            #expect(allowed["reason"]?.stringValue?.contains("gatekeeper") == true)
            let denied = try await client.call(.post, "/v1/decide", token: base.admin, json: DecideTests.body("git push origin dev", session: "c1", wait: true)).json
            #expect(denied["decision"] == "deny")
            let id = try #require(denied["approval_id"]?.stringValue)
            let record = try await client.call(.get, "/v1/approvals/\(id)", token: base.admin).json
            #expect(record["decided_by"] == "approver:gatekeeper")
            #expect(record["reason"] == "gatekeeper says no")
        }
    }
}
