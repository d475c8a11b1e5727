import ClawGuardConsole
import ClawGuardCore
import ClawGuardStore
import ClawGuardWorker
import Foundation
import Hummingbird

/// The web console (`ClawGuardConsole`) wired to the gateway's own services, in-process: its tokens and lockout
/// for login, its approvals service (a decision here wakes the waiting `/v1/decide` request exactly as the API
/// does), its state store for sessions, the audit trail and the kill switch, and the policy's budgets.
public enum GatewayConsole {
    /// Trusted reverse proxies (comma-separated IP addresses) whose `X-Forwarded-Proto: https` makes cookies
    /// `Secure`; `CLAWGUARD_CONSOLE_SECURE=1` makes them always `Secure`.
    public static let trustedProxiesVariable = "CLAWGUARD_TRUSTED_PROXIES"
    public static let alwaysSecureVariable = "CLAWGUARD_CONSOLE_SECURE"

    /// The console for `services`.
    public static func make(_ services: GatewayServices,
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> WebConsole {
        let policies = services.policies
        let state = StoreConsoleState(store: services.store, budgets: {
            let budget = policies.current().limits.budget
            return ConsoleBudgets(sessionUSD: budget?.sessionUSD, dailyUSDPerUser: budget?.dailyUSDPerUser)
        })
        let consoleServices = ConsoleServices(
            authenticator: Authenticator(tokens: services.tokens, lockout: services.lockout, observer: services.observer),
            approvals: Approvals(decisions: services.decisions), state: state,
            runs: services.worker.map { WorkerRuns(runs: $0.manager.runs) })
        let proxies = Set((environment[trustedProxiesVariable] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        let transport = TransportSecurity(trustedProxies: proxies, alwaysSecure: environment[alwaysSecureVariable] == "1")
        let auth = services.configuration.auth
        // The gateway's lockout is the one that counts (shared with the API); the console's own throttle
        // mirrors its settings for a console mounted elsewhere.
        return WebConsole(services: consoleServices, transport: transport,
                          throttle: LoginThrottle(maxFailures: auth.lockoutFailures, window: seconds(auth.lockoutWindow),
                                                  lockout: seconds(auth.lockoutDuration)))
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Login: a gateway token, verified like a bearer token; failures count towards the client's API lockout.
    struct Authenticator: ConsoleAuthenticator {
        let tokens: TokenStore
        let lockout: LockoutTracker
        let observer: (any GatewayEventObserver)?

        func authenticate(token: String, peer: String?) async throws(ClawGuardError) -> ConsolePrincipal {
            let client = peer ?? "unknown"
            if let wait = lockout.lockedOut(client) {
                observer?.authenticationFailed(reason: "locked_out", client: client)
                throw ClawGuardError(.unauthorized, "too many failed authentications from \(client); try again in \(Int(GatewayConsole.seconds(wait).rounded(.up))) s")
            }
            switch tokens.verify(token) {
            case .success(let record):
                return ConsolePrincipal(name: record.name, scopes: Set(record.scopes.map(\.name)))
            case .failure(let rejection):
                lockout.recordFailure(client)
                observer?.authenticationFailed(reason: rejection.rawValue, client: client)
                throw ClawGuardError(.unauthorized, AuthMiddleware.message(rejection))
            }
        }
    }

    /// The approvals service as the console sees it.
    struct Approvals: ConsoleApprovals {
        let decisions: DecisionService

        func pending() async throws(ClawGuardError) -> [ApprovalItem] {
            try wrap { try decisions.approvals.list(status: .pending, limit: 500) }
                .sorted { $0.createdAt < $1.createdAt }.map(GatewayConsole.item)
        }

        func recent(limit: Int) async throws(ClawGuardError) -> [ApprovalItem] {
            var records: [ApprovalRecord] = []
            for status in [ApprovalStatus.approved, .denied, .expired] {
                records += try wrap { try decisions.approvals.list(status: status, limit: limit) }
            }
            return records.sorted { ($0.decidedAt ?? $0.createdAt) > ($1.decidedAt ?? $1.createdAt) }
                .prefix(limit).map(GatewayConsole.item)
        }

        func approval(id: String) async throws(ClawGuardError) -> ApprovalItem? {
            try wrap { try decisions.approvals.get(id) }.map(GatewayConsole.item)
        }

        func decide(id: String, approve: Bool, scope: ConsoleApprovalScope, reason: String?, by principal: ConsolePrincipal)
            async throws(ClawGuardError)
        {
            guard let gatewayScope = ApprovalScope(rawValue: scope.rawValue) else {
                throw ClawGuardError(.invalidInput, "unknown approval scope \(scope.rawValue)")
            }
            guard try wrap({ try decisions.approvals.get(id) }) != nil else {
                throw ClawGuardError(.notFound, "there is no approval \(id)")
            }
            let decided = try wrap {
                try decisions.decideApproval(id, ApprovalDecision(approve: approve, reason: reason, scope: gatewayScope),
                                             by: "console:\(principal.name)")
            }
            guard decided != nil else {
                throw ClawGuardError(.invalidInput, "approval \(id) is no longer pending (decided or expired meanwhile)")
            }
        }

        func wrap<T>(_ body: () throws -> T) throws(ClawGuardError) -> T {
            do {
                return try body()
            } catch let error as ClawGuardError {
                throw error
            } catch {
                throw ClawGuardError(.store, "the approvals table could not be read or written: \(error)", underlying: error)
            }
        }
    }

    /// An approval record as the console shows it.
    static func item(_ record: ApprovalRecord) -> ApprovalItem {
        ApprovalItem(
            id: record.id, createdAt: record.createdAt, status: record.status.rawValue, session: record.session,
            agent: record.agent, user: record.user, tool: record.tool, command: record.summary,
            input: prettyJSON(record.input), reason: record.verdict.reason, rule: record.verdict.rule,
            riskLevel: record.risk,
            risks: record.verdict.risks.map { RiskItem(kind: $0.kind.rawValue, detail: $0.detail) },
            diff: record.diff, decidedBy: record.decidedBy, decidedAt: record.decidedAt, scope: record.scope?.rawValue,
            decisionReason: record.reason)
    }

    static func prettyJSON(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? JSONText.encode(value)
    }
}

extension RouterMethods where Context == GatewayContext {
    /// Mounts the web console at `/ui`. Register it before the bearer-token middleware: the console
    /// authenticates with its own session cookie (login with a gateway token), CSRF token and lockout.
    @discardableResult
    public func addConsoleRoutes(_ services: GatewayServices) -> Self {
        addConsoleRoutes(GatewayConsole.make(services), peer: { $0.clientAddress })
    }
}
