import ClawGuardCore
import ClawGuardStore
import Foundation
import Testing

@testable import ClawGuardWorker

/// The manager with a fake agent (a bash script printing stream-json): real processes, real SQLite, no model.
@Suite(.serialized) struct RunManagerTests {
    static let success = [
        #"{"type":"system","subtype":"init","session_id":"s","model":"m","tools":["Bash"]}"#,
        #"{"type":"assistant","message":{"content":[{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"ls"}}]}}"#,
        #"{"type":"user","message":{"content":[{"tool_use_id":"t1","type":"tool_result","content":"ok","is_error":false}]}}"#,
        #"{"type":"result","subtype":"success","is_error":false,"result":"finished; token ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d","total_cost_usd":0.05,"num_turns":2}"#,
    ]

    @Test func aRunCompletesWithResultCostAndEvents() async throws {
        let dir = TempDir()
        let m = try makeManager(dir, lines: Self.success)
        let row = try await withManager(m) {
            let queued = try m.submit(request())
            #expect(queued.status == "queued")
            return try await waitForEnd(m, queued.id)
        }
        #expect(row.status == "completed")
        #expect(row.endReason == "completed")
        #expect(row.costUSD == 0.05)
        #expect(row.result?.hasPrefix("finished") == true)
        #expect(row.result?.contains("ghp_u8jzPde0") == false, "credentials in the stored result")
        #expect(row.durationSeconds != nil && row.startedAt != nil && row.endedAt != nil)
        let kinds = try await allEvents(m, row.id).map(\.kind.rawValue)
        #expect(kinds.first == "status" && kinds.last == "end")
        #expect(kinds.contains("tool_call") && kinds.contains("tool_result") && kinds.contains("result"))
        // The stored copy of the output is redacted too.
        let output = try String(contentsOfFile: dir.path + "/runs/\(row.id)/agent-output.jsonl", encoding: .utf8)
        #expect(output.contains("finished") && !output.contains("ghp_u8jzPde0"))
        #expect(try m.store.dailySpend(user: "alice") == 0.05)
    }

    @Test func aTimeoutEndsTheWholeProcessTree() async throws {
        let dir = TempDir()
        let marker = "cgworkertimeout" + UUID().uuidString.prefix(8)
        // The agent leaves a child behind in the background and hangs.
        let m = try makeManager(dir, lines: [Self.success[0]],
                                then: "bash -c 'exec -a \(marker) sleep 300' &\nbash -c 'exec -a \(marker) sleep 300'\n")
        let row = try await withManager(m) {
            let queued = try m.submit(request(timeout: 1.5))
            return try await waitForEnd(m, queued.id, seconds: 30)
        }
        #expect(row.status == "timed_out")
        #expect(row.endReason == "timeout")
        #expect(processes(containing: marker).isEmpty, "processes of the run are still alive")
        let kinds = try await allEvents(m, row.id).map(\.kind.rawValue)
        #expect(kinds.contains("status") && kinds.last == "end")
    }

    @Test func cancelEndsARunningRunAndItsTree() async throws {
        let dir = TempDir()
        let marker = "cgworkercancel" + UUID().uuidString.prefix(8)
        let m = try makeManager(dir, lines: [Self.success[0]], then: "bash -c 'exec -a \(marker) sleep 300'\n")
        let row = try await withManager(m) {
            let queued = try m.submit(request(timeout: 60))
            let deadline = Date().addingTimeInterval(20)
            while processes(containing: marker).isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
            #expect(!processes(containing: marker).isEmpty, "the fake agent never started")
            _ = try m.cancel(queued.id)
            return try await waitForEnd(m, queued.id, seconds: 30)
        }
        #expect(row.status == "cancelled")
        #expect(row.endReason == "cancelled")
        #expect(processes(containing: marker).isEmpty)
        do {
            _ = try m.cancel(row.id)
            Issue.record("an ended run was cancelled again")
        } catch { #expect(error.code == .conflict) }
    }

    @Test func theAgentsBudgetStopIsRecorded() async throws {
        let dir = TempDir()
        let m = try makeManager(dir, lines: [
            #"{"type":"result","subtype":"error_max_budget_usd","is_error":true,"total_cost_usd":1.2,"errors":["Reached maximum budget ($1)"]}"#,
        ])
        let row = try await withManager(m) { try await waitForEnd(m, try m.submit(request()).id) }
        #expect(row.status == "budget_exceeded")
        #expect(row.endReason == "budget")
        #expect(row.costUSD == 1.2)
    }

    @Test func spendOverTheBudgetEndsTheWholeTree() async throws {
        let dir = TempDir()
        let marker = "cgworkerbudget" + UUID().uuidString.prefix(8)
        let m = try makeManager(dir, lines: [Self.success[0]], then: "bash -c 'exec -a \(marker) sleep 300' &\nbash -c 'exec -a \(marker) sleep 300'\n")
        let row = try await withManager(m) {
            let queued = try m.submit(request(budget: 0.5, timeout: 60))
            let deadline = Date().addingTimeInterval(20)
            while processes(containing: marker).count < 2, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
            #expect(processes(containing: marker).count == 2, "the fake agent never started")
            // What ClawGuard's hook would record from the transcript: the session's spend passes the run's budget.
            _ = try m.store.startSession(SessionStart(session: queued.session!, agent: "claude-code", user: "alice"))
            try m.store.addCost(session: queued.session!, usd: 0.6)
            return try await waitForEnd(m, queued.id, seconds: 30)
        }
        #expect(row.status == "budget_exceeded")
        #expect(row.endReason == "budget")
        #expect(row.costUSD == 0.6)
        #expect(processes(containing: marker).isEmpty, "processes of the run are still alive")
    }

    @Test func anAgentThatDiesWithoutResultFails() async throws {
        let dir = TempDir()
        let m = try makeManager(dir, lines: ["not json at all"], then: "echo boom >&2; exit 3\n")
        let row = try await withManager(m) { try await waitForEnd(m, try m.submit(request()).id) }
        #expect(row.status == "failed")
        #expect(row.endReason == "error")
        #expect(row.exitStatus == 3)
        #expect(row.error?.contains("boom") == true)
    }

    @Test func phasedRunHoldsThePlanUntilApproved() async throws {
        let dir = TempDir()
        let m = try makeManager(dir, lines: [
            #"{"type":"result","subtype":"success","is_error":false,"result":"PLAN: edit a.txt","total_cost_usd":0.1}"#,
        ])
        try await withManager(m) {
            let explore = try m.submit(request(phases: [.explore, .execute]))
            #expect(explore.profile == "explorer" && explore.phase == "explore")
            let held = try await waitForEnd(m, explore.id, until: ["awaiting_approval", "failed"])
            #expect(held.status == "awaiting_approval")
            #expect(held.result == "PLAN: edit a.txt")
            // The held run counts as active: the user cannot start another one meanwhile.
            #expect(throws: WorkerError.self) { try m.submit(request()) }
            let execute = try m.approve(explore.id, by: "reviewer")
            #expect(execute.phase == "execute" && execute.profile == "t" && execute.parentID == explore.id)
            #expect(execute.budgetUSD < explore.budgetUSD)
            let done = try await waitForEnd(m, execute.id)
            #expect(done.status == "completed")
            #expect(try m.status(explore.id).status == "completed")
            let approvals = try await allEvents(m, explore.id).filter { $0.kind == .approval }
            #expect(approvals.map { $0.data["state"]?.stringValue } == ["pending", "approved"])
            // The execute phase's prompt carries the approved plan.
            let prompt = try String(contentsOfFile: dir.path + "/runs/\(execute.id)/agent-output.jsonl", encoding: .utf8)
            #expect(!prompt.isEmpty)
        }
    }

    @Test func aRejectedPlanEndsTheRun() async throws {
        let dir = TempDir()
        let m = try makeManager(dir, lines: [#"{"type":"result","subtype":"success","result":"PLAN"}"#])
        try await withManager(m) {
            let explore = try m.submit(request(phases: [.explore, .execute]))
            _ = try await waitForEnd(m, explore.id, until: ["awaiting_approval", "failed"])
            let rejected = try m.approve(explore.id, approved: false, by: "reviewer")
            #expect(rejected.status == "rejected")
            #expect(try m.runs.runs().count == 1, "no execute phase was created")
            do {
                _ = try m.approve(explore.id, by: "reviewer")
                Issue.record("a rejected run was approved")
            } catch let error as WorkerError { #expect(error.code == .conflict) }
        }
    }

    @Test func eventsReplayAndStreamLive() async throws {
        let dir = TempDir()
        let m = try makeManager(dir, lines: Self.success, then: "sleep 1\n")
        try await withManager(m) {
            let run = try m.submit(request())
            // A subscriber from the start sees everything live, in order, and its stream ends with the run.
            var live: [RunEvent] = []
            for await e in try m.events(run.id) { live.append(e) }
            #expect(live.map(\.seq) == Array(0..<live.count))
            #expect(live.last?.kind == .end)
            // A late subscriber replays the same sequence from the store.
            var replay: [RunEvent] = []
            for await e in try m.events(run.id) { replay.append(e) }
            #expect(replay == live)
            var tail: [RunEvent] = []
            for await e in try m.events(run.id, afterSeq: 2) { tail.append(e) }
            #expect(tail == Array(live.dropFirst(3)))
        }
    }

    @Test func unknownRunsAreNotFound() throws {
        let dir = TempDir()
        let m = try makeManager(dir, lines: [])
        #expect(throws: WorkerError.self) { try m.status("run_nope") }
        do { _ = try m.cancel("run_nope") } catch { #expect(error.code == .notFound) }
    }
}
