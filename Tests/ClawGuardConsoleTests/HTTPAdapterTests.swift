@testable import ClawGuardConsole
import ClawGuardCore
import ClawGuardStore
import Foundation
import Hummingbird
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The console mounted on a real Hummingbird server on a loopback port, driven with URLSession (redirects not
/// followed, cookies handled by hand).
@Suite("Console over real HTTP")
struct HTTPAdapterTests {
    final class NoRedirects: NSObject, URLSessionTaskDelegate {
        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
            completionHandler(nil)
        }
    }

    struct Client {
        let base: String
        let session: URLSession

        func send(_ method: String, _ path: String, cookie: String? = nil, body: String? = nil,
                  contentType: String = "application/x-www-form-urlencoded") async throws -> (Int, [String: String], [String], String) {
            var request = URLRequest(url: URL(string: base + path)!)
            request.httpMethod = method
            request.httpShouldHandleCookies = false
            if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
            // As browsers do on every POST: the CSRF origin check compares it with Host.
            if method == "POST" { request.setValue(base, forHTTPHeaderField: "Origin") }
            if let body {
                request.httpBody = Data(body.utf8)
                request.setValue(contentType, forHTTPHeaderField: "Content-Type")
            }
            let (data, response) = try await session.data(for: request)
            let http = response as! HTTPURLResponse
            var headers: [String: String] = [:]
            for (key, value) in http.allHeaderFields { headers[String(describing: key).lowercased()] = String(describing: value) }
            let cookies = (headers["set-cookie"] ?? "").components(separatedBy: ", ").filter { !$0.isEmpty }
            return (http.statusCode, headers, cookies, String(decoding: data, as: UTF8.self))
        }
    }

    func withServer(_ fixture: Fixture, _ body: @Sendable (Client) async throws -> Void) async throws {
        let router = Router()
        router.addConsoleRoutes(fixture.console, maxBodyBytes: 1024)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  continuation.yield(channel.localAddress?.port ?? 0)
                                  continuation.finish()
                              })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = stream.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
            defer { group.cancelAll() }
            try await body(Client(base: "http://127.0.0.1:\(port)", session: session))
        }
    }

    @Test("login through the form, see a page, post a form, headers and limits")
    func roundTrip() async throws {
        let fixture = try Fixture(approvals: [ApprovalItem(id: "a1", createdAt: Date(), tool: "Bash",
                                                           command: "echo \"<img src=x onerror=alert(1)>\"")])
        try await withServer(fixture) { client in
            let (status, headers, cookies, body) = try await client.send("GET", "/ui/login")
            #expect(status == 200)
            #expect(headers["content-security-policy"] == SecurityHeaders.contentSecurityPolicy)
            #expect(headers["x-content-type-options"] == "nosniff")
            let loginToken = try #require(cookies.first { $0.hasPrefix("cg_login_csrf=") }?.dropFirst(14).prefix { $0 != ";" })
            #expect(body.contains("name=\"csrf\" value=\"\(loginToken)\""))

            let (loginStatus, loginHeaders, loginCookies, _) = try await client.send(
                "POST", "/ui/login", cookie: "cg_login_csrf=\(loginToken)", body: "token=\(adminToken)&csrf=\(loginToken)")
            #expect(loginStatus == 303)
            #expect(loginHeaders["location"] == "/ui")
            let sessionCookie = try #require(loginCookies.first { $0.hasPrefix("cg_session=") })
            #expect(sessionCookie.contains("HttpOnly") && sessionCookie.contains("SameSite=Strict") && !sessionCookie.contains("Secure"))
            let cookie = String(sessionCookie.prefix { $0 != ";" })

            let (pageStatus, _, _, page) = try await client.send("GET", "/ui/approvals", cookie: cookie)
            #expect(pageStatus == 200)
            #expect(page.contains("echo &quot;&lt;img src=x onerror=alert(1)&gt;&quot;"))
            expectInert(page)
            let csrf = try #require(hiddenCSRF(page))

            let (decided, location, _, _) = try await client.send(
                "POST", "/ui/approvals/a1/decide", cookie: cookie, body: "decision=approve&scope=once&csrf=\(csrf)")
            #expect(decided == 303 && location["location"] == "/ui/approvals")
            #expect(fixture.approvals.status("a1") == "approved")

            // A post from another origin, with the right token, is refused.
            var forged = URLRequest(url: URL(string: client.base + "/ui/kill-switch")!)
            forged.httpMethod = "POST"
            forged.httpShouldHandleCookies = false
            forged.setValue(cookie, forHTTPHeaderField: "Cookie")
            forged.setValue("http://evil.example", forHTTPHeaderField: "Origin")
            forged.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            forged.httpBody = Data("state=on&csrf=\(csrf)".utf8)
            let (_, forgedResponse) = try await client.session.data(for: forged)
            #expect((forgedResponse as? HTTPURLResponse)?.statusCode == 403)

            let (script, scriptHeaders, _, js) = try await client.send("GET", "/ui/static/console.js")
            #expect(script == 200 && scriptHeaders["content-type"]?.hasPrefix("text/javascript") == true)
            #expect(js.contains("EventSource") || js.contains("fetch("))

            let (tooBig, _, _, _) = try await client.send("POST", "/ui/kill-switch", cookie: cookie,
                                                          body: "state=on&csrf=\(csrf)&pad=" + String(repeating: "x", count: 2000))
            #expect(tooBig == 413)
            let (wrongType, _, _, _) = try await client.send("POST", "/ui/kill-switch", cookie: cookie,
                                                             body: "{\"state\":\"on\"}", contentType: "application/json")
            #expect(wrongType == 415)
            #expect(try fixture.store.killSwitch().on == false)
        }
    }
}
