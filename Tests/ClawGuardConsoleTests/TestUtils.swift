import ClawGuardConsole
import ClawGuardCore
@testable import ClawGuardStore
import Foundation
import Synchronization
import Testing

/// Strings an agent (or an attacker steering one) could put in a command, an output, a session id or a reason.
let hostileStrings: [String] = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(document.cookie)</script>",
    "\"><svg/onload=alert(1)>",
    "' onmouseover='alert(1)' x='",
    "javascript:alert(1)",
    "</textarea><iframe src=javascript:alert(1)>",
    "<!-- --><a href=\"javascript:alert(1)\">x</a>",
    "]]><style>*{display:none}</style>",
    "&lt;already-escaped&gt; & &amp;",
    "nul\u{0}byte\u{1B}[31m and \u{7F}",
    "<base href=//evil.example/>",
    "<form action=https://evil.example><button>",
]

/// Approvals kept in memory, with the same rules as the gateway's (only pending ones can be decided).
final class InMemoryApprovals: ConsoleApprovals {
    let items: Mutex<[ApprovalItem]>
    init(_ items: [ApprovalItem] = []) { self.items = Mutex(items) }

    func pending() async throws(ClawGuardError) -> [ApprovalItem] { items.withLock { $0.filter { $0.status == "pending" } } }
    func recent(limit: Int) async throws(ClawGuardError) -> [ApprovalItem] {
        items.withLock { Array($0.filter { $0.status != "pending" }.prefix(limit)) }
    }
    func approval(id: String) async throws(ClawGuardError) -> ApprovalItem? { items.withLock { $0.first { $0.id == id } } }
    func decide(id: String, approve: Bool, scope: ConsoleApprovalScope, reason: String?, by principal: ConsolePrincipal)
        async throws(ClawGuardError)
    {
        let result: ClawGuardError? = items.withLock { items in
            guard let index = items.firstIndex(where: { $0.id == id }) else { return ClawGuardError(.notFound, "no approval \(id)") }
            guard items[index].status == "pending" else { return ClawGuardError(.invalidInput, "approval \(id) is not pending") }
            items[index].status = approve ? "approved" : "denied"
            items[index].scope = scope.rawValue
            items[index].decidedBy = principal.name
            items[index].decisionReason = reason
            items[index].decidedAt = Date()
            return nil
        }
        if let result { throw result }
    }
    func status(_ id: String) -> String? { items.withLock { $0.first { $0.id == id }?.status } }
}

/// Tokens → principals.
struct StaticAuthenticator: ConsoleAuthenticator {
    var tokens: [String: ConsolePrincipal]
    func authenticate(token: String, peer: String?) async throws(ClawGuardError) -> ConsolePrincipal {
        guard let principal = tokens[token] else { throw ClawGuardError(.unauthorized, "unknown token") }
        return principal
    }
}

struct StaticRuns: ConsoleRuns {
    var items: [RunItem]
    func runs(limit: Int) async throws(ClawGuardError) -> [RunItem] { Array(items.prefix(limit)) }
    func run(id: String) async throws(ClawGuardError) -> RunItem? { items.first { $0.id == id } }
}

let adminToken = "admin-token-0123456789"
let readerToken = "reader-token-0123456789"
let admin = ConsolePrincipal(name: "admin", scopes: ["*"])
let reader = ConsolePrincipal(name: "reader", scopes: ["sessions:read", "audit:read"])

/// A console over a real in-memory state store, with in-memory approvals.
struct Fixture {
    let store: StateStore
    let approvals: InMemoryApprovals
    let console: WebConsole

    init(approvals: [ApprovalItem] = [], runs: [RunItem]? = nil) throws {
        store = try StateStore.inMemory()
        self.approvals = InMemoryApprovals(approvals)
        let services = ConsoleServices(
            authenticator: StaticAuthenticator(tokens: [adminToken: admin, readerToken: reader]),
            approvals: self.approvals, state: StoreConsoleState(store: store, budgets: ConsoleBudgets(sessionUSD: 5, dailyUSDPerUser: 20)),
            runs: runs.map(StaticRuns.init(items:)))
        console = WebConsole(services: services)
    }

    /// Logs in through the form (GET for the login CSRF cookie, POST with it) and returns the session cookie
    /// header value and the session's CSRF token.
    func login(_ token: String = adminToken, host: String = "127.0.0.1:8080") async throws -> (cookie: String, csrf: String) {
        let form = await console.handle(ConsoleRequest(method: .get, path: "/ui/login", headers: ["host": host]))
        let loginCookie = try #require(cookieValue(form, CSRF.loginCookieName))
        let posted = await console.handle(ConsoleRequest(
            method: .post, path: "/ui/login",
            headers: ["host": host, "origin": "http://" + host, "cookie": "\(CSRF.loginCookieName)=\(loginCookie)"],
            peer: "127.0.0.1", form: ["token": token, CSRF.fieldName: loginCookie]))
        #expect(posted.status == 303)
        let session = try #require(cookieValue(posted, "cg_session"))
        let cookie = "cg_session=\(session)"
        let page = await console.handle(ConsoleRequest(method: .get, path: "/ui/kill-switch", headers: ["host": host, "cookie": cookie]))
        let csrf = try #require(hiddenCSRF(page.body))
        return (cookie, csrf)
    }

    func get(_ path: String, cookie: String, query: [String: String] = [:]) async -> ConsoleResponse {
        await console.handle(ConsoleRequest(method: .get, path: path, query: query,
                                            headers: ["host": "127.0.0.1:8080", "cookie": cookie]))
    }

    func post(_ path: String, cookie: String, form: [String: String], origin: String? = "http://127.0.0.1:8080") async -> ConsoleResponse {
        var headers = ["host": "127.0.0.1:8080", "cookie": cookie]
        headers["origin"] = origin
        return await console.handle(ConsoleRequest(method: .post, path: path, headers: headers, peer: "127.0.0.1", form: form))
    }
}

/// The value a response's `Set-Cookie` gives cookie `name` (nil when not set).
func cookieValue(_ response: ConsoleResponse, _ name: String) -> String? {
    for header in response.headers(named: "Set-Cookie") where header.hasPrefix(name + "=") {
        let value = header.dropFirst(name.count + 1).prefix { $0 != ";" }
        return String(value)
    }
    return nil
}

/// The CSRF token of the first form in a page.
func hiddenCSRF(_ html: String) -> String? {
    guard let range = html.range(of: "name=\"\(CSRF.fieldName)\" value=\"") else { return nil }
    return String(html[range.upperBound...].prefix { $0 != "\"" })
}

/// A minimal tokenizer for the markup the builder writes: every `<` in output starts a tag (text `<` is always
/// escaped), attribute values are always double-quoted. Returns (tag name, [(attribute name, raw value)]).
func tags(in html: String) -> [(name: String, attributes: [(String, String?)])] {
    let chars = Array(html)
    var result: [(String, [(String, String?)])] = []
    var i = 0
    func take(while predicate: (Character) -> Bool) -> String {
        var out = ""
        while i < chars.count, predicate(chars[i]) { out.append(chars[i]); i += 1 }
        return out
    }
    while i < chars.count {
        guard chars[i] == "<" else { i += 1; continue }
        i += 1
        if i < chars.count, chars[i] == "!" || chars[i] == "/" {
            _ = take { $0 != ">" }
            i += 1
            continue
        }
        let name = take { $0.isLetter || $0.isNumber || $0 == "-" }
        var attributes: [(String, String?)] = []
        while i < chars.count {
            _ = take { $0 == " " || $0 == "\n" || $0 == "/" }
            guard i < chars.count, chars[i] != ">" else { break }
            let attributeName = take { $0 != "=" && $0 != " " && $0 != ">" }
            if i < chars.count, chars[i] == "=" {
                i += 1
                if i < chars.count, chars[i] == "\"" {
                    i += 1
                    attributes.append((attributeName, take { $0 != "\"" }))
                    i += 1
                } else {
                    attributes.append((attributeName, take { $0 != " " && $0 != ">" }))
                }
            } else {
                attributes.append((attributeName, nil))
            }
        }
        i += 1
        result.append((name, attributes))
    }
    return result
}

/// Tags the console's pages may contain.
let allowedTags: Set<String> = [
    "html", "head", "meta", "title", "link", "script", "body", "header", "nav", "main", "footer", "section", "div", "span",
    "p", "a", "h1", "h2", "h3", "pre", "code", "strong", "small", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead",
    "tbody", "tr", "th", "td", "form", "input", "button", "select", "option", "label", "details", "summary", "svg", "rect",
    "line", "text", "br",
]

/// Checks a rendered page: only known tags, one script (the static file), no event-handler or style attribute,
/// no `javascript:` URL, and none of the hostile strings' raw markup.
func expectInert(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let found = tags(in: html)
    for tag in found {
        #expect(allowedTags.contains(tag.name), "unexpected tag <\(tag.name)>", sourceLocation: sourceLocation)
        for (name, value) in tag.attributes {
            #expect(!name.lowercased().hasPrefix("on"), "event handler attribute \(name) on <\(tag.name)>", sourceLocation: sourceLocation)
            #expect(name.lowercased() != "style", "style attribute on <\(tag.name)>", sourceLocation: sourceLocation)
            if ["href", "src", "action"].contains(name), let value {
                #expect(!value.lowercased().contains("javascript:"), "javascript URL in \(name)", sourceLocation: sourceLocation)
                #expect(!value.hasPrefix("//"), "protocol-relative URL in \(name)", sourceLocation: sourceLocation)
            }
        }
    }
    let scripts = found.filter { $0.name == "script" }
    #expect(scripts.count <= 1, "more than one script tag", sourceLocation: sourceLocation)
    for script in scripts {
        #expect(script.attributes.contains { $0.0 == "src" && $0.1 == "/ui/static/console.js" }, sourceLocation: sourceLocation)
    }
    #expect(!html.contains("\u{0}"), "NUL in output", sourceLocation: sourceLocation)
    for hostile in hostileStrings where hostile.contains("<") {
        #expect(!html.contains(hostile), "raw hostile markup in output: \(hostile)", sourceLocation: sourceLocation)
    }
}
