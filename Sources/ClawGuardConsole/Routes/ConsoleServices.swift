import ClawGuardCore
import ClawGuardStore
import Foundation
import Synchronization

/// Exchanges a gateway token for a principal. The gateway implements it over its `tokens` table (hashed tokens,
/// expiry, revocation, lockout).
public protocol ConsoleAuthenticator: Sendable {
    /// The principal for `token`.
    /// - Parameter peer: the client's address (for lockout accounting).
    /// - Throws: `ClawGuardError(.unauthorized)` for an unknown, expired or revoked token or a locked-out client.
    func authenticate(token: String, peer: String?) async throws(ClawGuardError) -> ConsolePrincipal
}

/// The approval queue, as the console needs it. The gateway implements it over its approvals service, so a
/// decision made here wakes the waiting `/v1/decide` request (and its hook) exactly as the API would.
public protocol ConsoleApprovals: Sendable {
    /// Pending requests, oldest first.
    func pending() async throws(ClawGuardError) -> [ApprovalItem]
    /// Recently decided requests, newest first.
    func recent(limit: Int) async throws(ClawGuardError) -> [ApprovalItem]
    /// One request, nil when unknown.
    func approval(id: String) async throws(ClawGuardError) -> ApprovalItem?
    /// Approves or denies a pending request.
    /// - Throws: `.notFound` for an unknown id, `.invalidInput` when it is no longer pending.
    func decide(id: String, approve: Bool, scope: ConsoleApprovalScope, reason: String?, by principal: ConsolePrincipal)
        async throws(ClawGuardError)
}

/// Agent runs of the worker API (`/v1/runs`).
public protocol ConsoleRuns: Sendable {
    func runs(limit: Int) async throws(ClawGuardError) -> [RunItem]
    func run(id: String) async throws(ClawGuardError) -> RunItem?
}

/// Sessions, audit trail, kill switch and the dashboard's figures, read from (and written to) the state store.
public protocol ConsoleState: Sendable {
    func sessions(limit: Int) async throws(ClawGuardError) -> [SessionSnapshot]
    func session(id: String) async throws(ClawGuardError) -> SessionSnapshot?
    /// A session's audit events, oldest first.
    func timeline(session: String, limit: Int) async throws(ClawGuardError) -> [AuditRecord]
    func terminate(session: String, reason: String, by principal: ConsolePrincipal) async throws(ClawGuardError) -> Bool
    func audit(_ search: AuditSearch) async throws(ClawGuardError) -> AuditResults
    func killSwitch() async throws(ClawGuardError) -> KillSwitchState
    func setKillSwitch(_ on: Bool, reason: String?, by principal: ConsolePrincipal) async throws(ClawGuardError) -> KillSwitchState
    /// The budgets in force (shown against spend).
    func budgets() -> ConsoleBudgets
    /// The dashboard; `runs` and `pendingApprovals` come from the other services.
    func dashboard(runs: [RunItem], pendingApprovals: Int, now: Date) async throws(ClawGuardError) -> DashboardData
}

/// Everything the console talks to.
public struct ConsoleServices: Sendable {
    public var authenticator: any ConsoleAuthenticator
    public var approvals: any ConsoleApprovals
    public var state: any ConsoleState
    /// nil: this server has no worker API.
    public var runs: (any ConsoleRuns)?

    public init(authenticator: any ConsoleAuthenticator, approvals: any ConsoleApprovals, state: any ConsoleState,
                runs: (any ConsoleRuns)? = nil) {
        self.authenticator = authenticator
        self.approvals = approvals
        self.state = state
        self.runs = runs
    }
}

/// `ConsoleState` over a `StateStore` (the same database the hooks and the gateway use).
public struct StoreConsoleState: ConsoleState {
    public let store: StateStore
    private let budgetsProvider: @Sendable () -> ConsoleBudgets
    /// Where the last successful verification ended: the audit page continues from it, so a page load reads only
    /// the records written since (the first load, and `fullVerification`, read the whole trail).
    private let verified = VerificationMarkBox()
    /// Seconds after which a page load verifies the whole trail again (bounds how long a change to an already
    /// verified record can go unseen on this page; `clawguard log verify` always reads everything).
    public var fullVerificationInterval: TimeInterval = 300
    /// Most audit records read for the dashboard's 24-hour charts.
    public var dashboardRecordLimit = 20_000

    /// - Parameter budgets: the budgets, read at every page (the policy may be reloaded).
    public init(store: StateStore, budgets: @escaping @Sendable () -> ConsoleBudgets) {
        self.store = store
        self.budgetsProvider = budgets
    }

    /// Fixed budgets.
    public init(store: StateStore, budgets: ConsoleBudgets = ConsoleBudgets()) {
        self.init(store: store, budgets: { budgets })
    }

    public func budgets() -> ConsoleBudgets { budgetsProvider() }

    public func sessions(limit: Int) async throws(ClawGuardError) -> [SessionSnapshot] { try store.sessions(limit: limit) }

    public func session(id: String) async throws(ClawGuardError) -> SessionSnapshot? { try store.session(id) }

    public func timeline(session: String, limit: Int) async throws(ClawGuardError) -> [AuditRecord] {
        try store.auditRecords(StateStore.AuditQuery(session: session, limit: limit))
    }

    public func terminate(session: String, reason: String, by principal: ConsolePrincipal) async throws(ClawGuardError) -> Bool {
        try store.terminateSession(session, reason: Self.attributed(reason, principal))
    }

    public func audit(_ search: AuditSearch) async throws(ClawGuardError) -> AuditResults {
        let limit = min(max(search.limit, 1), 1000)
        // One more than asked for tells whether there is an older page.
        let found = try store.searchAudit(session: search.session, type: search.type, text: search.text,
                                          beforeSeq: search.beforeSeq, limit: limit + 1)
        let records = Array(found.prefix(limit))
        let next = found.count > limit ? records.last?.seq : nil
        do {
            let resume = verified.mark.flatMap { Date().timeIntervalSince($0.fullPassAt) < fullVerificationInterval ? $0 : nil }
            let (verification, mark) = try store.verifyAudit(resumingFrom: search.fullVerification ? nil : resume)
            verified.mark = mark
            return AuditResults(records: records, verification: verification, nextBeforeSeq: next)
        } catch {
            verified.mark = nil
            return AuditResults(records: records, verification: nil, verificationError: error.message, nextBeforeSeq: next)
        }
    }

    public func killSwitch() async throws(ClawGuardError) -> KillSwitchState { try store.killSwitch() }

    public func setKillSwitch(_ on: Bool, reason: String?, by principal: ConsolePrincipal) async throws(ClawGuardError) -> KillSwitchState {
        try store.setKillSwitch(on, reason: Self.attributed(reason ?? "", principal))
    }

    public func dashboard(runs: [RunItem], pendingApprovals: Int, now: Date) async throws(ClawGuardError) -> DashboardData {
        let sessions = try store.sessions(limit: 500)
        let since = now.addingTimeInterval(-25 * 3600)
        let records = try store.auditRecords(StateStore.AuditQuery(limit: dashboardRecordLimit))
            .filter { AuditTime.parse($0.time).map { $0 >= since } ?? false }
        var spend: [String: Double] = [:]
        for user in Set(sessions.map(\.user)) { spend[user] = try store.dailySpend(user: user) }
        let killSwitch = try? store.killSwitch()
        return DashboardData.build(sessions: sessions, runs: runs, records: records, dailySpend: spend, budgets: budgets(),
                                   pendingApprovals: pendingApprovals, killSwitch: killSwitch, now: now)
    }

    /// `reason (by NAME via the console)`: the store records its own actor; the console adds who clicked.
    static func attributed(_ reason: String, _ principal: ConsolePrincipal) -> String {
        (reason.isEmpty ? "" : reason + " ") + "(by \(principal.name) via the console)"
    }
}

/// The console's last verification mark, shared by every copy of a `StoreConsoleState`.
final class VerificationMarkBox: Sendable {
    private let state = Mutex<AuditVerificationMark?>(nil)
    var mark: AuditVerificationMark? {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}
