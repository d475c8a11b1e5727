import ClawGuardCore
import ClawGuardServer
import ClawGuardStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import ClawGuardWorker

/// The worker API over the gateway's real HTTP stack (`.live`), with the real Claude Code CLI in the sandbox against
/// the stub host: a run that completes and one whose dangerous call is denied, their server-sent events, the
/// guards' refusals and who may read a run.
@Suite(.serialized) struct WorkerHTTPTests {
    /// A gateway with the worker, a stub host scripted with `turns`, and tokens for alice (chat) and bob (chat,
    /// approvals:write).
    static func withGateway(_ turns: [String],
                            _ body: @escaping @Sendable (any TestClientProtocol, _ alice: String, _ bob: String, TempDir) async throws -> Void) async throws {
        guard let tools = WorkerE2ETests.tools() else { return }
        let dir = TempDir()
        let host = try StubHost(script: "[" + turns.joined(separator: ",") + "]", directory: dir.path)
        defer { host.stop() }
        let config = WorkerE2ETests.configuration(dir, host: host, tools: tools)
        let store = try StateStore(path: config.statePath)
        var logger = Logger(label: "test.worker")
        logger.logLevel = .warning
        var services = try Gateway.services(
            configuration: GatewayConfiguration(host: "127.0.0.1", port: 0, policyPaths: config.policyPaths, workingDirectory: dir.path,
                                                home: dir.path),
            store: store, logger: logger)
        let worker = GatewayWorker(manager: try RunManager(configuration: config, store: store), approvals: services.approvals,
                                   broker: services.broker, logger: logger)
        services.worker = worker
        let alice = try services.tokens.create(name: "alice", scopes: [.chat], createdBy: "test").token
        let bob = try services.tokens.create(name: "bob", scopes: [.chat, .approvalsWrite], createdBy: "test").token
        let app = try Gateway.application(services, extraServices: [worker])
        try await app.test(.live) { client in try await body(client, alice, bob, dir) }
    }

    static func call(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String?,
                     json: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    static func json(_ r: TestResponse) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(r.body.readableBytesView))) ?? .null
    }

    /// Starts a run, follows its events to the end over SSE, and returns (run JSON, SSE text).
    static func runToEnd(_ client: any TestClientProtocol, token: String, prompt: String) async throws -> (JSONValue, String) {
        let started = try await call(client, .post, "/v1/runs", token: token,
                                     json: #"{"prompt": "\#(prompt)", "profile": "e2e", "budget_usd": 1, "timeout": 150}"#)
        #expect(started.status == .accepted, "\(String(buffer: started.body))")
        guard let id = json(started)["id"]?.stringValue else { return (.null, "") }
        // The event stream ends when the run ends.
        let events = try await call(client, .get, "/v1/runs/\(id)/events", token: token)
        #expect(events.status == .ok)
        #expect(events.headers[.contentType] == "text/event-stream")
        let run = try await call(client, .get, "/v1/runs/\(id)", token: token)
        return (json(run), String(buffer: events.body))
    }

    @Test func aRunCompletesOverHTTP() async throws {
        try await Self.withGateway([WorkerE2ETests.bash("echo hello-over-http > out.txt"), #"{"text": "finished over http"}"#]) { client, alice, bob, dir in
            let (run, sse) = try await Self.runToEnd(client, token: alice, prompt: "write hello")
            #expect(run["status"]?.stringValue == "completed", "\(run)\n\(sse.suffix(2000))")
            #expect(run["result"]?.stringValue == "finished over http")
            #expect(run["user"]?.stringValue == "alice")
            if case .number(let cost)? = run["cost_usd"] { #expect(cost > 0) } else { Issue.record("no cost: \(run)") }
            #expect(sse.contains("event: tool_call") && sse.contains("event: decision") && sse.contains("event: end"), "\(sse.suffix(2000))")
            #expect(sse.contains("id: 0\n"))
            let id = run["id"]?.stringValue ?? ""
            let out = try? String(contentsOfFile: dir.path + "/runs/\(id)/workspace/out.txt", encoding: .utf8)
            #expect(out == "hello-over-http\n")
            // Replay from an event id: only the later events.
            var headers: HTTPFields = [.authorization: "Bearer \(alice)"]
            headers[HTTPField.Name("Last-Event-ID")!] = "3"
            let replay = try await client.execute(uri: "/v1/runs/\(id)/events", method: .get, headers: headers, body: nil)
            let replayText = String(buffer: replay.body)
            #expect(!replayText.contains("id: 3\n") && replayText.contains("id: 4\n"))
            // Another user may not read it; an ended run cannot be cancelled.
            #expect(try await Self.call(client, .get, "/v1/runs/\(id)", token: bob).status == .forbidden)
            #expect(try await Self.call(client, .post, "/v1/runs/\(id)/cancel", token: alice).status == .conflict)
            #expect(try await Self.call(client, .get, "/v1/runs/run_nope", token: alice).status == .notFound)
        }
    }

    @Test func aDeniedToolCallOverHTTP() async throws {
        try await Self.withGateway([
            WorkerE2ETests.bash("mkdir victim"), WorkerE2ETests.bash("echo keep > victim/keep.txt"),
            WorkerE2ETests.bash("rm -rf victim"), #"{"text": "done"}"#,
        ]) { client, alice, _, dir in
            let (run, sse) = try await Self.runToEnd(client, token: alice, prompt: "tidy up")
            #expect(run["status"]?.stringValue == "completed", "\(run)")
            guard case .array(let denials)? = run["denials"] else { Issue.record("no denials: \(run)"); return }
            #expect(denials.contains { $0["input"]?["command"]?.stringValue == "rm -rf victim" }, "\(denials)")
            #expect(sse.contains("tool_blocked"), "\(sse.suffix(2000))")
            let id = run["id"]?.stringValue ?? ""
            let kept = try? String(contentsOfFile: dir.path + "/runs/\(id)/workspace/victim/keep.txt", encoding: .utf8)
            #expect(kept == "keep\n")
        }
    }

    @Test func guardsAnswerOverHTTPWithTheReason() async throws {
        try await Self.withGateway([#"{"text": "done"}"#]) { client, alice, _, _ in
            let nul = try await Self.call(client, .post, "/v1/runs", token: alice,
                                          json: #"{"prompt": "a\u0000b", "profile": "e2e", "budget_usd": 1}"#)
            #expect(nul.status == .forbidden)
            #expect(String(buffer: nul.body).contains("prompt_nul_byte"))
            let rich = try await Self.call(client, .post, "/v1/runs", token: alice,
                                           json: #"{"prompt": "x", "profile": "e2e", "budget_usd": 50}"#)
            #expect(rich.status == .forbidden)
            #expect(String(buffer: rich.body).contains("budget_over_profile"))
            let other = try await Self.call(client, .post, "/v1/runs", token: alice,
                                            json: #"{"prompt": "x", "profile": "e2e", "budget_usd": 1, "user": "mallory"}"#)
            #expect(other.status == .forbidden)
            #expect(try await Self.call(client, .post, "/v1/runs", token: nil, json: "{}").status == .unauthorized)
        }
    }

    @Test func aPhasedRunWaitsForTheGatewaysApproval() async throws {
        // Both phases get the same script (each is a new session): write a file, then answer with the plan.
        try await Self.withGateway([WorkerE2ETests.bash("echo written > plan-applied.txt"), #"{"text": "PLAN: write plan-applied.txt"}"#]) { client, alice, bob, dir in
            let started = try await Self.call(client, .post, "/v1/runs", token: alice, json: """
                {"prompt": "write the file", "profile": "e2e", "budget_usd": 1, "timeout": 150, "phases": ["explore", "execute"]}
                """)
            #expect(started.status == .accepted, "\(String(buffer: started.body))")
            guard let exploreID = Self.json(started)["id"]?.stringValue else { return }
            // Wait (bounded) for the plan to be held.
            var explore = JSONValue.null
            for _ in 0..<900 {
                explore = Self.json(try await Self.call(client, .get, "/v1/runs/\(exploreID)", token: alice))
                let status = explore["status"]?.stringValue
                // The plan's approval is created by the gateway just after the run starts waiting: wait for both.
                if status != "queued" && status != "running" && (status != "awaiting_approval" || explore["approval_id"] != nil) { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(explore["status"]?.stringValue == "awaiting_approval", "\(explore)")
            #expect(explore["profile"]?.stringValue == "e2e-explore")
            #expect(explore["result"]?.stringValue == "PLAN: write plan-applied.txt")
            // The explore phase could not write: read-only workspace (and a read-only profile).
            #expect(!FileManager.default.fileExists(atPath: dir.path + "/runs/\(exploreID)/workspace/plan-applied.txt"))
            guard let approvalID = explore["approval_id"]?.stringValue else { Issue.record("no approval: \(explore)"); return }
            let approval = Self.json(try await Self.call(client, .get, "/v1/approvals/\(approvalID)", token: bob))
            #expect(approval["tool"]?.stringValue == "WorkerPlan" && approval["status"]?.stringValue == "pending", "\(approval)")
            // alice (chat only) cannot approve her own plan; bob (approvals:write) can.
            #expect(try await Self.call(client, .post, "/v1/approvals/\(approvalID)/approve", token: alice, json: "{}").status == .forbidden)
            let approved = try await Self.call(client, .post, "/v1/approvals/\(approvalID)/approve", token: bob, json: "{}")
            #expect(approved.status == .ok, "\(String(buffer: approved.body))")
            // (The explore run's event stream ends only once its plan is decided.)
            guard approved.status == .ok else { _ = try? await Self.call(client, .post, "/v1/runs/\(exploreID)/cancel", token: alice); return }
            // The explore run's events end with the approval naming the execute run.
            let events = String(buffer: try await Self.call(client, .get, "/v1/runs/\(exploreID)/events", token: alice).body)
            let executeID = events.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("data: "), let data = try? JSONDecoder().decode(JSONValue.self, from: Data(line.dropFirst(6).utf8)) else { return nil }
                return data["data"]?["execute_run"]?.stringValue
            }.first
            guard let executeID else { Issue.record("no execute run in \(events.suffix(1500))"); return }
            let sse = String(buffer: try await Self.call(client, .get, "/v1/runs/\(executeID)/events", token: alice).body)
            let execute = Self.json(try await Self.call(client, .get, "/v1/runs/\(executeID)", token: alice))
            #expect(execute["status"]?.stringValue == "completed", "\(execute)\n\(sse.suffix(1500))")
            #expect(execute["phase"]?.stringValue == "execute" && execute["parent_id"]?.stringValue == exploreID)
            #expect(execute["profile"]?.stringValue == "e2e")
            // The execute phase wrote into the explore phase's workspace.
            let written = try? String(contentsOfFile: dir.path + "/runs/\(exploreID)/workspace/plan-applied.txt", encoding: .utf8)
            #expect(written == "written\n")
        }
    }
}
