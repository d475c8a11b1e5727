import ClawGuardCore
import ClawGuardStore
import Crypto
import Foundation
import Logging

/// What happened when one action ran.
public struct ActionResult: Sendable, Hashable {
    public var action: String
    public var kind: String
    public var ok: Bool
    public var attempts: Int
    public var error: String?
}

/// Everything an action kind needs to deliver one notification.
public struct ActionContext: Sendable {
    public var http: HTTPPoster
    public var command: CommandRunner
    public var syslog: LocalSyslog
    public var environment: [String: String]

    public init(http: HTTPPoster = HTTPPoster(), command: CommandRunner = CommandRunner(), syslog: LocalSyslog = LocalSyslog(),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.http = http
        self.command = command
        self.syslog = syslog
        self.environment = environment
    }
}

/// The kinds of notification actions, as a table: name, whether firing alerts are re-sent to it, and how to deliver.
public struct ActionKind: Sendable {
    public var name: String
    /// The receiver expires alerts that are not repeated (Alertmanager), so firing alerts are re-sent.
    public var wantsResend: Bool
    public var deliver: @Sendable (AlertNotification, ActionTarget, ActionContext) async throws(ClawGuardError) -> Void

    public static let all: [ActionKind] = [
        ActionKind(name: "webhook", wantsResend: false) { n, target, context throws(ClawGuardError) in
            guard case .webhook(let url, let headers, let secretEnv) = target else { return }
            let body = ActionPayloads.encode(ActionPayloads.slack(n))
            var allHeaders = headers
            if let secretEnv {
                guard let secret = context.environment[secretEnv], !secret.isEmpty else {
                    throw ClawGuardError(.invalidInput, "webhook secret: environment variable \(secretEnv) is not set")
                }
                let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
                allHeaders["X-ClawGuard-Signature"] = "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
            }
            try await context.http.post(url, body: body, headers: allHeaders)
        },
        ActionKind(name: "pagerduty", wantsResend: false) { n, target, context throws(ClawGuardError) in
            guard case .pagerduty(let keyEnv, let severity, let url) = target else { return }
            guard let key = context.environment[keyEnv], !key.isEmpty else {
                throw ClawGuardError(.invalidInput, "pagerduty: environment variable \(keyEnv) (the routing key) is not set")
            }
            try await context.http.post(url, body: ActionPayloads.encode(ActionPayloads.pagerDuty(n, routingKey: key, severity: severity)))
        },
        ActionKind(name: "alertmanager", wantsResend: true) { n, target, context throws(ClawGuardError) in
            guard case .alertmanager(let base, let labels) = target else { return }
            let url = base.hasSuffix("/api/v2/alerts") ? base : base.trimmingSuffix("/") + "/api/v2/alerts"
            try await context.http.post(url, body: ActionPayloads.encode(ActionPayloads.alertmanager(n, labels: labels)))
        },
        ActionKind(name: "command", wantsResend: false) { n, target, context throws(ClawGuardError) in
            guard case .command(let argv) = target else { return }
            try await context.command.run(argv, input: ActionPayloads.encode(ActionPayloads.generic(n)))
        },
        ActionKind(name: "syslog", wantsResend: false) { n, target, context throws(ClawGuardError) in
            guard case .syslog(let facility, let tag) = target else { return }
            try context.syslog.send(LocalSyslog.message(n, facility: facility, tag: tag))
        },
    ]

    /// The kind of a configured target.
    public static func of(_ target: ActionTarget) -> ActionKind {
        let name = switch target {
        case .webhook: "webhook"
        case .pagerduty: "pagerduty"
        case .alertmanager: "alertmanager"
        case .command: "command"
        case .syslog: "syslog"
        }
        return all.first { $0.name == name }!
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var s = self
        while s.hasSuffix(suffix) { s.removeLast(suffix.count) }
        return s
    }
}

/// Runs an alert's actions: enforcement on the state store at once, notifications to named targets with bounded
/// retries. A failing action is logged and reported in its result; it never throws out of here.
public struct ActionDispatcher: Sendable {
    public var targets: [String: ActionTarget]
    public var store: StateStore?
    public var context: ActionContext
    /// Attempts per notification and target (at least 1).
    public var attempts: Int
    /// Wait before the second attempt; doubled for each further one.
    public var backoff: Duration
    public var logger: Logger

    public init(targets: [String: ActionTarget], store: StateStore?, context: ActionContext = ActionContext(), attempts: Int = 3,
                backoff: Duration = .milliseconds(500), logger: Logger = Logger(label: "clawguard.alerts")) {
        self.targets = targets
        self.store = store
        self.context = context
        self.attempts = max(attempts, 1)
        self.backoff = backoff
        self.logger = logger
    }

    /// Applies one enforcement to the store.
    @discardableResult
    public func enforce(_ enforcement: Enforcement) -> ActionResult {
        var metadata: Logger.Metadata = ["alert.name": "\(enforcement.alert)"]
        let name: String
        do throws(ClawGuardError) {
            guard let store else { throw ClawGuardError(.store, "no state store to act on") }
            switch enforcement.kind {
            case .terminateSession(let session):
                name = "terminate_session"
                metadata["session.id"] = "\(session)"
                let done = try store.terminateSession(session, reason: enforcement.reason)
                logger.warning("alert terminated a session", metadata: metadata.merging(["terminated": "\(done)"]) { a, _ in a })
            case .killSwitch:
                name = "kill_switch"
                try store.setKillSwitch(true, reason: enforcement.reason)
                logger.critical("alert turned the kill switch on", metadata: metadata)
            }
            return ActionResult(action: name, kind: name, ok: true, attempts: 1, error: nil)
        } catch {
            let kind = if case .killSwitch = enforcement.kind { "kill_switch" } else { "terminate_session" }
            logger.error("alert enforcement failed", metadata: metadata.merging(["error": "\(error.message)"]) { a, _ in a })
            return ActionResult(action: kind, kind: kind, ok: false, attempts: 1, error: error.message)
        }
    }

    /// Sends a notification to each of its named targets (re-sends only to receivers that want them), in parallel.
    public func dispatch(_ notification: AlertNotification) async -> [ActionResult] {
        var jobs: [(String, ActionTarget, ActionKind)] = []
        var results: [ActionResult] = []
        for name in notification.actions {
            if name == "log" {
                if !notification.resend {
                    logger.notice("\(notification.summary)", metadata: ["alert.name": "\(notification.alert)", "alert.status": "\(notification.status.rawValue)"])
                }
                results.append(ActionResult(action: name, kind: "log", ok: true, attempts: 1, error: nil))
                continue
            }
            if ActionTarget.builtinNames.contains(name) { continue }
            guard let target = targets[name] else {
                logger.error("alert names an unknown action", metadata: ["alert.name": "\(notification.alert)", "action": "\(name)"])
                results.append(ActionResult(action: name, kind: "unknown", ok: false, attempts: 0, error: "no action named \(name)"))
                continue
            }
            let kind = ActionKind.of(target)
            if notification.resend && !kind.wantsResend { continue }
            jobs.append((name, target, kind))
        }
        let sent = await withTaskGroup(of: ActionResult.self, returning: [ActionResult].self) { group in
            for (name, target, kind) in jobs {
                group.addTask { await deliver(notification, name: name, target: target, kind: kind) }
            }
            var out: [ActionResult] = []
            for await result in group { out.append(result) }
            return out
        }
        return results + sent.sorted { $0.action < $1.action }
    }

    func deliver(_ n: AlertNotification, name: String, target: ActionTarget, kind: ActionKind) async -> ActionResult {
        var delay = backoff
        var lastError = ""
        for attempt in 1...attempts {
            do throws(ClawGuardError) {
                try await kind.deliver(n, target, context)
                logger.info("alert action delivered", metadata: [
                    "alert.name": "\(n.alert)", "alert.status": "\(n.status.rawValue)", "action": "\(name)", "attempt": "\(attempt)",
                ])
                return ActionResult(action: name, kind: kind.name, ok: true, attempts: attempt, error: nil)
            } catch {
                lastError = error.message
                logger.warning("alert action failed", metadata: [
                    "alert.name": "\(n.alert)", "action": "\(name)", "attempt": "\(attempt)", "error": "\(error.message)",
                ])
            }
            if attempt < attempts {
                do { try await Task.sleep(for: delay) } catch { break }
                delay *= 2
            }
        }
        logger.error("alert action gave up", metadata: ["alert.name": "\(n.alert)", "action": "\(name)", "error": "\(lastError)"])
        return ActionResult(action: name, kind: kind.name, ok: false, attempts: attempts, error: lastError)
    }
}
