import ClawGuardMonitoring
import Foundation
import Hummingbird

/// Feeds the gateway's own events (authentication failures, rate-limit rejections, decision latency, pending
/// approvals) to the monitoring service, then to another observer if any.
struct MonitoringObserver: GatewayEventObserver {
    let monitoring: MonitoringService
    let next: (any GatewayEventObserver)?

    func authenticationFailed(reason: String, client: String) {
        monitoring.report(.authFailure(reason: reason))
        next?.authenticationFailed(reason: reason, client: client)
    }

    func rateLimited(token: String) {
        monitoring.report(.rateLimited(user: token))
        next?.rateLimited(token: token)
    }

    func decided(decision: String, seconds: Double) {
        monitoring.report(.decisionLatency(seconds: seconds))
        next?.decided(decision: decision, seconds: seconds)
    }

    func pendingApprovals(_ count: Int) {
        monitoring.report(.pendingApprovals(count))
        next?.pendingApprovals(count)
    }
}

extension Router<GatewayContext> {
    /// `GET /metrics` in the Prometheus text format (scope `health:read`), from ClawGuardMonitoring: metrics
    /// computed from the audit trail (hook processes included) plus the gateway's own events.
    public func addMetricsRoutes(_ services: GatewayServices) {
        let monitoring = services.monitoring
        get("/metrics") { _, context -> Response in
            try context.require(.healthRead)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: monitoring.renderMetrics())))
        }
    }
}
