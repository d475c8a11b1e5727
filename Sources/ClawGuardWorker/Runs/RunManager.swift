import ClawGuardCore
import ClawGuardScanners
import ClawGuardStore
import Foundation
import Synchronization

/// Starts, watches and ends agent runs.
///
/// `submit` checks the guards and stores the run (status `queued`); `run()` — the manager's service body, run by
/// the caller's task group or `ServiceGroup` — starts each queued run as a child task and returns when its
/// caller's task is cancelled (ending every run it still has). No unstructured tasks.
///
/// Each run: a per-run directory (empty workspace, settings with ClawGuard's hooks, the run's policy layer),
/// the agent command from the template inside `clawguard run --profile …`, in a process group of its own. A
/// watchdog ends the whole group (SIGTERM, then SIGKILL after `killGraceSeconds`) on timeout, cancel or budget,
/// and records which. Output is parsed into events (redacted) and ClawGuard's decisions for the run's session
/// are read from the audit trail into the same sequence.
public final class RunManager: Sendable {
    public let configuration: WorkerConfiguration
    public let store: StateStore
    /// The runs table and the run events.
    public let runs: RunStore
    public let hub: EventHub
    let parser: StreamJSONParser
    let redactor: Redactor
    let queue: AsyncStream<String>
    let queueInput: AsyncStream<String>.Continuation
    let controls = Mutex<[String: RunControl]>([:])
    /// Explore phases whose plans wait for approval (for an approvals adapter such as the gateway's).
    public let approvalRequests: AsyncStream<RunRow>
    let approvalInput: AsyncStream<RunRow>.Continuation
    /// Loads the policy of a profile (budgets for the guards). Injected so tests can count on a fixed policy.
    let policyForProfile: @Sendable (String) throws -> Policy

    /// What a running run can be told.
    struct RunControl: Sendable {
        var stop: EndReason?
    }

    /// - Parameters:
    ///   - configuration: paths, template, limits.
    ///   - store: the state store (runs, events, decisions, spend).
    /// - Throws: `ClawGuardError(.store)` when the worker's tables cannot be created.
    public init(configuration: WorkerConfiguration, store: StateStore) throws(ClawGuardError) {
        self.configuration = configuration
        self.store = store
        runs = try RunStore(store: store)
        hub = EventHub(runs: runs)
        redactor = Redactor()
        parser = StreamJSONParser(redactor: redactor)
        (queue, queueInput) = AsyncStream<String>.makeStream(bufferingPolicy: .unbounded)
        (approvalRequests, approvalInput) = AsyncStream<RunRow>.makeStream(bufferingPolicy: .bufferingNewest(1000))
        let paths = configuration.policyPaths
        let cwd = configuration.runsDirectory
        policyForProfile = { profile in
            try PolicyLoader.load(paths: paths, profile: profile, cwd: cwd, home: NSHomeDirectory())
        }
    }

    // MARK: API

    /// Checks a request against the guards and queues it.
    /// - Returns: the stored run (`queued`).
    /// - Throws: `WorkerError(.refused)` naming the guard and why; `.internalError` when the store fails.
    public func submit(_ request: RunRequest, now: Date = Date()) throws(WorkerError) -> RunRow {
        let phases = request.phases ?? [.execute]
        let firstProfile = phases.first == .explore ? configuration.exploreProfile : request.profile
        let policy: Policy
        do { policy = try policyForProfile(request.profile) } catch {
            throw WorkerError(.refused, "the profile \(request.profile) cannot be loaded: \(error)", refusal: "unknown_profile",
                              underlying: error)
        }
        let timeout = request.timeoutSeconds ?? configuration.limits.defaultTimeoutSeconds
        let context = GuardContext(profileMaxBudgetUSD: policy.budgets.sessionUSD,
                                   dailyBudgetUSD: policy.budgets.dailyUSDPerUser, limits: configuration.limits,
                                   timeoutSeconds: timeout)
        for g in RunGuards.request {
            if let refusal = g.check(request, context) { throw WorkerError(.refused, refusal.reason, refusal: refusal.code) }
        }
        let row = RunRow(id: Self.newID(), user: request.user, profile: firstProfile,
                         phase: phases.count > 1 ? RunPhase.explore.rawValue : "single",
                         prompt: redactor.redact(request.prompt).text, budgetUSD: request.budgetUSD,
                         timeoutSeconds: timeout, session: UUID().uuidString.lowercased(),
                         createdAt: now.timeIntervalSince1970)
        let refusal: String?
        do {
            refusal = try runs.insertRun(row, windows: RunGuards.windows(configuration.limits)) { counts in
                for g in RunGuards.admission {
                    if let r = g.check(request, context, counts) { return r.code + "\u{1}" + r.reason }
                }
                return nil
            }
        } catch {
            throw WorkerError(.internalError, "the run could not be stored: \(error.message)", underlying: error)
        }
        if let refusal {
            let parts = refusal.split(separator: "\u{1}", maxSplits: 1).map(String.init)
            throw WorkerError(.refused, parts.last ?? refusal, refusal: parts.first)
        }
        // The prompt is kept unredacted only in memory until the run starts (the agent needs the real text).
        prompts.withLock { $0[row.id] = (request.prompt, request.profile) }
        hub.open(row.id)
        emit(row.id, .status, ["status": "queued", "phase": .string(row.phase)], now: now)
        queueInput.yield(row.id)
        return row
    }

    /// Prompts and execute profiles of queued runs (never stored unredacted).
    let prompts = Mutex<[String: (prompt: String, executeProfile: String)]>([:])

    /// A run.
    public func status(_ id: String) throws(WorkerError) -> RunRow {
        let row: RunRow?
        do { row = try runs.run(id: id) } catch { throw WorkerError(.internalError, error.message, underlying: error) }
        guard let row else { throw WorkerError(.notFound, "no run \(id)") }
        return row
    }

    /// Ends a run (queued, running or awaiting approval) and its whole process tree.
    public func cancel(_ id: String, now: Date = Date()) throws(WorkerError) -> RunRow {
        var row = try status(id)
        guard let status = RunStatus(rawValue: row.status), !status.isFinal else {
            throw WorkerError(.conflict, "run \(id) has already ended (\(row.status))")
        }
        let running = controls.withLock { controls -> Bool in
            guard var control = controls[id] else { return false }
            if control.stop == nil { control.stop = .cancelled }
            controls[id] = control
            return true
        }
        if !running {
            // Not started (queued) or held for approval: end it here.
            row.status = RunStatus.cancelled.rawValue
            row.endReason = EndReason.cancelled.rawValue
            row.endedAt = now.timeIntervalSince1970
            try update(row)
            emit(id, .end, ["status": "cancelled", "end_reason": "cancelled", "cost_usd": .number(row.costUSD)])
            hub.finish(id)
        }
        return row
    }

    /// The events of a run: stored ones after `afterSeq`, then live ones until it ends.
    public func events(_ id: String, afterSeq: Int = -1) throws(WorkerError) -> AsyncStream<RunEvent> {
        _ = try status(id)
        do { return try hub.events(id, afterSeq: afterSeq) } catch {
            throw WorkerError(.internalError, error.message, underlying: error)
        }
    }

    /// Runs queued runs until the calling task is cancelled. Call once (it is the manager's service body).
    public func run() async {
        await withDiscardingTaskGroup { group in
            for await id in queue {
                group.addTask { await self.execute(id) }
            }
        }
    }

    /// Stops accepting queued runs: `run()` returns once the running ones end.
    public func shutdown() {
        queueInput.finish()
        approvalInput.finish()
    }

    // MARK: Internals

    /// Appends an event; a store failure is not fatal to the run (its row still records the outcome).
    func emit(_ runID: String, _ kind: RunEvent.Kind, _ data: JSONValue, now: Date = Date()) {
        _ = try? hub.append(runID, kind, data, now: now)
    }

    func update(_ row: RunRow) throws(WorkerError) {
        do { try runs.updateRun(row) } catch { throw WorkerError(.internalError, error.message, underlying: error) }
    }

    static func newID() -> String {
        "run_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
    }
}
