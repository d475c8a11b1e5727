import ClawGuardCore
import ClawGuardMonitoring
import ClawGuardStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Builds the gateway: services, router and application. `clawguard serve` and the tests call the same code.
public enum Gateway {
    /// Creates the gateway's services over an open store (applies the gateway's migrations, loads the policy).
    /// - Throws: a policy or store error; the server must not start.
    public static func services(configuration: GatewayConfiguration, store: StateStore, observer: (any GatewayEventObserver)? = nil,
                                logger: Logger = Logger(label: "clawguard.gateway")) throws -> GatewayServices {
        try configuration.validate()
        try GatewaySchema.migrate(store)
        try store.setDurability(configuration.durableCommits ? .full : .normal)
        let layer = configuration.approvalPolicyPath ?? Self.defaultLayerPath(store: store)
        let policies = try PolicyHolder(configuration: configuration, layerPath: layer)
        let broker = ApprovalBroker()
        let monitoring = try MonitoringService(store: store, policy: policies.current().policy,
                                               configuration: MonitoringService.Configuration(prefix: configuration.metricsPrefix), logger: logger)
        let observer = MonitoringObserver(monitoring: monitoring, next: observer)
        let decisions = DecisionService(store: store, policies: policies, broker: broker, approvalTimeout: configuration.approvalTimeout,
                                        workingDirectory: configuration.workingDirectory, observer: observer, logger: logger)
        let auth = configuration.auth
        return GatewayServices(
            configuration: configuration, store: store, tokens: TokenStore(store: store), decisions: decisions, broker: broker,
            lockout: LockoutTracker(failures: auth.lockoutFailures, window: auth.lockoutWindow, duration: auth.lockoutDuration),
            rateLimiter: TokenRateLimiter(perMinute: auth.requestsPerMinute, burst: auth.burst), observer: observer,
            monitoring: monitoring, logger: logger)
    }

    /// Where `always` approvals write their rules by default: `gateway-policy.yaml` beside the state database.
    public static func defaultLayerPath(store: StateStore) -> String {
        let directory = (store.path as NSString).deletingLastPathComponent
        return (directory.isEmpty ? "." : directory) + "/gateway-policy.yaml"
    }

    /// The application: the HTTP server plus the approver service, shut down gracefully on SIGTERM/SIGINT by the
    /// caller's `ServiceGroup` (or `runService()`).
    public static func application(_ services: GatewayServices, router: Router<GatewayContext>? = nil,
                                   extraServices: [any Service] = [],
                                   onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        var approvers: [any Approver] = []
        for configuration in services.configuration.approvers { approvers.append(try configuration.makeApprover()) }
        let decisions = services.decisions
        let logger = services.logger
        let approverService = ApproverService(approvers: approvers, broker: services.broker, decide: { id, decision, actor in
            do {
                _ = try decisions.decideApproval(id, decision, by: actor)
            } catch {
                logger.error("recording an approver's decision failed", metadata: ["approval.id": .string(id), "error": .string("\(error)")])
            }
        }, logger: logger)
        return Application(
            router: router ?? GatewayRoutes.router(services),
            configuration: ApplicationConfiguration(address: .hostname(services.configuration.host, port: services.configuration.port),
                                                    serverName: "clawguard"),
            services: [QuietOnShutdown(base: services.monitoring), approverService] + extraServices,
            onServerRunning: onServerRunning,
            logger: logger)
    }

    /// On first start (no token at all), creates an admin token (`*`); the caller prints it once.
    public static func bootstrapAdminToken(_ tokens: TokenStore, createdBy: String) throws -> IssuedToken? {
        guard try tokens.count() == 0 else { return nil }
        return try tokens.create(name: "admin", scopes: [.all], createdBy: createdBy)
    }
}

/// Runs a service whose `run()` ends a graceful shutdown by throwing `CancellationError` (its sleeps are
/// cancelled), so that shutdown is not reported as a failure (exit status 1).
struct QuietOnShutdown: Service {
    let base: any Service

    func run() async throws {
        do {
            try await base.run()
        } catch is CancellationError {
            // Ended by the graceful shutdown.
        }
    }
}
