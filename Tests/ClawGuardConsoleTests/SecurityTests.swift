@testable import ClawGuardConsole
import ClawGuardCore
@testable import ClawGuardStore
import Foundation
import Testing

@Suite("CSRF")
struct CSRFTests {
    @Test("verify: token and origin", arguments: [
        // submitted, expected, origin, host, failure
        ("abc", "abc", "http://127.0.0.1:8080", "127.0.0.1:8080", nil),
        ("abc", "abc", nil, "127.0.0.1:8080", nil),
        ("abc", "abc", "https://console.example", "console.example", nil),
        ("abc", "abc", "https://console.example:443", "console.example", nil),
        ("abc", "abc", "http://[::1]:8080", "[::1]:8080", nil),
        (nil, "abc", nil, "h", CSRF.Failure.missingToken),
        ("", "abc", nil, "h", .missingToken),
        ("abc", nil, nil, "h", .missingToken),
        ("abc", "", nil, "h", .missingToken),
        ("abd", "abc", nil, "h", .tokenMismatch),
        ("abcd", "abc", nil, "h", .tokenMismatch),
        ("abc", "abc", "http://evil.example", "127.0.0.1:8080", .crossOrigin),
        ("abc", "abc", "http://127.0.0.1:9999", "127.0.0.1:8080", .crossOrigin),
        ("abc", "abc", "http://127.0.0.1:8081", "127.0.0.1", .crossOrigin),
        ("abc", "abc", "null", "127.0.0.1:8080", .crossOrigin),
        ("abc", "abc", "http://127.0.0.1:8080", nil, .crossOrigin),
    ] as [(String?, String?, String?, String?, CSRF.Failure?)])
    func verify(submitted: String?, expected: String?, origin: String?, host: String?, failure: CSRF.Failure?) {
        #expect(CSRF.verify(submitted: submitted, expected: expected, origin: origin, host: host) == failure)
    }

    /// Every POST route, with a form that would succeed given the right token.
    static let postRoutes: [(path: String, form: [String: String])] = [
        ("/ui/approvals/a1/decide", ["decision": "approve", "scope": "once"]),
        ("/ui/kill-switch", ["state": "on", "reason": "csrf test"]),
        ("/ui/sessions/s1/terminate", ["reason": "csrf test"]),
        ("/ui/logout", [:]),
    ]

    @Test("every POST route refuses a missing, wrong or cross-origin token and changes nothing")
    func everyPostRoute() async throws {
        for route in Self.postRoutes {
            for (token, origin) in [(nil, "http://127.0.0.1:8080"), ("wrong", "http://127.0.0.1:8080"),
                                    ("RIGHT", "http://evil.example")] as [(String?, String)] {
                let fixture = try Fixture(approvals: [ApprovalItem(id: "a1", createdAt: Date(), tool: "Bash", command: "ls")])
                _ = try fixture.store.startSession(SessionStart(session: "s1", agent: "claude-code", user: "u"), now: Date())
                let (cookie, csrf) = try await fixture.login()
                var form = route.form
                form[CSRF.fieldName] = token == "RIGHT" ? csrf : token
                let response = await fixture.post(route.path, cookie: cookie, form: form, origin: origin)
                #expect(response.status == 403, "\(route.path) with token \(token ?? "none") from \(origin)")
                #expect(fixture.approvals.status("a1") == "pending")
                #expect(try fixture.store.killSwitch().on == false)
                #expect(try fixture.store.session("s1")?.status == "active")
                // Still logged in: the refused logout did not end the session.
                #expect(await fixture.get("/ui", cookie: cookie).status == 200)
            }
        }
    }

    @Test("every POST route works with the session's token")
    func everyPostRouteAccepts() async throws {
        for route in Self.postRoutes {
            let fixture = try Fixture(approvals: [ApprovalItem(id: "a1", createdAt: Date(), tool: "Bash", command: "ls")])
            _ = try fixture.store.startSession(SessionStart(session: "s1", agent: "claude-code", user: "u"), now: Date())
            let (cookie, csrf) = try await fixture.login()
            var form = route.form
            form[CSRF.fieldName] = csrf
            let response = await fixture.post(route.path, cookie: cookie, form: form)
            #expect(response.status == 303, "\(route.path): \(response.body)")
        }
    }

    @Test("the login form needs its double-submit token")
    func loginCSRF() async throws {
        let fixture = try Fixture()
        let noCookie = await fixture.console.handle(ConsoleRequest(
            method: .post, path: "/ui/login", headers: ["host": "h"], form: ["token": adminToken, "csrf": "x"]))
        #expect(noCookie.status == 403)
        #expect(cookieValue(noCookie, "cg_session") == nil)
        let mismatch = await fixture.console.handle(ConsoleRequest(
            method: .post, path: "/ui/login", headers: ["host": "h", "cookie": "cg_login_csrf=y"],
            form: ["token": adminToken, "csrf": "x"]))
        #expect(mismatch.status == 403)
        #expect(cookieValue(mismatch, "cg_session") == nil)
    }

    @Test("a session's CSRF token is not another session's")
    func perSession() async throws {
        let fixture = try Fixture()
        let first = try await fixture.login()
        let second = try await fixture.login()
        #expect(first.csrf != second.csrf)
        let response = await fixture.post("/ui/kill-switch", cookie: second.cookie,
                                          form: ["state": "on", CSRF.fieldName: first.csrf])
        #expect(response.status == 403)
        #expect(try fixture.store.killSwitch().on == false)
    }
}

@Suite("Cookies, headers and sessions")
struct CookieTests {
    @Test("session cookie flags over plain HTTP")
    func plainCookie() {
        let cookie = CookiePolicy(secure: false).sessionCookie("abc", maxAge: 60)
        #expect(cookie == "cg_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60")
    }

    @Test("session cookie flags behind TLS: Secure and the __Host- prefix")
    func secureCookie() {
        let cookie = CookiePolicy(secure: true).sessionCookie("abc", maxAge: 60)
        #expect(cookie == "__Host-cg_session=abc; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=60")
    }

    @Test("X-Forwarded-Proto is believed only from a trusted proxy", arguments: [
        // trusted proxies, peer, header, secure
        ([], "127.0.0.1", "https", false),
        (["10.0.0.1"], "10.0.0.2", "https", false),
        (["10.0.0.1"], "10.0.0.1", "https", true),
        (["10.0.0.1"], "10.0.0.1", "HTTPS, http", true),
        (["10.0.0.1"], "10.0.0.1", "http", false),
        (["10.0.0.1"], "10.0.0.1", nil, false),
        (["10.0.0.1"], nil, "https", false),
    ] as [(Set<String>, String?, String?, Bool)])
    func forwardedProto(trusted: Set<String>, peer: String?, header: String?, secure: Bool) {
        #expect(TransportSecurity(trustedProxies: trusted).isSecure(peer: peer, forwardedProto: header) == secure)
        #expect(TransportSecurity(alwaysSecure: true).isSecure(peer: peer, forwardedProto: header))
    }

    @Test("login sets an HttpOnly SameSite=Strict cookie; Secure only behind a trusted TLS proxy")
    func loginCookieFlags() async throws {
        for (peer, proto, secure) in [("127.0.0.1", nil, false), ("10.0.0.1", "https", true), ("10.0.0.9", "https", false)]
            as [(String, String?, Bool)]
        {
            let store = try StateStore.inMemory()
            let console = WebConsole(
                services: ConsoleServices(authenticator: StaticAuthenticator(tokens: [adminToken: admin]),
                                          approvals: InMemoryApprovals(), state: StoreConsoleState(store: store)),
                transport: TransportSecurity(trustedProxies: ["10.0.0.1"]))
            var headers = ["host": "console.example"]
            headers["x-forwarded-proto"] = proto
            let form = await console.handle(ConsoleRequest(method: .get, path: "/ui/login", headers: headers, peer: peer))
            let loginSetCookie = try #require(form.headers(named: "Set-Cookie").first)
            #expect(loginSetCookie.contains("HttpOnly") && loginSetCookie.contains("SameSite=Strict"))
            let token = try #require(cookieValue(form, CSRF.loginCookieName))
            headers["cookie"] = "\(CSRF.loginCookieName)=\(token)"
            let posted = await console.handle(ConsoleRequest(method: .post, path: "/ui/login", headers: headers, peer: peer,
                                                             form: ["token": adminToken, "csrf": token]))
            #expect(posted.status == 303)
            let name = secure ? "__Host-cg_session" : "cg_session"
            let setCookie = try #require(posted.headers(named: "Set-Cookie").first { $0.hasPrefix(name + "=") })
            let attributes = Set(setCookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(attributes.contains("HttpOnly"))
            #expect(attributes.contains("SameSite=Strict"))
            #expect(attributes.contains("Path=/"))
            #expect(attributes.contains("Secure") == secure)
            #expect((posted.header("Strict-Transport-Security") != nil) == secure)
            // The session id is long and random.
            #expect((cookieValue(posted, name)?.count ?? 0) >= 43)
        }
    }

    @Test("security headers on every response", arguments: [
        "/ui", "/ui/login", "/ui/static/console.js", "/ui/static/nope.js", "/ui/nope", "/ui/approvals/pending", "/elsewhere",
    ])
    func headers(path: String) async throws {
        let fixture = try Fixture()
        for cookie in ["", try await fixture.login().cookie] {
            let response = await fixture.get(path, cookie: cookie)
            for header in SecurityHeaders.all {
                #expect(response.header(header.name) == header.value, "\(path): \(header.name)")
            }
            let csp = try #require(response.header("Content-Security-Policy"))
            #expect(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'")
                        && csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"))
        }
    }

    @Test("without a session: pages redirect to login, the fragment and POSTs are 401")
    func unauthenticated() async throws {
        let fixture = try Fixture()
        for path in ["/ui", "/ui/approvals", "/ui/sessions", "/ui/audit", "/ui/kill-switch", "/ui/runs"] {
            let response = await fixture.get(path, cookie: "cg_session=forged")
            #expect(response.status == 303 && response.header("Location") == "/ui/login", "\(path)")
        }
        #expect(await fixture.get("/ui/approvals/pending", cookie: "").status == 401)
        let post = await fixture.post("/ui/kill-switch", cookie: "cg_session=forged", form: ["state": "on", "csrf": "x"])
        #expect(post.status == 401)
        #expect(try fixture.store.killSwitch().on == false)
    }

    @Test("bad tokens do not log in; repeated failures lock the address out")
    func badTokens() async throws {
        let store = try StateStore.inMemory()
        let console = WebConsole(
            services: ConsoleServices(authenticator: StaticAuthenticator(tokens: [adminToken: admin, "none": ConsolePrincipal(name: "n", scopes: ["chat"])]),
                                      approvals: InMemoryApprovals(), state: StoreConsoleState(store: store)),
            throttle: LoginThrottle(maxFailures: 3, window: 60, lockout: 300))
        let now = Date()
        func attempt(_ token: String, at time: Date) async -> ConsoleResponse {
            await console.handle(ConsoleRequest(method: .post, path: "/ui/login",
                                                headers: ["host": "h", "cookie": "cg_login_csrf=t"], peer: "192.0.2.1",
                                                form: ["token": token, "csrf": "t"]), now: time)
        }
        #expect(await attempt("none", at: now).status == 403) // valid token, no console scope
        for i in 0..<3 { #expect(await attempt("bad\(i)", at: now).status == 401) }
        let locked = await attempt(adminToken, at: now.addingTimeInterval(1))
        #expect(locked.status == 429)
        #expect(cookieValue(locked, "cg_session") == nil)
        #expect(await attempt(adminToken, at: now.addingTimeInterval(302)).status == 303)
    }

    @Test("session table: idle timeout, absolute lifetime, logout, capacity")
    func sessionTable() {
        let table = ConsoleSessionTable(idleTimeout: 60, maxAge: 300, capacity: 2)
        let start = Date(timeIntervalSince1970: 1000)
        let (id, session) = table.create(for: admin, now: start)
        #expect(table.lookup(id, now: start.addingTimeInterval(59))?.csrfToken == session.csrfToken)
        #expect(table.lookup(id, now: start.addingTimeInterval(118)) != nil) // touched at 59
        #expect(table.lookup(id, now: start.addingTimeInterval(200)) == nil) // idle 82 s
        let (long, _) = table.create(for: admin, now: start)
        for t in stride(from: 50.0, through: 300, by: 50) { #expect(table.lookup(long, now: start.addingTimeInterval(t)) != nil) }
        #expect(table.lookup(long, now: start.addingTimeInterval(301)) == nil) // max age
        let (a, _) = table.create(for: admin, now: start)
        table.remove(a)
        #expect(table.lookup(a, now: start) == nil)
        #expect(table.lookup("not-a-session", now: start) == nil)
        for _ in 0..<5 { _ = table.create(for: admin, now: start) }
        #expect(table.count <= 2)
    }

    @Test("logout ends the session and clears the cookie")
    func logout() async throws {
        let fixture = try Fixture()
        let (cookie, csrf) = try await fixture.login()
        let response = await fixture.post("/ui/logout", cookie: cookie, form: ["csrf": csrf])
        #expect(response.status == 303)
        #expect(response.headers(named: "Set-Cookie").contains { $0.hasPrefix("cg_session=;") && $0.contains("Max-Age=0") })
        #expect(await fixture.get("/ui", cookie: cookie).status == 303)
    }

    @Test("scopes: a read-only token sees sessions and audit, not approvals or the kill switch")
    func scopes() async throws {
        let fixture = try Fixture()
        let (cookie, csrf) = try await fixture.login(readerToken)
        #expect(await fixture.get("/ui/sessions", cookie: cookie).status == 200)
        #expect(await fixture.get("/ui/audit", cookie: cookie).status == 200)
        #expect(await fixture.get("/ui/approvals", cookie: cookie).status == 403)
        #expect(await fixture.get("/ui/approvals/pending", cookie: cookie).status == 403)
        #expect(await fixture.get("/ui/kill-switch", cookie: cookie).status == 403)
        let post = await fixture.post("/ui/kill-switch", cookie: cookie, form: ["state": "on", "csrf": csrf])
        #expect(post.status == 403)
        #expect(try fixture.store.killSwitch().on == false)
    }
}
