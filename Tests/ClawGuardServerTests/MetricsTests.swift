import ClawGuardCore
@testable import ClawGuardServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/metrics` through the real server: the audit tail (decisions) and the gateway's own events (auth failures,
/// decision latency, pending approvals) show up in the Prometheus text.
@Suite struct MetricsTests {
    @Test func metricsReflectDecisionsAndGatewayEvents() async throws {
        let gateway = try TestGateway()
        try await gateway.live { (client: any TestClientProtocol) async throws in
            try await client.call(.post, "/v1/decide", token: gateway.admin, json: DecideTests.body("rm -rf /", session: "m1"))
            try await client.call(.post, "/v1/decide", token: gateway.admin, json: DecideTests.body("git push origin main", session: "m1"))
            try await client.call(.get, "/v1/sessions", token: "wrong")
            let text = try await eventually("blocked calls in /metrics") { () -> String? in
                let reply = try await client.call(.get, "/metrics", token: gateway.admin)
                #expect(reply.status == .ok)
                return reply.text.contains(#"clawguard_tool_invocations_total{status="blocked",tool="Bash"} 1"#)
                    || reply.text.contains(#"clawguard_tool_invocations_total{tool="Bash",status="blocked"} 1"#) ? reply.text : nil
            }
            #expect(text.contains("clawguard_auth_failures_total 1"))
            #expect(text.contains("clawguard_pending_approvals 1"))
            #expect(text.contains("clawguard_decision_latency_seconds_count 2"))
            let chat = try gateway.token([.chat])
            #expect(try await client.call(.get, "/metrics", token: chat).status == .forbidden)
        }
    }
}
