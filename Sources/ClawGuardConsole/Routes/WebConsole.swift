import ClawGuardCore
import ClawGuardStore
import Foundation
import Synchronization

/// The web console: turns `ConsoleRequest`s into `ConsoleResponse`s. Transport-free (the Hummingbird adapter in
/// `Router+Console.swift` is a few lines), so every rule below is unit-tested without a socket.
///
/// Rules applied to every request, in one place so no page can forget them:
/// - every response carries `SecurityHeaders.all` (CSP, nosniff, same-origin referrer, no framing, no-store);
/// - every page but login and the static files needs a live session cookie; without one a GET is redirected to
///   the login page and anything else is 401;
/// - every POST must carry the session's CSRF token (or the login form's double-submit token) and, when the
///   browser sends `Origin`, come from this origin — checked before any route runs;
/// - every action checks the principal's scope (`ConsoleAction`), 403 otherwise;
/// - a service error is a 500 page with the error's message (escaped) and nothing approved, terminated or changed.
public final class WebConsole: Sendable {
    public let services: ConsoleServices
    public let sessions: ConsoleSessionTable
    public let transport: TransportSecurity
    public let throttle: LoginThrottle
    private let flashes = Mutex<[String: Flash]>([:])

    public init(services: ConsoleServices, sessions: ConsoleSessionTable = ConsoleSessionTable(),
                transport: TransportSecurity = TransportSecurity(), throttle: LoginThrottle = LoginThrottle()) {
        self.services = services
        self.sessions = sessions
        self.transport = transport
        self.throttle = throttle
    }

    /// Handles one request.
    public func handle(_ request: ConsoleRequest, now: Date = Date()) async -> ConsoleResponse {
        let secure = transport.isSecure(peer: request.peer, forwardedProto: request.headers["x-forwarded-proto"])
        var response = await route(request, cookies: CookiePolicy(secure: secure), now: now)
        for header in SecurityHeaders.all where response.header(header.name) == nil {
            response.headers.append(header)
        }
        if secure { response.headers.append(SecurityHeaders.strictTransportSecurity) }
        return response
    }

    // MARK: Routing

    private func route(_ request: ConsoleRequest, cookies: CookiePolicy, now: Date) async -> ConsoleResponse {
        guard let segments = request.segments else { return notFound(nil) }

        // Public: static files and the login form.
        if segments.first == "static", segments.count == 2, request.method == .get {
            return ConsoleAssets.response(for: segments[1]) ?? notFound(nil)
        }
        if segments == ["login"] {
            return request.method == .get ? loginForm(request, cookies: cookies, now: now)
                                           : await login(request, cookies: cookies, now: now)
        }

        // Everything else needs a session.
        guard let (sessionID, session) = currentSession(request, cookies: cookies, now: now) else {
            if request.method == .get && segments != ["approvals", "pending"] { return .redirect(ConsolePaths.login) }
            return ConsoleResponse(status: 401, headers: [("Content-Type", "text/plain; charset=utf-8")],
                                   body: "not logged in")
        }
        if request.method == .post {
            if let failure = CSRF.verify(submitted: request.form[CSRF.fieldName], expected: session.csrfToken,
                                         origin: request.headers["origin"], host: request.headers["host"]) {
                return forbidden("Refused: \(failure.rawValue). Reload the page and try again.", session: session)
            }
        }
        var context = PageContext(principal: session.principal, csrfToken: session.csrfToken, path: request.path,
                                  flash: request.method == .get ? flashes.withLock { $0.removeValue(forKey: sessionID) } : nil)
        if request.method == .get, segments != ["approvals", "pending"] {
            context.pendingApprovals = session.principal.may(.viewApprovals) ? (try? await services.approvals.pending().count) : nil
            context.killSwitchOn = (try? await services.state.killSwitch())?.on ?? true
        }
        let page = Page(request: request, segments: segments, session: session, sessionID: sessionID, context: context,
                        cookies: cookies, now: now)
        do {
            return try await dispatch(page)
        } catch {
            return errorPage(500, "Error", error.message, context: context)
        }
    }

    /// What a route handler gets.
    struct Page {
        var request: ConsoleRequest
        var segments: [String]
        var session: ConsoleSession
        var sessionID: String
        var context: PageContext
        var cookies: CookiePolicy
        var now: Date
        var principal: ConsolePrincipal { session.principal }
        var form: [String: String] { request.form }
    }

    /// A route: method, path pattern after `/ui` (`:id` captures a segment), handler.
    typealias Handler = @Sendable (WebConsole, Page, [String]) async throws(ClawGuardError) -> ConsoleResponse
    static let routes: [(method: ConsoleRequest.Method, pattern: [String], handler: Handler)] = [
        (.get, [], { c, p, _ throws(ClawGuardError) in try await c.dashboard(p) }),
        (.post, ["logout"], { c, p, _ in c.logout(p) }),
        (.get, ["approvals"], { c, p, _ throws(ClawGuardError) in try await c.approvals(p) }),
        (.get, ["approvals", "pending"], { c, p, _ throws(ClawGuardError) in try await c.pendingFragment(p) }),
        (.get, ["approvals", ":id"], { c, p, a throws(ClawGuardError) in try await c.approval(p, id: a[0]) }),
        (.post, ["approvals", ":id", "decide"], { c, p, a throws(ClawGuardError) in try await c.decide(p, id: a[0]) }),
        (.get, ["sessions"], { c, p, _ throws(ClawGuardError) in try await c.sessionList(p) }),
        (.get, ["sessions", ":id"], { c, p, a throws(ClawGuardError) in try await c.sessionDetail(p, id: a[0]) }),
        (.post, ["sessions", ":id", "terminate"], { c, p, a throws(ClawGuardError) in try await c.terminate(p, id: a[0]) }),
        (.get, ["runs"], { c, p, _ throws(ClawGuardError) in try await c.runList(p) }),
        (.get, ["runs", ":id"], { c, p, a throws(ClawGuardError) in try await c.runDetail(p, id: a[0]) }),
        (.get, ["audit"], { c, p, _ throws(ClawGuardError) in try await c.audit(p) }),
        (.get, ["kill-switch"], { c, p, _ throws(ClawGuardError) in try await c.killSwitch(p) }),
        (.post, ["kill-switch"], { c, p, _ throws(ClawGuardError) in try await c.setKillSwitch(p) }),
    ]

    /// The captured segments when `segments` matches `pattern`, else nil. Fixed segments win over `:id` because
    /// the table lists them first.
    static func match(_ pattern: [String], _ segments: [String]) -> [String]? {
        guard pattern.count == segments.count else { return nil }
        var captured: [String] = []
        for (expected, actual) in zip(pattern, segments) {
            if expected.hasPrefix(":") { captured.append(actual) } else if expected != actual { return nil }
        }
        return captured
    }

    private func dispatch(_ page: Page) async throws(ClawGuardError) -> ConsoleResponse {
        for route in Self.routes where route.method == page.request.method {
            if let captured = Self.match(route.pattern, page.segments) {
                return try await route.handler(self, page, captured)
            }
        }
        return notFound(page.context)
    }

    // MARK: Login

    private func loginForm(_ request: ConsoleRequest, cookies: CookiePolicy, now: Date, error: String? = nil,
                           status: Int = 200) -> ConsoleResponse {
        if error == nil, currentSession(request, cookies: cookies, now: now) != nil { return .redirect(ConsolePaths.dashboard) }
        let token = SecureRandom.token()
        var response = ConsoleResponse.html(LoginPage.render(csrf: token, error: error), status: status)
        response.headers.append(("Set-Cookie", cookies.setCookie(name: CSRF.loginCookieName, value: token, maxAge: 3600)))
        return response
    }

    private func login(_ request: ConsoleRequest, cookies: CookiePolicy, now: Date) async -> ConsoleResponse {
        if let failure = CSRF.verify(submitted: request.form[CSRF.fieldName], expected: request.cookies[CSRF.loginCookieName],
                                     origin: request.headers["origin"], host: request.headers["host"]) {
            return loginForm(request, cookies: cookies, now: now, error: "Refused: \(failure.rawValue). Try again.", status: 403)
        }
        let peer = request.peer ?? "unknown"
        if let wait = throttle.lockedOut(peer, now: now) {
            return loginForm(request, cookies: cookies, now: now,
                             error: "Too many failed logins from this address: try again in \(Int(wait.rounded(.up))) s.", status: 429)
        }
        guard let token = request.form["token"]?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty else {
            return loginForm(request, cookies: cookies, now: now, error: "Enter a token.", status: 400)
        }
        let principal: ConsolePrincipal
        do {
            principal = try await services.authenticator.authenticate(token: token, peer: request.peer)
        } catch {
            throttle.recordFailure(peer, now: now)
            let message = error.code == .unauthorized ? "That token is not valid (unknown, expired or revoked)."
                                                      : "Login failed: \(error.message)"
            return loginForm(request, cookies: cookies, now: now, error: message, status: 401)
        }
        guard principal.mayUseConsole else {
            return loginForm(request, cookies: cookies, now: now,
                             error: "That token has none of the console's scopes (\(ConsoleAction.consoleScopes.sorted().joined(separator: ", "))).",
                             status: 403)
        }
        throttle.recordSuccess(peer)
        // A fresh session id at every login (no session fixation).
        if let old = sessionCookie(request, cookies: cookies) { sessions.remove(old) }
        let (id, _) = sessions.create(for: principal, now: now)
        var response = ConsoleResponse.redirect(principal.may(.viewDashboard) ? ConsolePaths.dashboard : ConsolePaths.approvals)
        response.headers.append(("Set-Cookie", cookies.sessionCookie(id, maxAge: Int(sessions.maxAge))))
        response.headers.append(("Set-Cookie", cookies.setCookie(name: CSRF.loginCookieName, value: "", maxAge: 0)))
        return response
    }

    fileprivate func logout(_ page: Page) -> ConsoleResponse {
        sessions.remove(page.sessionID)
        var response = ConsoleResponse.redirect(ConsolePaths.login)
        for cookie in page.cookies.clearSessionCookies() { response.headers.append(("Set-Cookie", cookie)) }
        return response
    }

    private func sessionCookie(_ request: ConsoleRequest, cookies: CookiePolicy) -> String? {
        request.cookies[cookies.sessionCookieName]
    }

    private func currentSession(_ request: ConsoleRequest, cookies: CookiePolicy, now: Date) -> (String, ConsoleSession)? {
        guard let id = sessionCookie(request, cookies: cookies), let session = sessions.lookup(id, now: now) else { return nil }
        return (id, session)
    }

    private func flash(_ page: Page, _ flash: Flash) {
        flashes.withLock { table in
            if table.count > 10_000 { table.removeAll() }
            table[page.sessionID] = flash
        }
    }

    // MARK: Pages

    private func require(_ action: ConsoleAction, _ page: Page) -> ConsoleResponse? {
        page.principal.may(action) ? nil
            : errorPage(403, "Forbidden", "This needs the scope \(action.scopes.joined(separator: " or ")), which your token does not have.",
                        context: page.context)
    }

    fileprivate func dashboard(_ page: Page) async throws(ClawGuardError) -> ConsoleResponse {
        if let denied = require(.viewDashboard, page) { return denied }
        let runs = try await services.runs?.runs(limit: 200) ?? []
        let pending = page.principal.may(.viewApprovals) ? try await services.approvals.pending().count : 0
        let data = try await services.state.dashboard(runs: runs, pendingApprovals: pending, now: page.now)
        return .html(DashboardPage.render(data, context: page.context))
    }

    fileprivate func approvals(_ page: Page) async throws(ClawGuardError) -> ConsoleResponse {
        if let denied = require(.viewApprovals, page) { return denied }
        let pending = try await services.approvals.pending()
        let recent = try await services.approvals.recent(limit: 50)
        var context = page.context
        context.pendingApprovals = pending.count
        return .html(ApprovalsPage.render(pending: pending, recent: recent, context: context, now: page.now,
                                          canDecide: page.principal.may(.decideApproval)))
    }

    fileprivate func pendingFragment(_ page: Page) async throws(ClawGuardError) -> ConsoleResponse {
        guard page.principal.may(.viewApprovals) else {
            return ConsoleResponse(status: 403, headers: [("Content-Type", "text/plain; charset=utf-8")], body: "forbidden")
        }
        let pending = try await services.approvals.pending()
        return .html(ApprovalsPage.renderFragment(pending, csrf: page.session.csrfToken, now: page.now,
                                                  canDecide: page.principal.may(.decideApproval)))
    }

    fileprivate func approval(_ page: Page, id: String) async throws(ClawGuardError) -> ConsoleResponse {
        if let denied = require(.viewApprovals, page) { return denied }
        guard let item = try await services.approvals.approval(id: id) else { return notFound(page.context) }
        return .html(ApprovalsPage.detail(item, context: page.context, now: page.now,
                                          canDecide: page.principal.may(.decideApproval)))
    }

    fileprivate func decide(_ page: Page, id: String) async throws(ClawGuardError) -> ConsoleResponse {
        if let denied = require(.decideApproval, page) { return denied }
        let approve: Bool
        switch page.form["decision"] {
        case "approve": approve = true
        case "deny": approve = false
        default: return errorPage(400, "Bad request", "The form must say approve or deny.", context: page.context)
        }
        guard let scope = ConsoleApprovalScope(rawValue: page.form["scope"] ?? "once") else {
            return errorPage(400, "Bad request", "Unknown scope; use once, session or always.", context: page.context)
        }
        let reason = Self.reason(page.form["reason"])
        try await services.approvals.decide(id: id, approve: approve, scope: scope, reason: reason, by: page.principal)
        flash(page, Flash(.info, (approve ? "Approved" : "Denied") + " (\(scope.label)): request " + id + "."))
        return .redirect(ConsolePaths.approvals)
    }

    fileprivate func sessionList(_ page: Page) async throws(ClawGuardError) -> ConsoleResponse {
        if let denied = require(.viewSessions, page) { return denied }
        let sessions = try await services.state.sessions(limit: 200)
        let runs = try await services.runs?.runs(limit: 50) ?? []
        let budget = services.state.budgets().sessionUSD
        return .html(SessionsPage.list(sessions, runs: runs, context: page.context, now: page.now, sessionBudget: budget))
    }

    fileprivate func sessionDetail(_ page: Page, id: String) async throws(ClawGuardError) -> ConsoleResponse {
        if let denied = require(.viewSessions, page) { return denied }
        guard let session = try await services.state.session(id: id) else { return notFound(page.context) }
        let timeline = try await services.state.timeline(session: id, limit: 500)
        let runs = (try await services.runs?.runs(limit: 200) ?? []).filter { $0.session == id }
        return .html(SessionsPage.detail(session, timeline: timeline, runs: runs, context: page.context, now: page.now,
                                         canTerminate: page.principal.may(.terminateSession)))
    }

    fileprivate func terminate(_ page: Page, id: String) async throws(ClawGuardError) -> ConsoleResponse {
        if let denied = require(.terminateSession, page) { return denied }
        let reason = Self.reason(page.form["reason"]) ?? "terminated from the console"
        guard try await services.state.terminate(session: id, reason: reason, by: page.principal) else {
            return notFound(page.context)
        }
        flash(page, Flash(.info, "Session " + id + " terminated: its next tool call is denied."))
        return .redirect(ConsolePaths.session(id))
    }

    fileprivate func runList(_ page: Page) async throws(ClawGuardError) -> ConsoleResponse {
        if let denied = require(.viewSessions, page) { return denied }
        let runs = try await services.runs?.runs(limit: 200) ?? []
        return .html(SessionsPage.runs(runs, context: page.context, now: page.now, available: services.runs != nil))
    }

    fileprivate func runDetail(_ page: Page, id: String) async throws(ClawGuardError) -> ConsoleResponse {
        if let denied = require(.viewSessions, page) { return denied }
        guard let run = try await services.runs?.run(id: id) else { return notFound(page.context) }
        let timeline = try await run.session.asyncMap { session throws(ClawGuardError) in
            try await services.state.timeline(session: session, limit: 500)
        } ?? []
        return .html(SessionsPage.runDetail(run, timeline: timeline, context: page.context, now: page.now))
    }

    fileprivate func audit(_ page: Page) async throws(ClawGuardError) -> ConsoleResponse {
        if let denied = require(.viewAudit, page) { return denied }
        func field(_ name: String) -> String? {
            guard let value = page.request.query[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return String(value.prefix(500))
        }
        let search = AuditSearch(session: field("session"), type: field("type"), text: field("q"),
                                 beforeSeq: field("before").flatMap { Int64($0) }, limit: 100,
                                 fullVerification: field("verify") == "full")
        let results = try await services.state.audit(search)
        return .html(AuditPage.render(results, search: search, context: page.context))
    }

    fileprivate func killSwitch(_ page: Page) async throws(ClawGuardError) -> ConsoleResponse {
        if let denied = require(.viewKillSwitch, page) { return denied }
        do {
            let state = try await services.state.killSwitch()
            return .html(KillSwitchPage.render(state, context: page.context, canSet: page.principal.may(.setKillSwitch)))
        } catch {
            return .html(KillSwitchPage.render(nil, context: page.context, canSet: page.principal.may(.setKillSwitch),
                                               error: error.message))
        }
    }

    fileprivate func setKillSwitch(_ page: Page) async throws(ClawGuardError) -> ConsoleResponse {
        if let denied = require(.setKillSwitch, page) { return denied }
        let on: Bool
        switch page.form["state"] {
        case "on": on = true
        case "off": on = false
        default: return errorPage(400, "Bad request", "The form must say on or off.", context: page.context)
        }
        let state = try await services.state.setKillSwitch(on, reason: Self.reason(page.form["reason"]), by: page.principal)
        flash(page, Flash(.info, state.on ? "Kill switch is ON." : "Kill switch is off."))
        return .redirect(ConsolePaths.killSwitch)
    }

    // MARK: Helpers

    /// A reason from a form: trimmed, at most 500 characters, nil when empty.
    static func reason(_ value: String?) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return String(value.prefix(500))
    }

    private func errorPage(_ status: Int, _ title: String, _ message: String, context: PageContext) -> ConsoleResponse {
        .html(ErrorPage.render(status: status, title: title, message: message, context: context), status: status)
    }

    private func forbidden(_ message: String, session: ConsoleSession) -> ConsoleResponse {
        let context = PageContext(principal: session.principal, csrfToken: session.csrfToken, path: "")
        return errorPage(403, "Forbidden", message, context: context)
    }

    private func notFound(_ context: PageContext?) -> ConsoleResponse {
        let context = context ?? PageContext(principal: nil, csrfToken: "", path: "")
        return errorPage(404, "Not found", "There is no such page or item.", context: context)
    }
}

extension Optional {
    /// `map` with an async, typed-throwing transform.
    func asyncMap<T, E: Error>(_ transform: (Wrapped) async throws(E) -> T) async throws(E) -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}

/// Counts failed logins per client address: `maxFailures` within `window` seconds lock the address out for
/// `lockout` seconds (the gateway's defaults: 10 in 60 s → 5 min).
public final class LoginThrottle: Sendable {
    public let maxFailures: Int
    public let window: TimeInterval
    public let lockout: TimeInterval
    private let state = Mutex<[String: (failures: [Date], lockedUntil: Date?)]>([:])

    public init(maxFailures: Int = 10, window: TimeInterval = 60, lockout: TimeInterval = 300) {
        self.maxFailures = maxFailures
        self.window = window
        self.lockout = lockout
    }

    /// Seconds left of a lockout, nil when the address may try.
    public func lockedOut(_ peer: String, now: Date) -> TimeInterval? {
        state.withLock { table in
            guard let until = table[peer]?.lockedUntil, until > now else { return nil }
            return until.timeIntervalSince(now)
        }
    }

    public func recordFailure(_ peer: String, now: Date) {
        state.withLock { table in
            if table.count > 10_000 { table = table.filter { $0.value.lockedUntil.map { $0 > now } ?? false } }
            var entry = table[peer] ?? ([], nil)
            entry.failures = entry.failures.filter { now.timeIntervalSince($0) < window } + [now]
            if entry.failures.count >= maxFailures {
                entry.lockedUntil = now.addingTimeInterval(lockout)
                entry.failures = []
            }
            table[peer] = entry
        }
    }

    public func recordSuccess(_ peer: String) {
        _ = state.withLock { $0.removeValue(forKey: peer) }
    }
}
