import ClawGuardMonitoring
import ClawGuardStore
import Foundation
import Logging

/// Everything the routes use, built once by `Gateway` and shared (all members are thread-safe).
public struct GatewayServices: Sendable {
    public let configuration: GatewayConfiguration
    public let store: StateStore
    public let tokens: TokenStore
    public let decisions: DecisionService
    public let broker: ApprovalBroker
    public let lockout: LockoutTracker
    public let rateLimiter: TokenRateLimiter
    public let observer: (any GatewayEventObserver)?
    /// Metrics and alerts (ClawGuardMonitoring); runs as a service of the application.
    public let monitoring: MonitoringService
    public let logger: Logger

    /// The approvals table.
    public var approvals: ApprovalStore { decisions.approvals }
    /// The policy in force.
    public var policies: PolicyHolder { decisions.policies }
}
