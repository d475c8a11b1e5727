import ClawGuardCore
@testable import ClawGuardServer
import ClawGuardStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Decisions committed together keep the semantics of one transaction each: a session quota admits exactly its
/// quota however many requests arrive at once, and every call is counted and audited once.
@Suite struct GroupCommitTests {
    @Test func concurrentDecisionsRespectTheQuota() async throws {
        let gateway = try TestGateway(policy: """
            version: 1
            permissions:
              allow: ["Bash(echo *)"]
            limits:
              per_session: { per_hour: 20 }  # per hour: a slow run cannot earn a refill (1 per 3 min)
            """)
        try await gateway.live { (client: any TestClientProtocol) async throws in
            let decisions = try await withThrowingTaskGroup(of: String.self) { group in
                for i in 0..<60 {
                    group.addTask {
                        try await client.call(.post, "/v1/decide", token: gateway.admin, json: DecideTests.body("echo \(i)", session: "q1"))
                            .json["decision"]?.stringValue ?? "?"
                    }
                }
                var all: [String] = []
                for try await decision in group { all.append(decision) }
                return all
            }
            #expect(decisions.filter { $0 == "allow" }.count == 20)
            #expect(decisions.filter { $0 == "deny" }.count == 40)
        }
        let session = try #require(try gateway.services.store.session("q1"))
        #expect(session.calls == 60)
        let calls = try gateway.services.store.auditRecords(.init(session: "q1")).filter { $0.type != "agent_started" }
        #expect(calls.count == 60)
        #expect(try gateway.services.store.verifyAudit().ok)
    }
}
