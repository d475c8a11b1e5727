import ClawGuardCore
import Foundation
import Testing
@testable import ClawGuardStore

/// `sessionTotals` (one read for a batch of sessions, used by the monitoring) agrees with `session(_:)`.
@Suite struct SessionTotalsTests {
    @Test func totalsAgreeWithSnapshots() throws {
        try withFileStore { store, _ in
            let ids = ["a", "b\"quote", "c'x", "ünï", "d\\e"]
            for (i, id) in ids.enumerated() {
                _ = try store.startSession(SessionStart(session: id, agent: "agent-\(i)", user: "user-\(i)"))
                try store.addCost(session: id, usd: Double(i) * 0.25)
            }
            let totals = try store.sessionTotals(ids + ["missing"])
            #expect(totals.count == ids.count)
            #expect(totals["missing"] == nil)
            for id in ids {
                let snapshot = try #require(try store.session(id))
                #expect(totals[id] == SessionTotals(agent: snapshot.agent, user: snapshot.user, costUSD: snapshot.costUSD))
            }
            #expect(try store.sessionTotals([String]()).isEmpty)
        }
    }
}
