import ClawGuardCore
import ClawGuardStore
import ClawGuardWorker
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The worker inside the gateway: runs the `RunManager` as a service and connects phased runs to the gateway's
/// approvals. When an explore phase holds its plan, a pending approval (tool `WorkerPlan`, the plan as its diff)
/// is created and announced on the approvals stream; approving or denying it through `/v1/approvals/{id}/…` (or
/// the console) starts the execute phase or rejects the run.
public final class GatewayWorker: Service, Sendable {
    /// The tool name of a plan approval.
    public static let planTool = "WorkerPlan"

    public let manager: RunManager
    let approvals: ApprovalStore
    let broker: ApprovalBroker
    let logger: Logger
    /// run id → approval id, and back.
    let links = Mutex<(byRun: [String: String], byApproval: [String: String])>(([:], [:]))

    public init(manager: RunManager, approvals: ApprovalStore, broker: ApprovalBroker, logger: Logger) {
        self.manager = manager
        self.approvals = approvals
        self.broker = broker
        self.logger = logger
    }

    /// The approval that holds a run's plan, if any.
    public func approvalID(forRun id: String) -> String? { links.withLock { $0.byRun[id] } }

    /// Runs queued runs and the approval bridge until the gateway shuts down (graceful shutdown cancels them: every
    /// running run is ended with its process tree and recorded as cancelled).
    public func run() async throws {
        let decided = broker.subscribe()
        try await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.manager.run() }
                group.addTask {
                    for await row in self.manager.approvalRequests { self.requestApproval(row) }
                }
                group.addTask {
                    for await event in decided where event.type == "decided" && event.approval.tool == Self.planTool {
                        self.decided(event.approval)
                    }
                }
            }
        }
    }

    func requestApproval(_ row: RunRow) {
        let plan = row.result ?? ""
        let event = ToolCallEvent(session: row.session ?? row.id, agent: "clawguard-worker", user: row.user, cwd: nil,
                                  tool: Self.planTool,
                                  input: ["run": .string(row.id), "plan": .string(plan), "prompt": .string(row.prompt)])
        let verdict = Verdict(decision: .ask, reason: "the plan of run \(row.id) waits for approval before its execute phase")
        do {
            let record = try approvals.create(event: event, verdict: verdict, diff: plan)
            links.withLock {
                $0.byRun[row.id] = record.id
                $0.byApproval[record.id] = row.id
            }
            broker.publishCreated(record)
        } catch {
            // Fail closed: without an approval record nobody can approve; the run stays held (cancel ends it).
            logger.error("could not create the plan approval", metadata: ["run.id": .string(row.id), "error": .string("\(error)")])
        }
    }

    func decided(_ record: ApprovalRecord) {
        let runID = links.withLock { $0.byApproval[record.id] } ?? record.input["run"]?.stringValue
        guard let runID else { return }
        do {
            _ = try manager.approve(runID, approved: record.status == .approved, by: record.decidedBy ?? "approver")
        } catch {
            logger.warning("a plan decision could not be applied", metadata: ["run.id": .string(runID), "error": .string("\(error)")])
        }
    }
}
