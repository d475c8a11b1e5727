import ClawGuardStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Observes authentication and rate-limit events that are not audit records (for metrics).
public protocol GatewayEventObserver: Sendable {
    /// A failed authentication (`reason`: missing, malformed, unknown, expired, revoked, locked_out).
    func authenticationFailed(reason: String, client: String)
    /// A request refused by the per-token rate limit.
    func rateLimited(token: String)
    /// A decision answered by `/v1/decide`, with its latency.
    func decided(decision: String, seconds: Double)
    /// The number of pending approvals changed.
    func pendingApprovals(_ count: Int)
}

extension GatewayEventObserver {
    public func pendingApprovals(_ count: Int) {}
}

/// Authenticates every request except the public paths: bearer token → 401 (none, bad, expired, revoked),
/// lockout per client address after repeated failures → 429 with `Retry-After`, per-token rate limit → 429
/// with `Retry-After`, and a `Content-Length` over the body limit → 413 before the body is read. The scope
/// check is per route (`GatewayContext.require`, `RequireScope`).
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = GatewayContext

    /// Paths that need no token.
    public static let publicPaths: Set<String> = ["/health"]

    let tokens: TokenStore
    let lockout: LockoutTracker
    let rateLimiter: TokenRateLimiter
    let maxBodyBytes: Int
    let observer: (any GatewayEventObserver)?

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes {
            throw GatewayError(.tooLarge, "the request body (\(length) bytes) is over the limit of \(maxBodyBytes) bytes")
        }
        if Self.publicPaths.contains(request.uri.path) { return try await next(request, context) }
        let client = context.clientAddress
        if let wait = lockout.lockedOut(client) {
            observer?.authenticationFailed(reason: "locked_out", client: client)
            throw GatewayError(.tooManyRequests, "too many failed authentications from \(client); try again in \(Self.seconds(wait)) s",
                               headers: [.retryAfter: "\(Self.seconds(wait))"])
        }
        let result: Result<TokenRecord, TokenRejection>
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                result = tokens.verify(String(parts[1]).trimmingCharacters(in: .whitespaces))
            } else {
                result = .failure(.malformed)
            }
        } else {
            result = .failure(.missing)
        }
        switch result {
        case .failure(let rejection):
            // Only a presented credential that fails counts towards the lockout: a request without one guesses
            // nothing (a browser's favicon or a health probe), and counting it would let any page on the same
            // address lock the hooks out. It is still refused and still counted as an authentication failure.
            if rejection != .missing { lockout.recordFailure(client) }
            observer?.authenticationFailed(reason: rejection.rawValue, client: client)
            context.logger.notice("authentication failed", metadata: ["auth.reason": .string(rejection.rawValue), "client": .string(client)])
            throw GatewayError(.unauthorized, Self.message(rejection), headers: [.wwwAuthenticate: "Bearer"])
        case .success(let token):
            if let wait = rateLimiter.admit(token.id) {
                observer?.rateLimited(token: token.name)
                let seconds = Self.seconds(wait)
                throw GatewayError(.tooManyRequests, "the token '\(token.name)' is over its rate limit; retry in \(seconds) s",
                                   headers: [.retryAfter: "\(seconds)"])
            }
            var context = context
            context.token = token
            context.logger[metadataKey: "token"] = .string(token.name)
            return try await next(request, context)
        }
    }

    static func message(_ rejection: TokenRejection) -> String {
        switch rejection {
        case .missing: "this route needs a token: send Authorization: Bearer <token> (create one with `clawguard token create`)"
        case .malformed: "the Authorization header is not a ClawGuard bearer token (Bearer cgt_…)"
        case .unknown: "the token is not valid"
        case .expired: "the token has expired; create a new one with `clawguard token create`"
        case .revoked: "the token has been revoked"
        }
    }

    static func seconds(_ duration: Duration) -> Int {
        max(1, Int((Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18).rounded(.up)))
    }
}

/// Requires a scope on every route of a group: `router.group("v1/x").add(middleware: RequireScope(.auditRead))`.
public struct RequireScope: RouterMiddleware {
    public typealias Context = GatewayContext
    let scope: Scope

    public init(_ scope: Scope) { self.scope = scope }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try context.require(scope)
        return try await next(request, context)
    }
}
