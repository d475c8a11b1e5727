import ClawGuardConsole
import ClawGuardCore
import ClawGuardServer
import ClawGuardStore
import Foundation
import Logging
import Testing

@testable import ClawGuardWorker

/// The web console shows the worker's runs: a gateway with a worker, a run that completed (fake agent, real
/// processes and SQLite), and the console logged in with a gateway token lists it, shows it, and links its session.
@Suite(.serialized) struct ConsoleRunsTests {
    static let hostilePrompt = #"summarise <img src=x onerror=alert(1)> "quoted""#

    @Test func theConsoleListsAndShowsWorkerRuns() async throws {
        let dir = TempDir()
        let manager = try makeManager(dir, lines: RunManagerTests.success)
        let row = try await withManager(manager) {
            let queued = try manager.submit(request(Self.hostilePrompt))
            return try await waitForEnd(manager, queued.id)
        }
        #expect(row.status == "completed")

        var logger = Logger(label: "test.console-runs")
        logger.logLevel = .warning
        var services = try Gateway.services(
            configuration: GatewayConfiguration(host: "127.0.0.1", port: 0, policyPaths: manager.configuration.policyPaths,
                                                workingDirectory: dir.path, home: dir.path),
            store: manager.store, logger: logger)
        services.worker = GatewayWorker(manager: manager, approvals: services.approvals, broker: services.broker, logger: logger)
        let token = try services.tokens.create(name: "operator", scopes: [.all], createdBy: "test").token
        let console = GatewayConsole.make(services, environment: [:])

        // Log in through the form, as a browser does.
        let host = "127.0.0.1:8080"
        let form = await console.handle(ConsoleRequest(method: .get, path: "/ui/login", headers: ["host": host]))
        let loginCSRF = try #require(Self.cookie(form, CSRF.loginCookieName))
        let posted = await console.handle(ConsoleRequest(
            method: .post, path: "/ui/login",
            headers: ["host": host, "origin": "http://" + host, "cookie": "\(CSRF.loginCookieName)=\(loginCSRF)"],
            peer: "127.0.0.1", form: ["token": token, CSRF.fieldName: loginCSRF]))
        #expect(posted.status == 303)
        let session = try #require(Self.cookie(posted, "cg_session"))
        let headers = ["host": host, "cookie": "cg_session=\(session)"]

        let list = await console.handle(ConsoleRequest(method: .get, path: "/ui/runs", headers: headers))
        #expect(list.status == 200)
        #expect(list.body.contains(row.id), "the runs page does not list the run")
        #expect(list.body.contains("completed"))
        #expect(!list.body.contains("no worker API"), "the runs page says the worker API is absent")

        let detail = await console.handle(ConsoleRequest(method: .get, path: "/ui/runs/\(row.id)", headers: headers))
        #expect(detail.status == 200)
        #expect(detail.body.contains(row.id))
        // The attacker-controlled prompt is shown as text, never as markup.
        #expect(!detail.body.contains("<img src=x"), "the prompt was rendered as markup")
        #expect(detail.body.contains("&lt;img src=x onerror=alert(1)&gt;"), "the prompt is not shown escaped")
        if let agentSession = row.session { #expect(detail.body.contains(agentSession), "the run does not link its session") }

        let unknown = await console.handle(ConsoleRequest(method: .get, path: "/ui/runs/run_nope", headers: headers))
        #expect(unknown.status == 404)
    }

    static func cookie(_ response: ConsoleResponse, _ name: String) -> String? {
        for header in response.headers(named: "Set-Cookie") where header.hasPrefix(name + "=") {
            return String(header.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }
}
