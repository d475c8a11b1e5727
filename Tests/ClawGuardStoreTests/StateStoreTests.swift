import ClawGuardCore
import Foundation
import Testing
@testable import ClawGuardStore

@Suite struct StateStoreTests {
    @Test func createsPrivateFilesAndRecordsAnAllowedCall() throws {
        try withFileStore { store, dir in
            let outcome = try store.recordToolCall(bashCall("ls"), verdict: allow, limits: .none, now: noon)
            #expect(outcome.decision == .allow && outcome.enforced == .allow && outcome.hits.isEmpty)
            #expect(outcome.reason == allow.reason)
            #expect(outcome.session.calls == 1)
            #expect(outcome.session.counts["Bash"]?["allow"] == 1)
            #expect(outcome.audit.map(\.type) == ["agent_started", "tool_invoked"])
            let dirMode = try FileManager.default.attributesOfItem(atPath: dir.file("state"))[.posixPermissions] as! Int
            let fileMode = try FileManager.default.attributesOfItem(atPath: dir.file("state/state.db"))[.posixPermissions] as! Int
            #expect(dirMode & 0o077 == 0, "state directory is \(String(dirMode, radix: 8))")
            #expect(fileMode & 0o077 == 0, "state.db is \(String(fileMode, radix: 8))")
            // A second process (a new store value on the same path) sees the same state.
            let again = try StateStore(path: store.path)
            #expect(try again.session("s1")?.calls == 1)
        }
    }

    @Test func engineDenyIsRecordedAsToolBlocked() throws {
        let store = try StateStore.inMemory()
        let deny = Verdict(decision: .deny, reason: "rm -rf / is destructive", rule: "deny: Bash(rm -rf:*)",
                           risks: [Risk(.destructive, "rm -rf /")])
        let outcome = try store.recordToolCall(bashCall("rm -rf /"), verdict: deny, limits: .none, now: noon)
        #expect(outcome.decision == .deny && outcome.enforced == .deny)
        #expect(outcome.rule == "deny: Bash(rm -rf:*)")
        let blocked = try #require(outcome.audit.last)
        #expect(blocked.type == "tool_blocked" && blocked.decision == "deny" && blocked.reason == deny.reason)
        #expect(blocked.details.contains("\"risks\""))
    }

    @Test func killSwitchDeniesEverythingEvenInShadowMode() throws {
        let store = try StateStore.inMemory()
        try store.setKillSwitch(true, reason: "incident 7", now: noon)
        #expect(try store.killSwitch().on)
        var limits = Limits.none
        limits.shadow = true
        let outcome = try store.recordToolCall(bashCall("ls"), verdict: allow, limits: limits, now: noon)
        #expect(outcome.decision == .deny && outcome.enforced == .deny)
        #expect(outcome.hits.map(\.kind) == [.killSwitch])
        #expect(outcome.reason.contains("incident 7"))
        try store.setKillSwitch(false, now: noon)
        #expect(try store.recordToolCall(bashCall("pwd"), verdict: allow, limits: .none, now: noon).enforced == .allow)
        let kinds = try store.auditRecords(.init(type: "kill_switch")).map(\.details)
        #expect(kinds.count == 2)
    }

    @Test func loopDetectionDeniesTheThirdRepeatWithinFive() throws {
        let store = try StateStore.inMemory()
        let limits = Limits(loopDetection: LoopDetection(repeats: 3, window: 5))
        let sequence = ["make", "ls", "make", "pwd", "make", "make"]
        var decisions: [Decision] = []
        for (i, command) in sequence.enumerated() {
            let outcome = try store.recordToolCall(bashCall(command), verdict: allow, limits: limits,
                                                   now: noon.addingTimeInterval(Double(i)))
            decisions.append(outcome.decision)
            if outcome.decision == .deny {
                #expect(outcome.hits.first?.kind == .loop)
                #expect(outcome.reason.contains("3 times") || outcome.reason.contains("4 times"))
            }
        }
        #expect(decisions == [.allow, .allow, .allow, .allow, .deny, .deny])
        // Another session's identical calls do not count.
        #expect(try store.recordToolCall(bashCall("make", session: "s2"), verdict: allow, limits: limits, now: noon).decision == .allow)
    }

    @Test func loopOutsideTheWindowIsNotALoop() throws {
        let store = try StateStore.inMemory()
        let limits = Limits(loopDetection: LoopDetection(repeats: 3, window: 5))
        for (i, command) in ["make", "a", "b", "c", "make", "d", "e", "f", "make"].enumerated() {
            let outcome = try store.recordToolCall(bashCall(command), verdict: allow, limits: limits,
                                                   now: noon.addingTimeInterval(Double(i)))
            #expect(outcome.decision == .allow, "call \(i) \(command)")
        }
    }

    @Test func rateLimitPerSessionAdmitsExactlyTheQuotaAndDeniedCallsDoNotConsume() throws {
        let store = try StateStore.inMemory()
        let limits = Limits(rateLimits: [.perMinute(3, .session, name: "limits.per_minute")], loopDetection: nil)
        var allowed = 0
        for i in 0..<5 {
            let outcome = try store.recordToolCall(bashCall("echo \(i)"), verdict: allow, limits: limits, now: noon)
            if outcome.enforced == .allow { allowed += 1 } else {
                #expect(outcome.hits.map(\.rule) == ["limits.per_minute"])
                #expect(outcome.reason.contains("retry in 20 s"))
            }
        }
        #expect(allowed == 3)
        // 20 s later one more conforms (the denied calls did not push the bucket further).
        #expect(try store.recordToolCall(bashCall("echo x"), verdict: allow, limits: limits,
                                         now: noon.addingTimeInterval(20)).enforced == .allow)
        // Another session has its own bucket.
        #expect(try store.recordToolCall(bashCall("echo y", session: "s2"), verdict: allow, limits: limits, now: noon).enforced == .allow)
    }

    @Test func rateLimitPerUserSpansSessionsAndEngineDeniesDoNotConsume() throws {
        let store = try StateStore.inMemory()
        let limits = Limits(rateLimits: [.perHour(2, .user)], loopDetection: nil)
        let deny = Verdict(decision: .deny, reason: "no")
        _ = try store.recordToolCall(bashCall("a", session: "x"), verdict: deny, limits: limits, now: noon)
        #expect(try store.recordToolCall(bashCall("b", session: "x"), verdict: allow, limits: limits, now: noon).enforced == .allow)
        #expect(try store.recordToolCall(bashCall("c", session: "y"), verdict: allow, limits: limits, now: noon).enforced == .allow)
        #expect(try store.recordToolCall(bashCall("d", session: "z"), verdict: allow, limits: limits, now: noon).enforced == .deny)
        #expect(try store.recordToolCall(bashCall("e", session: "z", user: "bob"), verdict: allow, limits: limits, now: noon).enforced == .allow)
    }

    @Test func sessionBudgetFromTheTranscriptWarnsThenDenies() throws {
        try withFileStore { store, dir in
            let transcript = dir.file("t.jsonl")
            func append(_ id: String, output: Int) throws {
                let line = #"{"type":"assistant","message":{"id":"\#(id)","model":"claude-sonnet-4-5","usage":{"input_tokens":0,"output_tokens":\#(output)}}}"# + "\n"
                if !FileManager.default.fileExists(atPath: transcript) { FileManager.default.createFile(atPath: transcript, contents: nil) }
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: transcript))
                try handle.seekToEnd()
                try handle.write(contentsOf: Data(line.utf8))
                try handle.close()
            }
            let limits = Limits(budget: BudgetLimits(sessionUSD: 1.00, warnAt: 0.8), loopDetection: nil)
            // $15 per million output tokens: 50,000 tokens = $0.75.
            try append("m1", output: 50_000)
            let first = try store.recordToolCall(bashCall("a", transcript: transcript), verdict: allow, limits: limits, now: noon)
            #expect(first.enforced == .allow && first.warnings.isEmpty)
            #expect(abs(first.session.costUSD - 0.75) < 1e-9)
            try append("m2", output: 4_000)  // $0.81: crosses 80 %
            let second = try store.recordToolCall(bashCall("b", transcript: transcript), verdict: allow, limits: limits, now: noon)
            #expect(second.enforced == .allow)
            #expect(second.warnings.count == 1 && second.warnings[0].contains("81 %"))
            #expect(second.audit.contains { $0.type == "budget_warning" })
            let third = try store.recordToolCall(bashCall("c", transcript: transcript), verdict: allow, limits: limits, now: noon)
            #expect(third.warnings.isEmpty, "the warning goes out once")
            try append("m3", output: 20_000)  // $1.11
            let over = try store.recordToolCall(bashCall("d", transcript: transcript), verdict: allow, limits: limits, now: noon)
            #expect(over.enforced == .deny)
            #expect(over.hits.map(\.kind) == [.sessionBudget])
            #expect(over.reason.contains("$1.1100 of $1.0000"))
            #expect(over.audit.contains { $0.type == "budget_exceeded" })
            #expect(abs(try store.dailySpend(user: "alice", day: "2026-11-25") - 1.11) < 1e-9)
        }
    }

    @Test func dailyBudgetPerUserSpansSessions() throws {
        let store = try StateStore.inMemory()
        let limits = Limits(budget: BudgetLimits(dailyUSDPerUser: 5), loopDetection: nil)
        _ = try store.recordToolCall(bashCall("a", session: "one"), verdict: allow, limits: limits, now: noon)
        try store.addCost(session: "one", usd: 3, now: noon)
        _ = try store.recordToolCall(bashCall("b", session: "two"), verdict: allow, limits: limits, now: noon)
        try store.addCost(session: "two", usd: 2.5, now: noon)
        let denied = try store.recordToolCall(bashCall("c", session: "three"), verdict: allow, limits: limits, now: noon)
        #expect(denied.hits.map(\.kind) == [.dailyBudget])
        // Another user, and the next UTC day, are fine.
        #expect(try store.recordToolCall(bashCall("c", session: "four", user: "bob"), verdict: allow, limits: limits, now: noon).enforced == .allow)
        #expect(try store.recordToolCall(bashCall("d", session: "three"), verdict: allow, limits: limits,
                                         now: noon.addingTimeInterval(86_400)).enforced == .allow)
    }

    @Test func unreadableTranscriptUnderABudgetDenies() throws {
        let store = try StateStore.inMemory()
        let limits = Limits(budget: BudgetLimits(sessionUSD: 10), loopDetection: nil)
        // A directory is not a transcript: the spend cannot be known, so the call is denied.
        let directory = FileManager.default.temporaryDirectory.path
        let outcome = try store.recordToolCall(bashCall("ls", transcript: directory), verdict: allow,
                                               limits: limits, now: noon)
        #expect(outcome.enforced == .deny)
        #expect(outcome.hits.map(\.kind) == [.budgetUnknown])
        #expect(outcome.reason.contains(directory))
        // Not written yet (the first call of a session): nothing spent, allowed.
        let fresh = try store.recordToolCall(bashCall("pwd", session: "fresh", transcript: "/nonexistent/t.jsonl"), verdict: allow,
                                             limits: limits, now: noon)
        #expect(fresh.enforced == .allow)
    }

    @Test func timeWindowsAndTimeouts() throws {
        let store = try StateStore.inMemory()
        let office = TimeWindow(name: "office", timeZone: "Europe/Berlin", days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1080)
        let limits = Limits(loopDetection: nil, timeWindows: [office], sessionTimeout: SessionTimeout(idle: 600))
        #expect(try store.recordToolCall(bashCall("a"), verdict: allow, limits: limits, now: noon).enforced == .allow)
        // Saturday: outside the window.
        let saturday = try store.recordToolCall(bashCall("b", session: "sat"), verdict: allow, limits: limits,
                                                now: noon.addingTimeInterval(3 * 86_400))
        #expect(saturday.hits.map(\.kind) == [.timeWindow])
        #expect(saturday.reason.contains("Mon,Tue,Wed,Thu,Fri 09:00–18:00 Europe/Berlin"))
        // Idle 11 minutes: timed out, and stays so.
        let idle = try store.recordToolCall(bashCall("c"), verdict: allow, limits: limits, now: noon.addingTimeInterval(660))
        #expect(idle.hits.map(\.kind) == [.sessionTimeout])
        #expect(idle.audit.contains { $0.type == "timeout" })
        let after = try store.recordToolCall(bashCall("d"), verdict: allow, limits: limits, now: noon.addingTimeInterval(670))
        #expect(after.hits.map(\.kind) == [.sessionTerminated])
        #expect(try store.session("s1")?.status == "timed_out")
    }

    @Test func terminatedSessionIsDenied() throws {
        let store = try StateStore.inMemory()
        _ = try store.recordToolCall(bashCall("a"), verdict: allow, limits: .none, now: noon)
        #expect(try store.terminateSession("s1", reason: "operator stop", now: noon))
        #expect(try !store.terminateSession("nope", reason: "x", now: noon))
        let outcome = try store.recordToolCall(bashCall("b"), verdict: allow, limits: .none, now: noon)
        #expect(outcome.enforced == .deny && outcome.reason.contains("operator stop"))
    }

    @Test func shadowModeComputesAndRecordsButDoesNotEnforce() throws {
        let store = try StateStore.inMemory()
        try store.setShadow(agent: "claude", true)
        #expect(try store.isShadow(agent: "claude"))
        let deny = Verdict(decision: .deny, reason: "would be denied", rule: "deny: Bash(curl:*)")
        let outcome = try store.recordToolCall(bashCall("curl x"), verdict: deny, limits: .none, now: noon)
        #expect(outcome.decision == .deny && outcome.enforced == .allow && outcome.shadow)
        let record = try #require(outcome.audit.last)
        #expect(record.type == "tool_blocked" && record.details.contains("\"shadow\":true"))
        try store.setShadow(agent: "claude", false)
        #expect(try store.recordToolCall(bashCall("curl y"), verdict: deny, limits: .none, now: noon).enforced == .deny)
    }

    @Test func sessionLifecycleEvents() throws {
        let store = try StateStore.inMemory()
        _ = try store.startSession(SessionStart(session: "life", agent: "claude", user: "alice", cwd: "/w",
                                                details: ["source": .string("startup")]), now: noon)
        _ = try store.recordToolCall(bashCall("ls", session: "life"), verdict: allow, limits: .none, now: noon.addingTimeInterval(1))
        try store.recordToolResult(session: "life", agent: "claude", user: "alice", tool: "Bash", success: false,
                                   error: "exit 1", now: noon.addingTimeInterval(2))
        let ended = try #require(try store.endSession("life", success: true, prices: nil, now: noon.addingTimeInterval(30)))
        #expect(ended.status == "ended")
        #expect(ended.counts["Bash"] == ["allow": 1, "error": 1])
        let types = try store.auditRecords(.init(session: "life")).map(\.type)
        #expect(types == ["agent_started", "tool_invoked", "error", "agent_completed"])
        let completed = try #require(try store.auditRecords(.init(session: "life", type: "agent_completed")).first)
        #expect(completed.details.contains("\"duration\":30"))
    }

    @Test func credentialsAreRedactedBeforeWriting() throws {
        try withFileStore { store, dir in
            let secret = "sk-ant-api03-SECRETSECRETSECRETSECRET0123"
            _ = try store.recordToolCall(bashCall("curl -H 'x-api-key: \(secret)' https://api.anthropic.com"),
                                         verdict: Verdict(decision: .deny, reason: "sends \(secret) off the machine"),
                                         limits: .none, now: noon)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: store.path))
            let wal = (try? Data(contentsOf: URL(fileURLWithPath: store.path + "-wal"))) ?? Data()
            #expect(bytes.range(of: Data(secret.utf8)) == nil && wal.range(of: Data(secret.utf8)) == nil)
            let record = try #require(try store.auditRecords().last)
            #expect(record.reason?.contains("[REDACTED") == true)
        }
    }

    @Test func customRedactorIsUsed() throws {
        let store = try StateStore.inMemory(options: StateStoreOptions(redact: { $0.replacingOccurrences(of: "tiger", with: "***") }))
        _ = try store.recordToolCall(bashCall("echo tiger"), verdict: allow, limits: .none, now: noon)
        #expect(try store.auditRecords().last?.details.contains("echo ***") == true)
    }
}

@Suite struct StoreFailureTests {
    @Test func unopenablePathThrowsStoreError() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        FileManager.default.createFile(atPath: dir.file("blocker"), contents: Data("x".utf8))
        do {
            _ = try StateStore(path: dir.file("blocker/state.db"))
            Issue.record("opening under a regular file must fail")
        } catch {
            #expect(error.code == .store)
        }
    }

    @Test func corruptDatabaseThrowsStoreError() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let path = dir.file("state.db")
        FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 8192))
        #expect(throws: ClawGuardError.self) {
            let store = try StateStore(path: path)
            _ = try store.recordToolCall(bashCall("ls"), verdict: allow, limits: .none, now: noon)
        }
    }

    @Test func lockedDatabaseThrowsInsteadOfAllowing() throws {
        try withFileStore(options: StateStoreOptions(busyTimeout: 0.2)) { store, _ in
            _ = try store.recordToolCall(bashCall("ls"), verdict: allow, limits: .none, now: noon)
            // Another process holds the write lock (sqlite3 in a transaction) longer than the busy timeout.
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            holder.arguments = [store.path]
            let input = Pipe()
            let output = Pipe()
            holder.standardInput = input
            holder.standardOutput = output
            try holder.run()
            input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\nSELECT 'locked';\n".utf8))
            // Wait until the lock is held.
            _ = output.fileHandleForReading.availableData
            defer {
                input.fileHandleForWriting.write(Data("ROLLBACK;\n.quit\n".utf8))
                try? input.fileHandleForWriting.close()
                holder.waitUntilExit()
            }
            do {
                _ = try store.recordToolCall(bashCall("pwd"), verdict: allow, limits: .none, now: noon)
                Issue.record("a locked database must throw, never allow")
            } catch let error as ClawGuardError {
                #expect(error.code == .store)
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
    }

    @Test func concurrentStoresOnOneFileLoseNothing() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let path = dir.file("state.db")
        let limits = Limits(rateLimits: [.perMinute(25, .session)], loopDetection: nil)
        let outcomes = try await withThrowingTaskGroup(of: Decision.self) { group in
            for i in 0..<40 {
                group.addTask {
                    // Each task opens its own store: its own SQLite connection, as separate hook processes do.
                    let store = try StateStore(path: path)
                    return try store.recordToolCall(bashCall("echo \(i)", session: "shared"), verdict: allow,
                                                    limits: limits, now: noon).enforced
                }
            }
            return try await group.reduce(into: [Decision]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == .allow }.count == 25)
        let store = try StateStore(path: path)
        #expect(try store.session("shared")?.calls == 40)
        #expect(try store.verifyAudit().ok)
    }
}

@Suite struct ClaudeHookInputTests {
    /// The input the real Claude Code 2.1.331 sent to a PreToolUse hook (recorded by Tests/E2E).
    static let recorded = #"{"session_id":"d1eda29e-04b6-49d2-8f96-871d8c88d33b","transcript_path":"/tmp/h/.claude/projects/-tmp-w/d1eda29e-04b6-49d2-8f96-871d8c88d33b.jsonl","cwd":"/tmp/w","prompt_id":"0b3b3a0c","permission_mode":"default","effort":{"level":"medium"},"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"echo hello > out.txt"},"tool_use_id":"toolu_708411d2882945bca464e1a1"}"#

    @Test func parsesTheRecordedInput() throws {
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(Self.recorded.utf8))
        let event = try ToolCallEvent.claudeHook(json, user: "alice")
        #expect(event.session == "d1eda29e-04b6-49d2-8f96-871d8c88d33b")
        #expect(event.tool == "Bash" && event.cwd == "/tmp/w")
        #expect(event.input == .object(["command": .string("echo hello > out.txt")]))
        #expect(event.transcriptPath?.hasSuffix(".jsonl") == true)
        #expect(event.fingerprint == ToolCallEvent.fingerprint(tool: "Bash", input: event.input))
    }

    @Test(arguments: [#"[]"#, #"{"tool_name":"Bash"}"#, #"{"session_id":"s"}"#, #"{"session_id":"","tool_name":"Bash"}"#])
    func rejectsIncompleteInput(text: String) throws {
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(throws: ClawGuardError.self) { try ToolCallEvent.claudeHook(json, user: "u") }
    }
}

@Suite struct StatePathsTests {
    @Test func precedence() {
        let env = ["HOME": "/home/a", "CLAWGUARD_STATE": "/var/cg/state.db"]
        #expect(StatePaths.resolve(explicit: "/x/s.db", environment: env) == "/x/s.db")
        #expect(StatePaths.resolve(explicit: nil, environment: env) == "/var/cg/state.db")
        #expect(StatePaths.resolve(explicit: nil, environment: ["HOME": "/home/a"]) == "/home/a/.clawguard/state.db")
        #expect(StatePaths.resolve(explicit: "~/cg.db", environment: ["HOME": "/home/b"]) == "/home/b/cg.db")
    }
}

@Suite struct KillSwitchFailClosedTests {
    @Test func unreadableSettingCountsAsOn() throws {
        try withFileStore { store, _ in
            try tamper(store.path, "INSERT INTO settings(key, value) VALUES ('kill_switch', 'not json')")
            #expect(try store.killSwitch().on)
            let outcome = try store.recordToolCall(bashCall("ls"), verdict: allow, limits: .none, now: noon)
            #expect(outcome.enforced == .deny && outcome.hits.map(\.kind) == [.killSwitch])
        }
    }
}

@Suite struct LoopActionTests {
    @Test func aLoopCanAskInsteadOfDeny() throws {
        let store = try StateStore.inMemory()
        let limits = Limits(loopDetection: LoopDetection(repeats: 3, window: 5, action: .ask))
        let allow = Verdict(decision: .allow, reason: "allowed by rule Bash(ls:*)", rule: "Bash(ls:*)")
        let outcomes = try (0..<3).map { _ in try store.recordToolCall(bashCall("ls -la"), verdict: allow, limits: limits, now: noon) }
        #expect(outcomes.map(\.enforced) == [.allow, .allow, .ask])
        #expect(outcomes[2].reason.contains("loop detected"))
        #expect(outcomes[2].audit.last?.type == "approval_requested")
        // Another limit on top of the loop still denies.
        try store.setKillSwitch(true, reason: "test")
        #expect(try store.recordToolCall(bashCall("ls -la"), verdict: allow, limits: limits, now: noon).enforced == .deny)
    }
}

@Suite struct TimeWindowLayerTests {
    @Test func everyGroupMustAllowTheCall() throws {
        let allow = Verdict(decision: .allow, reason: "ok", rule: nil)
        let office = TimeWindow(name: "office", timeZone: "UTC", days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 18 * 60, group: "layer 0")
        let lunch = TimeWindow(name: "lunch", timeZone: "UTC", days: [1, 2, 3, 4, 5, 6, 7], startMinute: 12 * 60, endMinute: 13 * 60, group: "layer 1")
        // noon is Wednesday 10:00 UTC: inside `office`, outside `lunch`.
        let layered = try StateStore.inMemory().recordToolCall(bashCall("ls"), verdict: allow,
            limits: Limits(loopDetection: nil, timeWindows: [office, lunch]), now: noon)
        #expect(layered.enforced == .deny)
        #expect(layered.reason.contains("lunch"))
        var alternative = lunch
        alternative.group = "layer 0"
        let alternatives = try StateStore.inMemory().recordToolCall(bashCall("ls"), verdict: allow,
            limits: Limits(loopDetection: nil, timeWindows: [office, alternative]), now: noon)
        #expect(alternatives.enforced == .allow)
    }
}
