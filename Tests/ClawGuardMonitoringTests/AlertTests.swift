import ClawGuardCore
import ClawGuardStore
import Foundation
import Testing

@testable import ClawGuardMonitoring

@Suite struct ThresholdTests {
    @Test(arguments: [
        ("5 USD/hour", 5.0, "USD", "hour"), ("50 commands/session", 50, "commands", "session"),
        ("1 occurrence", 1, "occurrence", nil), ("10%", 10, "%", nil), ("0.5 usd/minute", 0.5, "usd", "minute"),
    ] as [(String, Double, String, String?)])
    func parsesTheReferenceForms(text: String, value: Double, unit: String, per: String?) throws {
        let t = try AlertThreshold.parse(text).get()
        #expect(t.value == value && t.unit == unit && t.per == per)
    }

    @Test(arguments: [
        ("5 EUR/hour", "'EUR' is not a known unit"), ("five USD/hour", "is not a threshold"),
        ("5 USD/fortnight", "'/fortnight' is not a known period"), ("120%", "is not a percentage"),
        ("5 USD/hour/day", "more than one '/'"), ("-1 occurrence", "is not a threshold"),
    ])
    func refusesBadThresholdsPrecisely(text: String, message: String) {
        guard case .failure(let error) = AlertThreshold.parse(text) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(error.message.contains(message), "\(error.message)")
    }

    @Test(arguments: [
        (nil, "1 occurrence", "unclear_thing", "does not say what is counted"),
        ("bogus", "5 occurrences", "a", "unknown metric 'bogus'"),
        ("cost", "5 commands/hour", "a", "which metric 'cost' does not count"),
        ("denials", "10%", "a", "which metric 'denials' does not count"),
        ("error_rate", "5 errors", "a", "use a percentage"),
    ] as [(String?, String, String, String)])
    func refusesRulesItCannotEvaluate(metric: String?, threshold: String, name: String, message: String) throws {
        let r = try rule(name, threshold, metric: metric)
        #expect {
            _ = try AlertDefinition.compile(r)
        } throws: { error in
            guard let error = error as? ClawGuardError else { return false }
            return error.code == .invalidPolicy && error.message.contains(message) && error.message.contains("'\(name)'")
        }
    }

    @Test func infersTheReferenceAlerts() throws {
        let cost = try AlertDefinition.compile(try rule("high_api_cost", "5 USD/hour"))
        #expect(cost.metric.name == "cost" && cost.window == 3600 && cost.period == 3600 && cost.grouping == .global)
        let bash = try AlertDefinition.compile(try rule("elevated_bash_usage", "50 commands/session"))
        #expect(bash.metric.name == "commands" && bash.grouping == .session && bash.window == nil)
        let bypass = try AlertDefinition.compile(try rule("permission_bypass_attempt", "1 occurrence"))
        #expect(bypass.metric.name == "permission_bypass" && bypass.window == 300)
        let rate = try AlertDefinition.compile(try rule("errors", "10%", window: 600))
        #expect(rate.metric.name == "error_rate" && rate.window == 600)
    }
}

@Suite struct AlertEngineTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func engine(_ rules: AlertRule..., cooldown: TimeInterval = 300) throws -> AlertEngine {
        AlertEngine(definitions: try AlertDefinition.compile(rules, defaultCooldown: cooldown))
    }

    func cost(_ usd: Double, at seconds: Double, session: String = "s1") -> MonitoringEvent {
        MonitoringEvent(.cost, time: t0.addingTimeInterval(seconds), session: session, user: "alice", value: usd)
    }

    @Test func slidingWindowFiresAndResolves() throws {
        let e = try engine(try rule("high_api_cost", "5 USD/hour"))
        #expect(e.consume([cost(3, at: 0)], now: t0).notifications.isEmpty)
        let fired = e.consume([cost(2.5, at: 600)], now: t0.addingTimeInterval(600)).notifications
        #expect(fired.map(\.status) == [.firing])
        #expect(fired.first?.value == 5.5 && fired.first?.sessions == ["s1"])
        // Still in the window at 3599 s after the first event.
        // Nothing new (only the periodic re-send for Alertmanager-like receivers).
        #expect(e.tick(now: t0.addingTimeInterval(3599)).notifications.filter { !$0.resend }.isEmpty)
        // The first 3 USD leave the window: 2.5 < 5, resolved.
        let resolved = e.tick(now: t0.addingTimeInterval(3601)).notifications
        #expect(resolved.map(\.status) == [.resolved])
        #expect(resolved.first?.endsAt == t0.addingTimeInterval(3601))
        // Receivers identify the alert by its labels: the same at both ends, whatever sessions contributed.
        #expect(resolved.first?.labels == fired.first?.labels && resolved.first?.dedupKey == fired.first?.dedupKey)
        #expect(e.firing().isEmpty)
    }

    @Test func aRuleMayCarryItsOwnCoolDown() throws {
        let policy = try PolicyLoader.load(inputs: [PolicyLoader.Input(name: "p.yaml", text: """
            version: 1
            default_profile: p
            alerts:
              - name: slow
                metric: denials
                threshold: 1 occurrence
                cooldown: 15m
              - name: default
                metric: denials
                threshold: 1 occurrence
            profiles:
              p: {}
            """)], profile: nil, cwd: "/", home: "/nonexistent")
        let definitions = try AlertDefinition.compile(policy.alerts, defaultCooldown: 300)
        #expect(definitions.map(\.cooldown) == [900, 300])
    }

    @Test func aRateWithAShorterWindowIsScaled() throws {
        // 1 USD in 10 minutes is 6 USD/hour.
        let e = try engine(try rule("burn", "5 USD/hour", window: 600))
        #expect(e.consume([cost(1, at: 0)], now: t0).notifications.map(\.status) == [.firing])
        #expect(e.firing().first?.value == 6)
    }

    @Test func deduplicatesWhileFiring() throws {
        let e = try engine(try rule("v", "1 occurrence", metric: "security_violations"))
        let v = { (s: Double) in MonitoringEvent(.securityViolation, time: self.t0.addingTimeInterval(s), session: "a", labels: ["violation_type": "x"]) }
        #expect(e.consume([v(0)], now: t0).notifications.count == 1)
        #expect(e.consume([v(10), v(11)], now: t0.addingTimeInterval(11)).notifications.isEmpty)
        #expect(e.tick(now: t0.addingTimeInterval(100)).notifications.filter { !$0.resend }.isEmpty)
    }

    @Test func coolDownSuppressesARefireButNotEnforcement() throws {
        let e = try engine(
            try rule("bypass", "1 occurrence", metric: "security_violations", window: 60, actions: ["log", "terminate_session"]),
            cooldown: 300)
        let v = { (s: Double, session: String) in
            MonitoringEvent(.securityViolation, time: self.t0.addingTimeInterval(s), session: session, labels: ["violation_type": "x"])
        }
        var out = e.consume([v(0, "a")], now: t0)
        #expect(out.notifications.map(\.status) == [.firing])
        #expect(out.enforcements.map(\.kind) == [.terminateSession("a")])
        out = e.tick(now: t0.addingTimeInterval(61))
        #expect(out.notifications.map(\.status) == [.resolved])
        // Fires again 100 s after the first notification: inside the cool-down, so no notification (and hence no
        // resolve later) — but the new session is still terminated.
        out = e.consume([v(100, "b")], now: t0.addingTimeInterval(100))
        #expect(out.notifications.isEmpty)
        #expect(out.enforcements.map(\.kind) == [.terminateSession("b")])
        #expect(e.tick(now: t0.addingTimeInterval(161)).notifications.isEmpty)
        // After the cool-down a new firing is announced again.
        out = e.consume([v(400, "c")], now: t0.addingTimeInterval(400))
        #expect(out.notifications.map(\.status) == [.firing])
    }

    @Test func aFiringAlertThatOutlastsTheCoolDownIsAnnouncedLate() throws {
        let e = try engine(try rule("v", "1 occurrence", metric: "denials", window: 100), cooldown: 300)
        let d = { (s: Double) in MonitoringEvent(.toolBlocked, time: self.t0.addingTimeInterval(s), session: "a", tool: "Bash") }
        #expect(e.consume([d(0)], now: t0).notifications.map(\.status) == [.firing])
        #expect(e.tick(now: t0.addingTimeInterval(101)).notifications.map(\.status) == [.resolved])
        #expect(e.consume([d(150)], now: t0.addingTimeInterval(150)).notifications.isEmpty)  // cool-down
        #expect(e.consume([d(240)], now: t0.addingTimeInterval(240)).notifications.isEmpty)  // de-duplicated
        // Still firing when the cool-down ends: announced now, and its end will be too.
        #expect(e.tick(now: t0.addingTimeInterval(310)).notifications.map(\.status) == [.firing])
        #expect(e.tick(now: t0.addingTimeInterval(341)).notifications.map(\.status) == [.resolved])
    }

    @Test func perSessionCountsEndWithTheSession() throws {
        let e = try engine(try rule("elevated_bash_usage", "3 commands/session"))
        let call = { (session: String, tool: String, s: Double) in
            MonitoringEvent(.toolAllowed, time: self.t0.addingTimeInterval(s), session: session, tool: tool)
        }
        var out = e.consume([call("a", "Bash", 0), call("a", "Read", 1), call("a", "Bash", 2), call("b", "Bash", 3)], now: t0.addingTimeInterval(3))
        #expect(out.notifications.isEmpty)
        out = e.consume([call("a", "Bash", 5000)], now: t0.addingTimeInterval(5000))  // no window: the session's whole life
        #expect(out.notifications.map(\.group) == ["session:a"])
        out = e.consume([MonitoringEvent(.sessionEnded, time: t0.addingTimeInterval(5001), session: "a")], now: t0.addingTimeInterval(5001))
        #expect(out.notifications.map(\.status) == [.resolved])
        #expect(e.firing().isEmpty)
    }

    @Test func errorRateIsAPercentageOfCalls() throws {
        let e = try engine(try rule("tool_errors", "10%", window: 300))
        var events: [MonitoringEvent] = (0..<19).map { MonitoringEvent(.toolAllowed, time: t0.addingTimeInterval(Double($0)), session: "s", tool: "Bash") }
        events.append(MonitoringEvent(.toolError, time: t0.addingTimeInterval(20), session: "s", tool: "Bash"))
        #expect(e.consume(events, now: t0.addingTimeInterval(20)).notifications.isEmpty)  // 1/19 ≈ 5%
        let more = [MonitoringEvent(.toolError, time: t0.addingTimeInterval(21), session: "s", tool: "Bash"),
                    MonitoringEvent(.toolAllowed, time: t0.addingTimeInterval(21), session: "s", tool: "Bash")]
        let out = e.consume(more, now: t0.addingTimeInterval(21))  // 2/20 = 10%
        #expect(out.notifications.map(\.valueText) == ["10%"])
    }

    @Test func alertmanagerGetsResendsOthersDoNot() throws {
        let e = try engine(try rule("v", "1 occurrence", metric: "denials", window: 10_000))
        _ = e.consume([MonitoringEvent(.toolBlocked, time: t0, session: "a", tool: "Bash")], now: t0)
        #expect(e.tick(now: t0.addingTimeInterval(30)).notifications.isEmpty)
        let resend = e.tick(now: t0.addingTimeInterval(61)).notifications
        #expect(resend.count == 1 && resend.first?.resend == true && resend.first?.status == .firing)
    }

    @Test func latestValueGauge() throws {
        let e = try engine(try rule("queue", "5 requests", metric: "approvals_waiting"))
        #expect(e.consume([.pendingApprovals(4, time: t0)], now: t0).notifications.isEmpty)
        #expect(e.consume([.pendingApprovals(6, time: t0)], now: t0).notifications.map(\.status) == [.firing])
        #expect(e.consume([.pendingApprovals(0, time: t0)], now: t0).notifications.map(\.status) == [.resolved])
    }
}

@Suite struct ActionTests {
    let firing = AlertNotification(
        alert: "high_api_cost", status: .firing, group: "global", value: 7.5, valueText: "7.50 USD/hour", threshold: "5 USD/hour",
        summary: "ClawGuard alert high_api_cost", startsAt: Date(timeIntervalSince1970: 1_800_000_000), endsAt: nil,
        sessions: ["s1"], actions: ["hook"], dedupKey: "clawguard/high_api_cost/global", resend: false)

    @Test func slackPayloadHasTextAndAttachment() {
        let p = ActionPayloads.slack(firing)
        #expect(p["text"]?.stringValue?.contains("high_api_cost") == true)
        guard case .array(let attachments)? = p["attachments"] else { Issue.record("no attachments"); return }
        #expect(attachments.first?["color"] == "danger")
    }

    @Test func pagerDutyTriggerAndResolveShareTheDedupKey() {
        let trigger = ActionPayloads.pagerDuty(firing, routingKey: "R", severity: "critical")
        #expect(trigger["event_action"] == "trigger" && trigger["routing_key"] == "R")
        #expect(trigger["payload"]?["severity"] == "critical" && trigger["payload"]?["summary"] != nil)
        var resolved = firing
        resolved.status = .resolved
        let resolve = ActionPayloads.pagerDuty(resolved, routingKey: "R", severity: "critical")
        #expect(resolve["event_action"] == "resolve" && resolve["payload"] == nil)
        #expect(resolve["dedup_key"] == trigger["dedup_key"])
    }

    @Test func alertmanagerPayloadEndsWhenResolved() {
        guard case .array(let alerts) = ActionPayloads.alertmanager(firing, labels: ["team": "sec"]) else { Issue.record("not an array"); return }
        #expect(alerts.first?["labels"]?["alertname"] == "high_api_cost" && alerts.first?["labels"]?["team"] == "sec")
        #expect(alerts.first?["startsAt"] != nil && alerts.first?["endsAt"] == nil)
        var resolved = firing
        resolved.status = .resolved
        resolved.endsAt = Date(timeIntervalSince1970: 1_800_000_100)
        guard case .array(let ended) = ActionPayloads.alertmanager(resolved, labels: [:]) else { return }
        #expect(ended.first?["endsAt"]?.stringValue?.hasPrefix("2027-01-15T08:01:40") == true)
    }

    @Test func failingActionsAreRetriedABoundedNumberOfTimes() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-act-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let log = dir.appendingPathComponent("runs").path
        // Counts its runs, reads the JSON from stdin, fails.
        let argv = ["/bin/sh", "-c", "cat >> \(log).json; echo run >> \(log); exit 1"]
        let dispatcher = ActionDispatcher(targets: ["hook": .command(argv: argv)], store: nil, attempts: 3, backoff: .milliseconds(1))
        let results = await dispatcher.dispatch(firing)
        #expect(results.count == 1 && results.first?.ok == false && results.first?.attempts == 3)
        #expect(results.first?.error?.contains("status 1") == true)
        let runs = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count
        #expect(runs == 3)
        let payload = try String(contentsOfFile: log + ".json", encoding: .utf8)
        #expect(payload.contains(#""alert":"high_api_cost""#))
    }

    @Test func unreachableWebhookFailsWithoutThrowing() async {
        // Port 9 (discard) on loopback: connection refused.
        let dispatcher = ActionDispatcher(targets: ["hook": .webhook(url: "http://127.0.0.1:9/x", headers: [:], secretEnv: nil)],
                                          store: nil, attempts: 2, backoff: .milliseconds(1))
        let results = await dispatcher.dispatch(firing)
        #expect(results.first?.ok == false && results.first?.attempts == 2)
    }

    @Test func missingPagerDutyKeyIsAClearError() async {
        let dispatcher = ActionDispatcher(targets: ["hook": .pagerduty(routingKeyEnv: "CG_TEST_NO_SUCH_KEY", severity: "error")],
                                          store: nil, context: ActionContext(environment: [:]), attempts: 1)
        let results = await dispatcher.dispatch(firing)
        #expect(results.first?.error?.contains("CG_TEST_NO_SUCH_KEY") == true)
    }
}

@Suite struct EnforcementTests {
    @Test func terminateSessionStopsTheNextToolCall() throws {
        let store = try makeStore()
        let bypass = try rule("permission_bypass_attempt", "1 occurrence", actions: ["terminate_session"])
        var policy = Policy(profileName: "test", mode: .default)
        policy.alerts = [bypass]
        let service = try MonitoringService(store: store, policy: policy, configuration: .init(tail: .init(cursorName: nil)))
        try call(store, session: "victim", tool: "Bash", command: "ls")
        try call(store, session: "other", tool: "Bash", command: "ls")
        try call(store, session: "victim", tool: "Edit", command: "x", decision: .deny,
                 risks: [Risk(.protectedWrite, "Edit writes .claude/settings.json")])
        let output = service.process(try store.auditBatch(after: 0, limit: 100))
        #expect(output.enforcements.map(\.kind) == [.terminateSession("victim")])
        let next = try call(store, session: "victim", tool: "Bash", command: "pwd")
        #expect(next.enforced == .deny && next.hits.map(\.kind) == [.sessionTerminated])
        #expect(try call(store, session: "other", tool: "Bash", command: "pwd").enforced == .allow)
    }

    @Test func aPlainPolicyDenialIsNotABypass() throws {
        let store = try makeStore()
        var policy = Policy(profileName: "test", mode: .default)
        policy.alerts = [try rule("permission_bypass_attempt", "1 occurrence", actions: ["terminate_session"])]
        let service = try MonitoringService(store: store, policy: policy, configuration: .init(tail: .init(cursorName: nil)))
        try call(store, session: "s", command: "curl http://x", decision: .deny)
        #expect(service.process(try store.auditBatch(after: 0, limit: 100)).enforcements.isEmpty)
        #expect(try call(store, session: "s", command: "pwd").enforced == .allow)
    }
}

@Suite struct ExportTests {
    @Test func exportsTheReferenceAlertsAndSaysWhatItSkips() throws {
        let definitions = try AlertDefinition.compile([
            try rule("high_api_cost", "5 USD/hour"), try rule("elevated_bash_usage", "50 commands/session"),
            try rule("permission_bypass_attempt", "1 occurrence", actions: ["terminate_session"]),
            try rule("per_agent", "5 denials/agent"),
        ])
        let (yaml, skipped) = PrometheusExport.ruleFile(definitions, prefix: "openclaw")
        #expect(yaml.contains(#"expr: "sum(increase(openclaw_spend_usd_total[1h])) >= 5""#))
        #expect(yaml.contains(#"openclaw_session_tool_calls_max{tool=\"Bash\"}) >= 50"#))
        #expect(yaml.contains("severity: critical"))
        #expect(skipped.map(\.alert) == ["per_agent"])
    }
}

@Suite struct ActionRobustnessTests {
    func notification(summary: String) -> AlertNotification {
        AlertNotification(alert: "a", status: .firing, group: "global", value: 1, valueText: "1", threshold: "1 occurrence",
                          summary: summary, startsAt: Date(), endsAt: nil, sessions: [], actions: ["t"], dedupKey: "k", resend: false)
    }

    @Test func aCommandThatIgnoresItsInputDoesNotKillTheService() async {
        // Closes standard input at once; 256 KiB of JSON cannot fit in the pipe: the write meets EPIPE.
        let dispatcher = ActionDispatcher(targets: ["t": .command(argv: ["/bin/sh", "-c", "exec 0<&-; exit 0"])], store: nil, attempts: 1)
        let results = await dispatcher.dispatch(notification(summary: String(repeating: "x", count: 256 * 1024)))
        #expect(results.first?.ok == true)
    }

    @Test func failuresDoNotLogTheWebhookSecretPath() async {
        let dispatcher = ActionDispatcher(
            targets: ["t": .webhook(url: "http://127.0.0.1:9/services/T000/B000/SECRETTOKEN", headers: [:], secretEnv: nil)],
            store: nil, attempts: 1)
        let results = await dispatcher.dispatch(notification(summary: "s"))
        #expect(results.first?.ok == false)
        #expect(results.first?.error?.contains("SECRETTOKEN") == false)
        #expect(results.first?.error?.contains("127.0.0.1:9") == true)
    }
}

@Suite struct RestartTests {
    /// Two denials before a restart and one after: with `3 denials/hour` the alert fires only when the windows were
    /// refilled from the trail; the refill itself delivers nothing.
    @Test func aThresholdSpanningARestartStillFires() throws {
        let store = try makeStore()
        var policy = Policy(profileName: "test", mode: .default)
        policy.alerts = [try rule("deny_burst", "3 denials/hour", actions: ["terminate_session"])]
        let configuration = MonitoringService.Configuration(tail: .init(cursorName: "restart-test"))
        let now = Date()
        try call(store, session: "s", command: "curl http://a", decision: .deny, now: now.addingTimeInterval(-120))
        try call(store, session: "s", command: "curl http://b", decision: .deny, now: now.addingTimeInterval(-60))
        // The previous process processed everything up to here.
        let before = try store.auditBatch(after: 0, limit: 100)
        try store.setAuditCursor("restart-test", to: try #require(before.last?.seq))

        let warm = try MonitoringService(store: store, policy: policy, configuration: configuration)
        let fresh = try MonitoringService(store: store, policy: policy, configuration: configuration)

        try call(store, session: "s", command: "curl http://c", decision: .deny, now: now)
        let after = try store.auditBatch(after: before.last!.seq, limit: 100)
        #expect(fresh.process(after, now: now, deliver: false).notifications.isEmpty)  // windows started empty
        #expect(try warm.warmUp(now: now) == before.count)
        let output = warm.process(after, now: now, deliver: false)
        #expect(output.notifications.map(\.alert) == ["deny_burst"])
    }

    /// A threshold crossed before the restart is firing again after the refill, but its action is not run twice.
    @Test func theRefillRunsNoAction() throws {
        let store = try makeStore()
        var policy = Policy(profileName: "test", mode: .default)
        policy.alerts = [try rule("deny_burst", "2 denials/hour", actions: ["terminate_session"])]
        let now = Date()
        try call(store, session: "s", command: "curl http://a", decision: .deny, now: now.addingTimeInterval(-60))
        try call(store, session: "s", command: "curl http://b", decision: .deny, now: now.addingTimeInterval(-30))
        let trail = try store.auditBatch(after: 0, limit: 100)
        try store.setAuditCursor("restart-test", to: try #require(trail.last?.seq))
        let service = try MonitoringService(store: store, policy: policy, configuration: .init(tail: .init(cursorName: "restart-test")))
        #expect(try service.warmUp(now: now) == trail.count)
        #expect(service.firingAlerts().map(\.alert) == ["deny_burst"])
        #expect(try call(store, session: "s", command: "pwd").enforced == .allow)  // not terminated by the refill
    }
}
