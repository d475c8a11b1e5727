import ClawGuardCore
import ClawGuardStore
import Foundation
import Testing

@testable import ClawGuardWorker

/// A temporary directory removed at the end of the test.
final class TempDir: Sendable {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "cg-worker-" + UUID().uuidString.prefix(8)
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String, mode: Int = 0o644) -> String {
        let file = path + "/" + name
        try! text.write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, mode_t(mode))
        return file
    }
}

/// A policy with a profile `t` (budget maximum 2 USD per run, 3 USD per user and day).
let testPolicy = """
    version: 1
    default_profile: t
    profiles:
      t:
        extends: builder
        budgets: {session_usd: 2, daily_usd_per_user: 3}
      nobudget:
        extends: builder
    """

/// A fake agent: prints the stream-json lines of `$FAKE_LINES` (a file), runs `$FAKE_THEN` (a shell command).
/// Arguments as the template passes them: SESSION BUDGET -- PROMPT.
let fakeAgentScript = """
    #!/bin/bash
    here=$(dirname "$0")
    cat "$here/lines.jsonl"
    [ -f "$here/then.sh" ] && . "$here/then.sh"
    exit 0
    """

/// A manager whose agent is the fake script (no sandbox), with a real SQLite store in `dir`.
func makeManager(_ dir: TempDir, lines: [String], then: String? = nil, limits: WorkerLimits = WorkerLimits(),
                 killGrace: Double = 2) throws -> RunManager {
    let agent = dir.write("agent.sh", fakeAgentScript, mode: 0o755)
    dir.write("lines.jsonl", lines.joined(separator: "\n") + "\n")
    if let then { dir.write("then.sh", then) }
    let policy = dir.write("policy.yaml", testPolicy)
    let store = try StateStore(path: dir.path + "/state/state.db")
    let config = WorkerConfiguration(
        statePath: dir.path + "/state/state.db", policyPaths: [policy], runsDirectory: dir.path + "/runs",
        clawguardPath: "/bin/false", agentPath: agent,
        template: CommandTemplate(agent: ["{agent}", "{session_id}", "{budget_usd}", "--", "{prompt}"], sandbox: nil),
        limits: limits, killGraceSeconds: killGrace, budgetPollSeconds: 0.2)
    return try RunManager(configuration: config, store: store)
}

/// Runs `body` while the manager's service body runs; then stops it.
func withManager<T: Sendable>(_ manager: RunManager, _ body: @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { await manager.run(); return nil }
        let result = try await body()
        group.cancelAll()
        return result
    }
}

/// Waits (bounded) until the run has ended, or is waiting for approval; returns it.
func waitForEnd(_ manager: RunManager, _ id: String, seconds: Double = 120,
                until: Set<String> = ["completed", "failed", "cancelled", "timed_out", "budget_exceeded", "rejected"]) async throws -> RunRow {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        let row = try manager.status(id)
        if until.contains(row.status) { return row }
        try await Task.sleep(for: .milliseconds(100))
    }
    let row = try manager.status(id)
    Issue.record("run \(id) did not end within \(seconds) s (status \(row.status))")
    return row
}

/// Every event of a run (stored), in order.
func allEvents(_ manager: RunManager, _ id: String) async throws -> [RunEvent] {
    var out: [RunEvent] = []
    for await e in try manager.hub.events(id, live: false) { out.append(e) }
    return out
}

/// Processes whose command line contains `marker`.
func processes(containing marker: String) -> [Int32] {
    let me = getpid()
    return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
        guard let pid = Int32(entry), pid != me,
              let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
        let cmdline = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
        return cmdline.contains(marker) ? pid : nil
    }
}

func request(_ prompt: String = "summarise the repository", profile: String = "t", budget: Double = 1,
             timeout: Double? = nil, user: String = "alice", phases: [RunPhase]? = nil) -> RunRequest {
    RunRequest(prompt: prompt, profile: profile, budgetUSD: budget, timeoutSeconds: timeout, user: user, phases: phases)
}
