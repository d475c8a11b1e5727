@testable import ClawGuardConsole
import ClawGuardCore
@testable import ClawGuardStore
import Foundation
import Testing

@Suite("HTML builder escapes by default")
struct HTMLBuilderTests {
    @Test("text context", arguments: [
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("a & b", "a &amp; b"),
        ("\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;"),
        ("&amp;", "&amp;amp;"),
        ("nul\u{0}esc\u{1B}", "nul\u{FFFD}esc\u{FFFD}"),
        ("line\nbreak\ttab", "line\nbreak\ttab"),
        ("ünïcødé ✓", "ünïcødé ✓"),
    ])
    func text(input: String, expected: String) {
        #expect(HTMLRenderer.render(.text(input)) == expected)
    }

    @Test("attribute context: quotes, angle brackets and line breaks never end the value")
    func attribute() {
        let rendered = HTMLRenderer.render(H.div(.title("\" onmouseover=\"alert(1)\n<x>")))
        #expect(rendered == "<div title=\"&quot; onmouseover=&quot;alert(1)&#10;&lt;x&gt;\"></div>")
    }

    @Test("event handlers, style and unknown names are dropped", arguments: [
        "onclick", "onerror", "ONLOAD", "onMouseOver", "style", "srcdoc", "x\"y", "a b", "1abc", "",
    ])
    func forbiddenAttribute(name: String) {
        let rendered = HTMLRenderer.render(.element("div", [Attribute(name, "alert(1)")], []))
        #expect(rendered == "<div></div>")
    }

    @Test("URL attributes refuse script and protocol-relative URLs", arguments: [
        "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>", "vbscript:x", "//evil.example/x", "/\\evil.example",
    ])
    func unsafeURL(url: String) {
        #expect(HTMLRenderer.render(H.a(href: url) { "x" }) == "<a href=\"#\">x</a>")
        #expect(HTMLRenderer.render(.element("form", [Attribute("action", url)], [])) == "<form action=\"#\"></form>")
    }

    @Test("safe URLs are kept (escaped)", arguments: [
        ("/ui/sessions/a%2Fb", "/ui/sessions/a%2Fb"), ("https://example.com/?a=1&b=2", "https://example.com/?a=1&amp;b=2"),
        ("#top", "#top"), ("?q=1", "?q=1"),
    ])
    func safeURL(url: String, rendered: String) {
        #expect(HTMLRenderer.render(H.a(href: url) { "x" }) == "<a href=\"\(rendered)\">x</a>")
    }

    @Test("script, style, iframe and friends are never rendered", arguments: [
        "script", "style", "iframe", "object", "embed", "base", "noscript",
    ])
    func forbiddenElement(tag: String) {
        #expect(HTMLRenderer.render(.element(tag, [], [.text("alert(1)")])) == "")
        #expect(HTMLRenderer.render(.void(tag, [])) == "")
    }

    @Test("raw-text elements hold escaped text only")
    func rawText() {
        let rendered = HTMLRenderer.render(.element("title", [], [.text("</title><script>x</script>"), .trusted(TrustedHTML(unescaped: "<b>"))]))
        #expect(rendered == "<title>&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;</title>")
        // Built with the DSL (text inside fragments), the title keeps its text.
        #expect(HTMLRenderer.render(H.el("title") { "a<b"; H.strong { "dropped" }; "c" }) == "<title>a&lt;bc</title>")
        #expect(LoginPage.render(csrf: "x").contains("<title>ClawGuard · Log in</title>"))
    }

    @Test("every form carries the CSRF token")
    func formToken() {
        let rendered = HTMLRenderer.render(H.form(action: "/ui/kill-switch", csrf: "tok\"en") { "x" })
        #expect(rendered == "<form method=\"post\" action=\"/ui/kill-switch\"><input type=\"hidden\" name=\"csrf\" value=\"tok&quot;en\">x</form>")
    }

    @Test("path segments and query values cannot escape their place")
    func paths() {
        #expect(ConsolePaths.session("../../x?y#z") == "/ui/sessions/..%2F..%2Fx%3Fy%23z")
        #expect(ConsolePaths.query([("q", "a&b=c d"), ("empty", ""), ("none", nil)]) == "?q=a%26b%3Dc%20d")
    }

    @Test("TrustedHTML is used only for constant markup in the layout")
    func trustedUses() throws {
        // The greppable label: every use of unescaped markup in the module's sources, counted.
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/ClawGuardConsole")
        var uses: [String] = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let file as URL in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for line in text.split(separator: "\n") where line.contains("TrustedHTML(unescaped:")
                && !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                uses.append(file.lastPathComponent + ": " + line.trimmingCharacters(in: .whitespaces))
            }
        }
        #expect(uses.count == 1, "\(uses)")
        #expect(uses.first?.hasPrefix("Layout.swift") == true)
    }
}

@Suite("Every page shows hostile text as text")
struct HostilePageTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let principal = ConsolePrincipal(name: hostileStrings[0], scopes: ["*"])

    static func context(_ hostile: String) -> PageContext {
        PageContext(principal: ConsolePrincipal(name: hostile, scopes: ["*"]), csrfToken: hostile, path: "/ui/" + hostile,
                    flash: Flash(.error, hostile), pendingApprovals: 3, killSwitchOn: true)
    }

    static func approval(_ hostile: String) -> ApprovalItem {
        ApprovalItem(id: hostile, createdAt: now, status: "pending", session: hostile, agent: hostile, user: hostile,
                     tool: hostile, command: "echo \"\(hostile)\"", input: "{\"command\": \"\(hostile)\"}", reason: hostile,
                     rule: hostile, riskLevel: hostile, risks: [RiskItem(kind: hostile, detail: hostile)],
                     diff: "--- a/\(hostile)\n+++ b/x\n@@ -1 +1 @@\n-\(hostile)\n+\(hostile)", decidedBy: hostile,
                     scope: hostile, decisionReason: hostile)
    }

    static func session(_ hostile: String) -> SessionSnapshot {
        SessionSnapshot(id: hostile, agent: hostile, user: hostile, cwd: hostile, startedAt: now, lastActivity: now,
                        endedAt: nil, status: "active", statusReason: hostile, costUSD: 1.5, costFlagged: true, calls: 3,
                        counts: [hostile: ["allow": 1, "deny": 2]])
    }

    static func record(_ hostile: String, seq: Int64) -> AuditRecord {
        let details = CanonicalJSON.encode(.object(["parameters": .object(["command": .string(hostile)])]))
        return AuditRecord(seq: seq, time: "2026-09-21T13:46:40.000Z", type: "tool_blocked", session: hostile,
                           agent: hostile, user: hostile, tool: hostile, decision: "deny", rule: hostile, reason: hostile,
                           details: details, prevHash: AuditRecord.genesisHash, hash: AuditRecord.genesisHash)
    }

    static func run(_ hostile: String) -> RunItem {
        RunItem(id: hostile, user: hostile, status: "running", profile: hostile, prompt: hostile, costUSD: 0.2,
                budgetUSD: 1, startedAt: now, session: hostile)
    }

    @Test("login", arguments: hostileStrings)
    func login(hostile: String) {
        expectInert(LoginPage.render(csrf: hostile, error: hostile))
    }

    @Test("approvals, the live fragment and one approval", arguments: hostileStrings)
    func approvals(hostile: String) {
        let item = Self.approval(hostile)
        var decided = item
        decided.status = "approved"
        let page = ApprovalsPage.render(pending: [item], recent: [decided], context: Self.context(hostile), now: Self.now,
                                        canDecide: true)
        expectInert(page)
        #expect(page.contains(HTMLEscape.text("echo \"\(hostile)\"")))
        expectInert(ApprovalsPage.renderFragment([item], csrf: hostile, now: Self.now, canDecide: true))
        expectInert(ApprovalsPage.detail(item, context: Self.context(hostile), now: Self.now, canDecide: true))
    }

    @Test("dashboard with charts", arguments: hostileStrings)
    func dashboard(hostile: String) {
        let data = DashboardData.build(
            sessions: [Self.session(hostile)], runs: [Self.run(hostile)], records: [Self.record(hostile, seq: 1)],
            dailySpend: [hostile: 2.5], budgets: ConsoleBudgets(sessionUSD: 1, dailyUSDPerUser: 2), pendingApprovals: 1,
            killSwitch: KillSwitchState(on: true, reason: hostile, changedAt: Self.now, changedBy: hostile), now: Self.now)
        expectInert(DashboardPage.render(data, context: Self.context(hostile)))
    }

    @Test("sessions, one session's timeline, runs", arguments: hostileStrings)
    func sessions(hostile: String) {
        let context = Self.context(hostile)
        expectInert(SessionsPage.list([Self.session(hostile)], runs: [Self.run(hostile)], context: context, now: Self.now,
                                      sessionBudget: 1))
        expectInert(SessionsPage.detail(Self.session(hostile), timeline: [Self.record(hostile, seq: 1)],
                                        runs: [Self.run(hostile)], context: context, now: Self.now, canTerminate: true))
        expectInert(SessionsPage.runs([Self.run(hostile)], context: context, now: Self.now, available: true))
        expectInert(SessionsPage.runDetail(Self.run(hostile), timeline: [Self.record(hostile, seq: 1)], context: context,
                                           now: Self.now))
    }

    @Test("audit search and verification failure text", arguments: hostileStrings)
    func audit(hostile: String) {
        let verification = AuditVerification(ok: false, recordsChecked: 1, checkpointsChecked: 0, firstBadSeq: 1,
                                             problem: hostile, uncheckpointedTail: 1, notes: [hostile])
        let results = AuditResults(records: [Self.record(hostile, seq: 7)], verification: verification, nextBeforeSeq: 7)
        let search = AuditSearch(session: hostile, type: hostile, text: hostile)
        let page = AuditPage.render(results, search: search, context: Self.context(hostile))
        expectInert(page)
        #expect(page.contains("Chain verification FAILED"))
        expectInert(AuditPage.render(AuditResults(records: [], verification: nil, verificationError: hostile),
                                     search: search, context: Self.context(hostile)))
    }

    @Test("kill switch and error pages", arguments: hostileStrings)
    func killSwitch(hostile: String) {
        let state = KillSwitchState(on: true, reason: hostile, changedAt: Self.now, changedBy: hostile)
        expectInert(KillSwitchPage.render(state, context: Self.context(hostile), canSet: true))
        expectInert(KillSwitchPage.render(nil, context: Self.context(hostile), canSet: true, error: hostile))
        expectInert(ErrorPage.render(status: 500, title: hostile, message: hostile, context: Self.context(hostile)))
    }

    @Test("the checker itself catches injected markup")
    func checkerCatches() {
        // Guard against a checker that cannot fail: each of these must be reported.
        let bad = [
            "<div onclick=\"x\"></div>", "<img src=\"x\">", "<script src=\"/evil.js\"></script>",
            "<a href=\"javascript:x\">y</a>", "<p style=\"x\"></p>", hostileStrings[0],
        ]
        for markup in bad {
            withKnownIssue("\(markup) must be reported") { expectInert("<div>" + markup + "</div>") }
        }
    }
}
