import ClawGuardCore
import Foundation
import GRDB

/// Who runs a session and what it has spent: what the monitoring needs per session for its spend events.
public struct SessionTotals: Sendable, Hashable {
    public var agent: String
    public var user: String
    public var costUSD: Double

    public init(agent: String, user: String, costUSD: Double) {
        self.agent = agent
        self.user = user
        self.costUSD = costUSD
    }
}

extension StateStore {
    /// The totals of every session of `ids` that exists, in ONE read (one prepared statement, the ids passed as a
    /// JSON array), instead of a full `session(_:)` snapshot per session: the gateway's monitoring asks this for
    /// every session of every batch of audit records.
    /// - Throws: `ClawGuardError(.store)`.
    public func sessionTotals(_ ids: some Collection<String>) throws(ClawGuardError) -> [String: SessionTotals] {
        guard !ids.isEmpty else { return [:] }
        let list: String
        do {
            list = String(decoding: try JSONEncoder().encode(Array(ids)), as: UTF8.self)
        } catch {
            throw ClawGuardError(.store, "could not list the sessions to read: \(error)")
        }
        return try read("reading session totals") { db in
            var totals: [String: SessionTotals] = [:]
            let rows = try Row.fetchCursor(
                db.cachedStatement(sql: "SELECT id, agent, user, cost_usd FROM sessions WHERE id IN (SELECT value FROM json_each(?))"),
                arguments: [list])
            while let row = try rows.next() {
                totals[row["id"]] = SessionTotals(agent: row["agent"], user: row["user"], costUSD: row["cost_usd"])
            }
            return totals
        }
    }
}
