import ClawGuardCore
import ClawGuardStore
import Foundation
import Synchronization

/// Phased runs, the reference design's read-only exploration: `[explore, execute]` runs first with the explore
/// profile and a read-only workspace, holds its answer (the plan) for approval, and starts the execute phase with
/// the requested profile only once approved.
extension RunManager {
    /// Instruction that frames the explore phase.
    static let explorePreamble = """
        This is a read-only exploration. Do not change any file. Read what you need and answer with a concise \
        plan (or findings) for the task below; a human approves it before anything is changed.

        Task:
        """

    /// The explore phase ended well: its answer is the plan, held until `approve`.
    func holdForApproval(_ row: inout RunRow, observed: Observed, started: Date) {
        let now = Date()
        row.status = RunStatus.awaitingApproval.rawValue
        row.result = observed.resultText
        row.costUSD = cost(of: row, observed: observed)
        row.durationSeconds = now.timeIntervalSince(started)
        row.denials = EventHub.encode(.array(observed.denials))
        try? update(row)
        addSpend(row)
        emit(row.id, .approval, ["state": "pending", "plan": .string(observed.resultText ?? "")])
        approvalInput.yield(row)
    }

    /// Approves (or rejects) the plan of an explore phase: the execute phase starts with the write profile.
    /// - Returns: the execute run (approved) or the rejected explore run.
    public func approve(_ id: String, approved: Bool = true, by approver: String, now: Date = Date()) throws(WorkerError) -> RunRow {
        var explore = try status(id)
        guard explore.status == RunStatus.awaitingApproval.rawValue else {
            throw WorkerError(.conflict, "run \(id) is not waiting for approval (\(explore.status))")
        }
        let held = prompts.withLock { $0[id] }
        explore.endedAt = explore.endedAt ?? now.timeIntervalSince1970
        guard approved, let held else {
            explore.status = RunStatus.rejected.rawValue
            explore.endReason = EndReason.rejected.rawValue
            try update(explore)
            emit(id, .approval, ["state": "rejected", "by": .string(approver)])
            emit(id, .end, ["status": "rejected", "end_reason": "rejected", "cost_usd": .number(explore.costUSD)])
            hub.finish(id)
            prompts.withLock { _ = $0.removeValue(forKey: id) }
            return explore
        }
        let plan = explore.result ?? ""
        let execute = RunRow(id: Self.newID(), user: explore.user, profile: held.executeProfile,
                             phase: RunPhase.execute.rawValue, parentID: explore.id, prompt: explore.prompt,
                             budgetUSD: max(explore.budgetUSD - explore.costUSD, 0.0001),
                             timeoutSeconds: explore.timeoutSeconds, session: UUID().uuidString.lowercased(),
                             createdAt: now.timeIntervalSince1970)
        do {
            _ = try runs.insertRun(execute, windows: []) { _ in nil }
        } catch {
            throw WorkerError(.internalError, "the execute phase could not be stored: \(error.message)", underlying: error)
        }
        explore.status = RunStatus.completed.rawValue
        explore.endReason = EndReason.completed.rawValue
        try update(explore)
        prompts.withLock {
            $0.removeValue(forKey: id)
            $0[execute.id] = (held.prompt + "\n\nThe approved plan from the read-only exploration:\n" + plan, held.executeProfile)
        }
        emit(id, .approval, ["state": "approved", "by": .string(approver), "execute_run": .string(execute.id)])
        emit(id, .end, ["status": "completed", "end_reason": "completed", "execute_run": .string(execute.id)])
        hub.finish(id)
        hub.open(execute.id)
        emit(execute.id, .status, ["status": "queued", "phase": "execute", "parent": .string(id)])
        queueInput.yield(execute.id)
        return execute
    }

}
