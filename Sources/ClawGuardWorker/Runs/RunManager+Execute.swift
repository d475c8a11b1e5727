import ClawGuardCore
import ClawGuardScanners
import ClawGuardStore
import Foundation
import Subprocess
import SystemPackage
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

extension RunManager {
    /// What one run's watchers learned, shared by the output reader and the watchdog.
    struct Observed: Sendable {
        var resultSubtype: String?
        var resultText: String?
        var isError = false
        var agentCost: Double?
        var denials: [JSONValue] = []
        var deniedIDs: Set<String> = []
        var lastAuditSeq: Int64 = 0
        var budgetExceededByClawGuard = false
        var stderrTail: [String] = []
        /// The agent's output ended (it exited): the watchdog's cancellation is then not a shutdown.
        var outputClosed = false
    }

    /// Shared by the output reader and the watchdog of one run.
    final class ObservedBox: Sendable {
        let state = Mutex(Observed())
        func withLock<T>(_ body: (inout Observed) -> T) -> T { state.withLock { body(&$0) } }
    }

    func execute(_ id: String) async {
        guard var row = try? runs.run(id: id), row.status == RunStatus.queued.rawValue else { return }
        guard let held = prompts.withLock({ $0[id] }) else {
            finish(&row, reason: .startFailed, error: "the run's prompt is no longer held (the worker restarted)", observed: Observed())
            return
        }
        let started = Date()
        row.status = RunStatus.running.rawValue
        row.startedAt = started.timeIntervalSince1970
        try? update(row)
        controls.withLock { $0[id] = RunControl() }
        emit(id, .status, ["status": "running", "session": .string(row.session ?? "")])

        let explore = row.phase == RunPhase.explore.rawValue
        let prompt = explore ? Self.explorePreamble + "\n" + held.prompt : held.prompt
        let layout = layoutFor(row)
        let argv: [String]
        // The phase's gateway token lives as long as the agent: revoked however this phase ends.
        var gatewayTokenID: String?
        defer { if let gatewayTokenID { configuration.gateway?.revoke(gatewayTokenID) } }
        do {
            argv = try prepare(row, layout: layout, explore: explore, prompt: prompt, gatewayTokenID: &gatewayTokenID)
        } catch {
            finish(&row, reason: .startFailed, error: "the run could not be prepared: \(error)", observed: Observed())
            return
        }
        if !explore { prompts.withLock { _ = $0.removeValue(forKey: id) } }

        let observed = ObservedBox()
        var exitDescription = ""
        do {
            let outcome = try await Subprocess.run(
                .path(FilePath(argv[0])), arguments: Arguments(Array(argv.dropFirst())),
                environment: .custom(minimalEnvironment(layout)), workingDirectory: FilePath(layout.directory),
                platformOptions: Self.ownProcessGroup(), input: .none, output: .sequence, error: .sequence
            ) { execution in
                await self.watch(execution, row: row, layout: layout, observed: observed)
            }
            exitDescription = "\(outcome.terminationStatus)"
            if case .exited(let code) = outcome.terminationStatus { row.exitStatus = Int(code) }
            if case .signaled(let signal) = outcome.terminationStatus { row.exitStatus = 128 + Int(signal) }
        } catch {
            finish(&row, reason: .startFailed, error: "the agent could not be started: \(error)", observed: observed.withLock { $0 })
            return
        }
        let stop = controls.withLock { $0.removeValue(forKey: id)?.stop }
        let seen = observed.withLock { $0 }
        let reason: EndReason
        if let stop {
            reason = stop
        } else if seen.resultSubtype == "error_max_budget_usd" || seen.budgetExceededByClawGuard {
            reason = .budget
        } else if seen.resultSubtype == "success" && !seen.isError {
            reason = .completed
        } else {
            reason = .error
        }
        var error: String?
        if reason == .error {
            error = seen.resultSubtype.map { "the agent ended with \($0)" }
                ?? "the agent ended without a result (\(exitDescription)): " + seen.stderrTail.suffix(5).joined(separator: " | ")
        }
        if explore && reason == .completed {
            holdForApproval(&row, observed: seen, started: started)
            return
        }
        finish(&row, reason: reason, error: error, observed: seen, started: started)
    }

    /// Reads the agent's output and runs the watchdog until the process ends.
    func watch(_ execution: Execution<NoInput, SequenceOutput, SequenceOutput>, row: RunRow, layout: RunLayout,
               observed: ObservedBox) async {
        let id = row.id
        FileManager.default.createFile(atPath: layout.output, contents: nil, attributes: [.posixPermissions: 0o600])
        let output = FileHandle(forWritingAtPath: layout.output) ?? FileHandle.nullDevice
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await line in execution.standardError.strings() {
                        let clean = self.parser.clean(line)
                        observed.withLock { $0.stderrTail = Array(($0.stderrTail + [clean]).suffix(20)) }
                        self.emit(id, .stderr, ["line": .string(clean)])
                    }
                } catch {}
            }
            group.addTask { await self.watchdog(execution, row: row, observed: observed) }
            do {
                for try await line in execution.standardOutput.strings() {
                    // The stored copy of the output is redacted too.
                    output.write(Data((redactor.redact(line).text + "\n").utf8))
                    for event in parser.parse(line: line) { record(event, runID: id, observed: observed) }
                }
            } catch {
                emit(id, .stderr, ["line": .string("reading the agent's output failed: \(error)")])
            }
            // The output is closed: the agent is gone. Stop the watchdog (the audit is read once more below).
            observed.withLock { $0.outputClosed = true }
            group.cancelAll()
        }
        try? output.close()
        pollAudit(row: row, observed: observed)
    }

    func record(_ event: ParsedEvent, runID: String, observed: ObservedBox) {
        let keep = observed.withLock { o -> Bool in
            switch event.kind {
            case .result:
                o.resultSubtype = event.data["subtype"]?.stringValue
                o.resultText = event.data["result"]?.stringValue
                if case .bool(let e)? = event.data["is_error"] { o.isError = e }
            case .cost:
                if case .number(let usd)? = event.data["usd"] { o.agentCost = usd }
            case .denial:
                let key = event.data["id"]?.stringValue ?? UUID().uuidString
                if o.deniedIDs.contains(key) { return false }
                o.deniedIDs.insert(key)
                o.denials.append(event.data)
            default:
                break
            }
            return true
        }
        if keep { emit(runID, event.kind, event.data) }
    }

    /// Every 200 ms: cancel, timeout, spend, ClawGuard's decisions. Ends the process group when told to.
    func watchdog(_ execution: Execution<NoInput, SequenceOutput, SequenceOutput>, row: RunRow,
                  observed: ObservedBox) async {
        let deadline = ContinuousClock.now + .milliseconds(Int64(row.timeoutSeconds * 1000))
        var lastBudgetCheck = ContinuousClock.now - .seconds(3600)
        while !Task.isCancelled {
            if ContinuousClock.now >= deadline { requestStop(row.id, .timeout) }
            if ContinuousClock.now - lastBudgetCheck >= .milliseconds(Int64(configuration.budgetPollSeconds * 1000)) {
                lastBudgetCheck = ContinuousClock.now
                pollAudit(row: row, observed: observed)
                if let session = row.session, let spent = try? store.session(session)?.costUSD, spent >= row.budgetUSD {
                    emit(row.id, .cost, ["usd": .number(spent), "source": "clawguard"])
                    requestStop(row.id, .budget)
                }
                if observed.withLock({ $0.budgetExceededByClawGuard }) { requestStop(row.id, .budget) }
            }
            if let reason = controls.withLock({ $0[row.id]?.stop }) {
                await terminate(execution, runID: row.id, reason: reason)
                return
            }
            do { try await Task.sleep(for: .milliseconds(200)) } catch { break }
        }
        // Cancelled from outside while the agent may still run (the worker shuts down): end the tree too.
        if Task.isCancelled, !observed.withLock({ $0.outputClosed }), controls.withLock({ $0[row.id]?.stop == nil }) {
            // The worker shuts down. (After the output closed this is a kill of an empty group: harmless.)
            requestStop(row.id, .cancelled)
            _ = try? execution.send(signal: .kill, toProcessGroup: true)
        }
    }

    func requestStop(_ id: String, _ reason: EndReason) {
        controls.withLock { controls in
            guard var control = controls[id], control.stop == nil else { return }
            control.stop = reason
            controls[id] = control
        }
    }

    /// SIGTERM to the whole process group (`clawguard run` then kills its sandbox and reports), SIGKILL after the
    /// grace period if anything is left.
    func terminate(_ execution: Execution<NoInput, SequenceOutput, SequenceOutput>, runID: String, reason: EndReason) async {
        emit(runID, .status, ["status": "stopping", "reason": .string(reason.rawValue)])
        let pgid = execution.processIdentifier.value
        _ = try? execution.send(signal: .terminate, toProcessGroup: true)
        let deadline = ContinuousClock.now + .milliseconds(Int64(configuration.killGraceSeconds * 1000))
        while ContinuousClock.now < deadline {
            if kill(-pgid, 0) != 0 { return }
            try? await Task.sleep(for: .milliseconds(100))
        }
        _ = try? execution.send(signal: .kill, toProcessGroup: true)
    }

    /// Reads ClawGuard's new audit records for the run's session into the event sequence.
    func pollAudit(row: RunRow, observed: ObservedBox) {
        guard let session = row.session else { return }
        let after = observed.withLock { $0.lastAuditSeq }
        guard let records = try? store.auditRecords(StateStore.AuditQuery(session: session, afterSeq: after)) else { return }
        for r in records {
            let data: JSONValue = ["type": .string(r.type), "tool": r.tool.map(JSONValue.string) ?? .null,
                                   "decision": r.decision.map(JSONValue.string) ?? .null,
                                   "rule": r.rule.map(JSONValue.string) ?? .null,
                                   "reason": r.reason.map { JSONValue.string(parser.clean($0)) } ?? .null, "audit_seq": .number(Double(r.seq))]
            emit(row.id, .decision, data)
            observed.withLock { o in
                o.lastAuditSeq = max(o.lastAuditSeq, r.seq)
                if r.type == "budget_exceeded" { o.budgetExceededByClawGuard = true }
                if r.type == "tool_blocked" || r.decision == "deny" {
                    let details = (try? JSONDecoder().decode(JSONValue.self, from: Data(r.details.utf8))) ?? .null
                    o.denials.append(["tool": r.tool.map(JSONValue.string) ?? .null, "source": "clawguard",
                                      "rule": r.rule.map(JSONValue.string) ?? .null,
                                      "reason": r.reason.map { JSONValue.string(parser.clean($0)) } ?? .null,
                                      "input": parser.clean(details["parameters"] ?? .null)])
                }
            }
        }
    }

    func finish(_ row: inout RunRow, reason: EndReason, error: String?, observed: Observed, started: Date? = nil) {
        let now = Date()
        row.status = reason.status.rawValue
        row.endReason = reason.rawValue
        row.endedAt = now.timeIntervalSince1970
        row.result = observed.resultText
        row.error = error.map(parser.clean)
        row.costUSD = cost(of: row, observed: observed)
        if let started { row.durationSeconds = now.timeIntervalSince(started) }
        row.denials = EventHub.encode(.array(observed.denials))
        try? update(row)
        addSpend(row)
        var end: JSONValue = ["status": .string(row.status), "end_reason": .string(reason.rawValue),
                              "cost_usd": .number(row.costUSD), "denials": .number(Double(observed.denials.count))]
        if let d = row.durationSeconds, case .object(var o) = end { o["duration_seconds"] = .number(d); end = .object(o) }
        if let error = row.error, case .object(var o) = end { o["error"] = .string(error); end = .object(o) }
        emit(row.id, .end, end)
        hub.finish(row.id)
        prompts.withLock { _ = $0.removeValue(forKey: row.id) }
    }

    /// The run's spend: the larger of what the agent reported and what ClawGuard read from its transcript.
    func cost(of row: RunRow, observed: Observed) -> Double {
        let recorded = row.session.flatMap { try? store.session($0)?.costUSD } ?? 0
        return max(observed.agentCost ?? 0, recorded)
    }

    /// Adds what the hook has not already counted to the user's daily spend.
    func addSpend(_ row: RunRow) {
        let recorded = row.session.flatMap { try? store.session($0)?.costUSD } ?? 0
        try? runs.addDailySpend(user: row.user, usd: row.costUSD - recorded)
    }

    func layoutFor(_ row: RunRow) -> RunLayout {
        // The execute phase works in its explore phase's workspace.
        RunLayout(runsDirectory: configuration.runsDirectory, runID: row.id, workspaceOf: row.parentID)
    }

    static func ownProcessGroup() -> PlatformOptions {
        var options = PlatformOptions()
        options.processGroupID = 0
        return options
    }

    func minimalEnvironment(_ layout: RunLayout) -> [Environment.Key: String] {
        ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": layout.directory, "LANG": "C.UTF-8"]
    }
}
