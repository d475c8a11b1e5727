import ClawGuardConsole
import ClawGuardCore
import ClawGuardWorker
import Foundation

extension GatewayConsole {
    /// The console's view of the worker API's runs (`/v1/runs`), read from the runs table the worker writes. A run
    /// links to its agent session, whose timeline the console shows.
    struct WorkerRuns: ConsoleRuns {
        let runs: RunStore

        func runs(limit: Int) async throws(ClawGuardError) -> [RunItem] {
            try runs.runs(limit: limit).map(Self.item)
        }

        func run(id: String) async throws(ClawGuardError) -> RunItem? {
            try runs.run(id: id).map(Self.item)
        }

        static func item(_ row: RunRow) -> RunItem {
            RunItem(id: row.id, user: row.user, status: row.status, profile: row.profile, prompt: row.prompt,
                    costUSD: row.costUSD, budgetUSD: row.budgetUSD,
                    startedAt: Date(timeIntervalSince1970: row.startedAt ?? row.createdAt),
                    endedAt: row.endedAt.map { Date(timeIntervalSince1970: $0) }, session: row.session)
        }
    }
}
