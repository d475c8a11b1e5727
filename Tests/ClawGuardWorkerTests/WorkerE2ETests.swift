import ClawGuardCore
import ClawGuardStore
import Foundation
import Synchronization
import Testing

@testable import ClawGuardWorker

/// End to end: the REAL Claude Code CLI, inside `clawguard run --profile …` (the default template), with ClawGuard's
/// hook, against the Messages API stub (Tests/E2E/messages_stub.py). The stub is a test host in its own network
/// namespace (Claude Code never sends loopback traffic through the sandbox's proxy), as in
/// scripts/test.d/45-agent-in-sandbox.sh. Needs root, iproute2, the CLI (scripts/setup.d/30-agents.sh) and
/// `swift build --product clawguard`; without them the tests say why, and fail under CI=true.
@Suite(.serialized) struct WorkerE2ETests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The tools, or nil after recording why they are missing.
    static func tools() -> (clawguard: String, claude: String)? {
        let env = ProcessInfo.processInfo.environment
        let clawguard = env["CLAWGUARD_BIN"] ?? repo + "/.build/debug/clawguard"
        let claude = env["CLAUDE_BIN"] ?? repo + "/.build/agents/bin/claude"
        var missing: [String] = []
        if getuid() != 0 { missing.append("root (network namespaces for the stub host)") }
        if !FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") && !FileManager.default.isExecutableFile(atPath: "/sbin/ip")
            && !FileManager.default.isExecutableFile(atPath: "/usr/bin/ip") { missing.append("iproute2 (ip)") }
        if !FileManager.default.isExecutableFile(atPath: clawguard) { missing.append("\(clawguard) (swift build --product clawguard)") }
        if !FileManager.default.isExecutableFile(atPath: claude) { missing.append("\(claude) (scripts/setup.d/30-agents.sh)") }
        guard missing.isEmpty else {
            let reason = "WorkerE2ETests need: " + missing.joined(separator: ", ")
            if env["CI"] == "true" { Issue.record(Comment(rawValue: reason)) } else { print("SKIPPED: " + reason) }
            return nil
        }
        return (clawguard, claude)
    }

    static func bash(_ command: String, usage: [String: Int]? = nil) -> String {
        var turn: [String: Any] = ["tool_use": ["name": "Bash", "input": ["command": command, "description": "e2e step"]]]
        if let usage { turn["usage"] = usage; turn["model"] = "claude-sonnet-4-5-20250929" }
        return String(decoding: try! JSONSerialization.data(withJSONObject: turn), as: UTF8.self)
    }

    /// The policy and worker configuration of an E2E run against `host`.
    static func configuration(_ dir: TempDir, host: StubHost, tools: (clawguard: String, claude: String)) -> WorkerConfiguration {
        let policy = dir.write("policy.yaml", """
            version: 1
            default_profile: e2e
            profiles:
              e2e:
                extends: builder
                sandbox: {network: allowlist, timeout: 300s, memory: 2G, pids: 512}
                network:
                  allow: ["\(host.address)"]
                  allow_ports: [\(host.port)]
                permissions:
                  allow: ["Bash(echo *)", "Bash(sleep *)", "Bash(mkdir *)", "Bash(ls *)"]
                  deny: ["Bash(rm *)"]
                budgets: {session_usd: 5}
              e2e-explore:
                extends: explorer
                sandbox: {network: allowlist, timeout: 300s, memory: 2G, pids: 512}
                network:
                  allow: ["\(host.address)"]
                  allow_ports: [\(host.port)]
            """)
        var limits = WorkerLimits()
        limits.maxActiveRunsPerUser = nil
        return WorkerConfiguration(
            statePath: dir.path + "/state/state.db", policyPaths: [policy], runsDirectory: dir.path + "/runs",
            clawguardPath: tools.clawguard, agentPath: tools.claude,
            agentEnvironment: ["ANTHROPIC_BASE_URL": "http://\(host.address):\(host.port)", "ANTHROPIC_API_KEY": "test",
                               "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1"],
            exploreProfile: "e2e-explore", limits: limits, killGraceSeconds: 5, budgetPollSeconds: 0.5)
    }

    /// A manager running the real agent in the sandbox against a stub host scripted with `turns`.
    static func withRealAgent<T: Sendable>(_ turns: [String], _ body: @Sendable (RunManager, TempDir) async throws -> T) async throws -> T? {
        guard let tools = tools() else { return nil }
        let dir = TempDir()
        let host = try StubHost(script: "[" + turns.joined(separator: ",") + "]", directory: dir.path)
        defer { host.stop() }
        let config = configuration(dir, host: host, tools: tools)
        let store = try StateStore(path: config.statePath)
        let manager = try RunManager(configuration: config, store: store)
        return try await withManager(manager) { try await body(manager, dir) }
    }

    static func describe(_ m: RunManager, _ row: RunRow) async -> String {
        let events = (try? await allEvents(m, row.id)) ?? []
        return "run \(row.status) \(row.endReason ?? "-") error=\(row.error ?? "-") result=\(row.result ?? "-")\n"
            + events.suffix(25).map { "\($0.seq) \($0.kind) \(EventHub.encode($0.data).prefix(300))" }.joined(separator: "\n")
    }

    @Test func aRunCompletes() async throws {
        _ = try await Self.withRealAgent([Self.bash("echo hello-from-worker > out.txt"), #"{"text": "finished the task"}"#]) { m, dir in
            let queued = try m.submit(request("write hello into out.txt", profile: "e2e", budget: 1, timeout: 150))
            let row = try await waitForEnd(m, queued.id, seconds: 180)
            let why = await Self.describe(m, row)
            #expect(row.status == "completed", "\(why)")
            #expect(row.result == "finished the task", "\(why)")
            #expect(row.costUSD > 0)
            let out = try? String(contentsOfFile: dir.path + "/runs/\(row.id)/workspace/out.txt", encoding: .utf8)
            #expect(out == "hello-from-worker\n", "\(why)")
            let events = try await allEvents(m, row.id)
            #expect(events.contains { $0.kind == .toolCall && $0.data["tool"]?.stringValue == "Bash" }, "\(why)")
            #expect(events.contains { $0.kind == .toolResult }, "\(why)")
            // ClawGuard's own decision for the call, from the audit trail of the run's session.
            #expect(events.contains { $0.kind == .decision && $0.data["type"]?.stringValue == "tool_invoked" }, "\(why)")
            #expect(row.denials == "[]")
            // Informative (no timing assertion): where the time of a run goes.
            let at = { (kind: RunEvent.Kind) in events.first { $0.kind == kind }?.time }
            if let queued = at(.status), let started = at(.started), let end = at(.end) {
                print(String(format: "worker timing: queued→agent started %.3f s, agent started→end %.3f s, total %.3f s",
                             started.timeIntervalSince(queued), end.timeIntervalSince(started), end.timeIntervalSince(queued)))
            }
        }
    }

    @Test func aDangerousToolCallIsDeniedAndRecorded() async throws {
        _ = try await Self.withRealAgent([
            Self.bash("mkdir victim"), Self.bash("echo keep > victim/keep.txt"), Self.bash("rm -rf victim"),
            #"{"text": "done"}"#,
        ]) { m, dir in
            let queued = try m.submit(request("tidy up", profile: "e2e", budget: 1, timeout: 150))
            let row = try await waitForEnd(m, queued.id, seconds: 180)
            let why = await Self.describe(m, row)
            #expect(row.status == "completed", "\(why)")
            let kept = try? String(contentsOfFile: dir.path + "/runs/\(row.id)/workspace/victim/keep.txt", encoding: .utf8)
            #expect(kept == "keep\n", "the denied rm ran: \(why)")
            let denials = try JSONDecoder().decode(JSONValue.self, from: Data(row.denials.utf8))
            guard case .array(let list) = denials else { Issue.record("denials: \(row.denials)"); return }
            #expect(list.contains { $0["source"]?.stringValue == "clawguard" && $0["input"]?["command"]?.stringValue == "rm -rf victim" },
                    "\(row.denials)")
            let events = try await allEvents(m, row.id)
            #expect(events.contains { $0.kind == .decision && $0.data["type"]?.stringValue == "tool_blocked" }, "\(why)")
        }
    }

    @Test func aRunIsCutByItsBudget() async throws {
        // Each turn: 100,000 output tokens of claude-sonnet-4-5 ($1.50 + input); the run's budget is $1.
        let usage = ["input_tokens": 1000, "output_tokens": 100_000]
        let turns = (0..<5).map { Self.bash("echo \($0) >> spent.txt", usage: usage) } + [#"{"text": "done"}"#]
        _ = try await Self.withRealAgent(turns) { m, dir in
            let queued = try m.submit(request("spend", profile: "e2e", budget: 1, timeout: 150))
            let row = try await waitForEnd(m, queued.id, seconds: 180)
            let why = await Self.describe(m, row)
            #expect(row.status == "budget_exceeded", "\(why)")
            #expect(row.endReason == "budget")
            #expect(row.costUSD >= 1, "\(why)")
            let spent = (try? String(contentsOfFile: dir.path + "/runs/\(row.id)/workspace/spent.txt", encoding: .utf8)) ?? ""
            #expect(spent.split(separator: "\n").count < 5, "the budget did not cut the run: \(spent)")
            #expect(try m.store.dailySpend(user: "alice") >= 1)
        }
    }

    @Test func aRunTimesOutAndItsWholeTreeEnds() async throws {
        // Claude Code refuses a standalone `sleep`; `tail -f` on a file of the workspace waits just as well.
        _ = try await Self.withRealAgent([Self.bash("echo start > wait.log && tail -f wait.log"), #"{"text": "done"}"#]) { m, _ in
            let queued = try m.submit(request("wait", profile: "e2e", budget: 1, timeout: 20))
            // The agent's processes carry the run's session id on their command line.
            let session = queued.session!
            let deadline = Date().addingTimeInterval(60)
            var sawSleep = false
            while Date() < deadline, !sawSleep {
                sawSleep = !processes(containing: "tail -f wait.log").isEmpty
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(sawSleep, "the agent never ran the tool call")
            let row = try await waitForEnd(m, queued.id, seconds: 90)
            let why = await Self.describe(m, row)
            #expect(row.status == "timed_out", "\(why)")
            #expect(row.endReason == "timeout")
            #expect(processes(containing: session).isEmpty, "the agent outlived its run")
            #expect(processes(containing: "tail -f wait.log").isEmpty, "the tool call outlived its run")
        }
    }
}

/// The Messages API stub as a test host in its own network namespace (veth pair; removed by `stop`).
final class StubHost: @unchecked Sendable {
    /// Suites run in parallel: each host gets its own number (names and a /30 of its own).
    static let counter = Mutex(0)
    let namespace: String
    let veth: String
    let address: String
    let port = 8080
    let process = Process()

    init(script: String, directory: String) throws {
        let k = Self.counter.withLock { $0 += 1; return $0 }
        let n = (Int(getpid()) % 100 + k) % 250 + 1
        namespace = "cgwk\(getpid())x\(k)"
        veth = "cgwk\(getpid() % 10000)v\(k)"
        address = "10.233.\(n).2"
        try? FileManager.default.removeItem(atPath: directory + "/stub-port")
        let scriptPath = directory + "/stub-script.json"
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        for command in [
            ["netns", "add", namespace],
            ["link", "add", veth, "type", "veth", "peer", "name", veth + "p"],
            ["link", "set", veth + "p", "netns", namespace],
            ["addr", "add", "10.233.\(n).1/30", "dev", veth],
            ["link", "set", veth, "up"],
            ["netns", "exec", namespace, "ip", "addr", "add", address + "/30", "dev", veth + "p"],
            ["netns", "exec", namespace, "ip", "link", "set", veth + "p", "up"],
            ["netns", "exec", namespace, "ip", "link", "set", "lo", "up"],
        ] {
            try Self.ip(command)
        }
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", namespace, "python3", WorkerE2ETests.repo + "/Tests/E2E/messages_stub.py",
                             "--script", scriptPath, "--log", directory + "/stub-requests.jsonl", "--host", address,
                             "--port", String(port), "--port-file", directory + "/stub-port"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: directory + "/stub-port") {
            usleep(100_000)
        }
    }

    static func ip(_ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        p.arguments = arguments
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw ClawGuardError(.io, "ip \(arguments.joined(separator: " ")) failed with \(p.terminationStatus)")
        }
    }

    func stop() {
        // SIGKILL: a process started by Foundation from a worker thread inherits its blocked SIGTERM.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for _ in 0..<50 where process.isRunning { usleep(100_000) }
        try? Self.ip(["link", "del", veth])
        try? Self.ip(["netns", "del", namespace])
    }
}
