import ClawGuardCore
@testable import ClawGuardServer
import ClawGuardStore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every route through the real HTTP stack: no token, a wrong scope, an expired and a revoked token.
@Suite struct AuthTests {
    /// The router's routes with `{param}` filled in (the source of truth, so a new route is covered automatically).
    static func routes(_ services: GatewayServices) -> [(HTTPRequest.Method, String)] {
        // The web console (/ui) authenticates with its own session cookie and CSRF token: ClawGuardConsoleTests.
        GatewayRoutes.router(services).routes.filter { !$0.path.description.hasPrefix("/ui") }.map { route in
            let path = route.path.description.replacingOccurrences(of: "{id}", with: "x")
            return (route.method, path)
        }
    }

    @Test func everyRouteButHealthNeedsAToken() async throws {
        let gateway = try TestGateway(auth: AuthSettings(lockoutFailures: 100_000))
        let routes = Self.routes(gateway.services)
        #expect(routes.count >= 15)
        let wrongScope = try gateway.token(["skills:none"])
        let expired = try gateway.token([.all], name: "expired")
        try gateway.services.store.adapterWrite("expire") { db in
            try db.execute(sql: "UPDATE tokens SET expires_at = ? WHERE name = 'expired'", arguments: [Date().timeIntervalSince1970 - 10])
        }
        let revoked = try gateway.token([.all], name: "revoked")
        #expect(try gateway.services.tokens.revoke("revoked"))
        gateway.services.tokens.invalidate()
        try await gateway.live { (client: any TestClientProtocol) async throws in
            for (method, path) in routes {
                let body = method == .post ? "{}" : nil
                if path == "/health" {
                    #expect(try await client.call(method, path, token: nil).status == .ok)
                    continue
                }
                let none = try await client.call(method, path, token: nil, json: body)
                #expect(none.status == .unauthorized, "\(method) \(path) without a token: \(none.status)")
                #expect(none.headers[.wwwAuthenticate] == "Bearer")
                let bad = try await client.call(method, path, token: "cgt_000000000000_" + String(repeating: "0", count: 64), json: body)
                #expect(bad.status == .unauthorized, "\(method) \(path) with an unknown token")
                let old = try await client.call(method, path, token: expired, json: body)
                #expect(old.status == .unauthorized, "\(method) \(path) with an expired token")
                #expect(old.json["error"]?["message"]?.stringValue?.contains("expired") == true)
                let gone = try await client.call(method, path, token: revoked, json: body)
                #expect(gone.status == .unauthorized, "\(method) \(path) with a revoked token")
                let scoped = try await client.call(method, path, token: wrongScope, json: body)
                if path == "/openapi.json" {
                    #expect(scoped.status == .ok)
                } else {
                    #expect(scoped.status == .forbidden, "\(method) \(path) with a wrong scope: \(scoped.status)")
                }
            }
        }
    }

    @Test func theRightScopeIsEnough() async throws {
        let gateway = try TestGateway()
        let reader = try gateway.token([.sessionsRead])
        let auditor = try gateway.token([.auditRead])
        try await gateway.live { (client: any TestClientProtocol) async throws in
            #expect(try await client.call(.get, "/v1/sessions", token: reader).status == .ok)
            #expect(try await client.call(.get, "/v1/approvals", token: reader).status == .ok)
            #expect(try await client.call(.post, "/v1/sessions/x/terminate", token: reader, json: "{}").status == .forbidden)
            #expect(try await client.call(.get, "/v1/audit", token: auditor).status == .ok)
            #expect(try await client.call(.get, "/v1/sessions", token: auditor).status == .forbidden)
        }
    }

    @Test func repeatedFailuresLockTheClientOut() async throws {
        let gateway = try TestGateway(auth: AuthSettings(lockoutFailures: 10, lockoutWindow: .seconds(60), lockoutDuration: .seconds(300)))
        try await gateway.live { (client: any TestClientProtocol) async throws in
            // Requests without any credential (a browser's favicon, a probe) are refused but guess nothing: they
            // do not count towards the lockout.
            for _ in 0..<20 {
                #expect(try await client.call(.get, "/v1/sessions", token: nil).status == .unauthorized)
            }
            for _ in 0..<9 {
                #expect(try await client.call(.get, "/v1/sessions", token: "nope").status == .unauthorized)
            }
            // Nine failures: a good token still works.
            #expect(try await client.call(.get, "/v1/sessions", token: gateway.admin).status == .ok)
            #expect(try await client.call(.get, "/v1/sessions", token: "nope").status == .unauthorized)
            // The tenth failure locks the address out, good token or not.
            let locked = try await client.call(.get, "/v1/sessions", token: gateway.admin)
            #expect(locked.status == .tooManyRequests)
            #expect(Int(locked.headers[.retryAfter] ?? "") ?? 0 > 200)
            // /health stays public.
            #expect(try await client.call(.get, "/health", token: nil).status == .ok)
        }
    }

    @Test func perTokenRateLimit() async throws {
        let gateway = try TestGateway(auth: AuthSettings(requestsPerMinute: 1, burst: 2))  // no refill within the test
        let other = try gateway.token([.all])
        try await gateway.live { (client: any TestClientProtocol) async throws in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<5 { statuses.append(try await client.call(.get, "/v1/sessions", token: gateway.admin).status) }
            #expect(statuses.prefix(3).allSatisfy { $0 == .ok })
            #expect(statuses.last == .tooManyRequests)
            let limited = try await client.call(.get, "/v1/sessions", token: gateway.admin)
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            // Another token has its own budget.
            #expect(try await client.call(.get, "/v1/sessions", token: other).status == .ok)
        }
    }

    @Test func bodyLimitAndMalformedJSON() async throws {
        let gateway = try TestGateway(maxBodyBytes: 2048)
        try await gateway.live { (client: any TestClientProtocol) async throws in
            let big = #"{"tool":"Bash","input":{"command":"echo \#(String(repeating: "a", count: 4000))"}}"#
            let tooLarge = try await client.call(.post, "/v1/decide", token: gateway.admin, json: big)
            #expect(tooLarge.status == .contentTooLarge)
            let malformed = try await client.call(.post, "/v1/decide", token: gateway.admin, json: #"{"tool": "Bash", "input": "#)
            #expect(malformed.status == .badRequest)
            #expect(malformed.json["error"]?["message"]?.stringValue?.contains("not valid JSON") == true)
            let missing = try await client.call(.post, "/v1/decide", token: gateway.admin, json: #"{"input": {}}"#)
            #expect(missing.status == .badRequest)
            #expect(missing.json["error"]?["message"]?.stringValue?.contains("tool") == true)
            let wrongType = try await client.call(.post, "/v1/kill-switch", token: gateway.admin, json: #"{"on": "yes"}"#)
            #expect(wrongType.status == .badRequest)
            #expect(wrongType.json["error"]?["message"]?.stringValue?.contains("on") == true)
        }
    }

    @Test func tokensAreStoredHashedAndScopesValidated() throws {
        let gateway = try TestGateway()
        let token = try gateway.token([.chat], name: "hashed")
        let stored: [String] = try gateway.services.store.adapterRead("read") { db in
            try String.fetchAll(db, sql: "SELECT hash FROM tokens")
        }
        #expect(!stored.contains(token))
        #expect(stored.contains(TokenStore.hash(token)))
        #expect(throws: GatewayError.self) { try gateway.services.tokens.create(name: "x", scopes: ["root"], createdBy: "test") }
        #expect(Scope.skillsAll.grants("skills:deploy"))
        #expect(!Scope.skillsAll.grants(.chat))
        #expect(Scope.all.grants(.auditRead))
    }
}
