import Hummingbird

/// Every route of the gateway, registered in one place. Other features add ONE line here
/// (`router.addXRoutes(services)`), in a file of their own under `Sources/<Target>/…`.
///
/// The auth middleware comes first: every route but `/health` needs a bearer token; each route then requires
/// its scope (`context.require(_:)` or a `RequireScope` group middleware).
public enum GatewayRoutes {
    /// Builds the router.
    public static func router(_ services: GatewayServices) -> Router<GatewayContext> {
        let router = Router(context: GatewayContext.self)
        router.addConsoleRoutes(services)  // web console at /ui: before the bearer-token middleware (own cookie login)
        router.add(middleware: AuthMiddleware(tokens: services.tokens, lockout: services.lockout, rateLimiter: services.rateLimiter,
                                              maxBodyBytes: services.configuration.maxBodyBytes, observer: services.observer))
        router.addHealthRoutes(services)
        router.addOpenAPIRoutes(services)
        router.addDecideRoutes(services)
        router.addApprovalRoutes(services)
        router.addSessionRoutes(services)
        router.addAuditRoutes(services)
        router.addMetricsRoutes(services)
        router.addRunRoutes(services)
        return router
    }
}
