import Hummingbird
import Logging
import NIOCore

/// The request context of every gateway route: the client's address (for lockouts) and, once the auth
/// middleware has run, the token that authenticated the request.
public struct GatewayContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address (`unknown` when the transport has none).
    public var clientAddress: String
    /// The authenticated token (nil on public routes).
    public var token: TokenRecord?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        token = nil
    }

    /// Who is acting, for `decided_by` and the audit trail: `token:<name>`.
    public var actor: String { token.map { "token:\($0.name)" } ?? "anonymous" }

    /// Throws 403 unless the request's token grants `scope` (401 if unauthenticated).
    public func require(_ scope: Scope) throws {
        guard let token else { throw GatewayError(.unauthorized, "this route needs a bearer token", headers: [.wwwAuthenticate: "Bearer"]) }
        guard token.scopes.grant(scope) else {
            throw GatewayError(.forbidden, "the token '\(token.name)' lacks the scope '\(scope.name)' this route needs")
        }
    }
}
