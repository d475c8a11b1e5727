import ClawGuardCore
import ClawGuardScanners
import ClawGuardStore
import Foundation

/// A guard's refusal: a stable code and a reason a human can act on.
public struct GuardRefusal: Sendable, Hashable, Error {
    public var code: String
    public var reason: String
    public init(_ code: String, _ reason: String) {
        self.code = code
        self.reason = reason
    }
}

/// What the request guards see besides the request: the profile's budgets and the limits.
public struct GuardContext: Sendable {
    /// The profile's `budgets.session_usd` (nil: the worker's default maximum).
    public var profileMaxBudgetUSD: Double?
    /// The profile's `budgets.daily_usd_per_user`.
    public var dailyBudgetUSD: Double?
    public var limits: WorkerLimits
    public var timeoutSeconds: Double

    public init(profileMaxBudgetUSD: Double?, dailyBudgetUSD: Double?, limits: WorkerLimits, timeoutSeconds: Double) {
        self.profileMaxBudgetUSD = profileMaxBudgetUSD
        self.dailyBudgetUSD = dailyBudgetUSD
        self.limits = limits
        self.timeoutSeconds = timeoutSeconds
    }
}

/// One check of a request before anything is stored or started.
public struct RequestGuard: Sendable {
    public var name: String
    public var check: @Sendable (RunRequest, GuardContext) -> GuardRefusal?
    public init(_ name: String, _ check: @escaping @Sendable (RunRequest, GuardContext) -> GuardRefusal?) {
        self.name = name
        self.check = check
    }
}

/// One check against the counts read in the run's inserting transaction (so concurrent starts see each other).
public struct AdmissionGuard: Sendable {
    public var name: String
    public var check: @Sendable (RunRequest, GuardContext, RunAdmissionCounts) -> GuardRefusal?
    public init(_ name: String, _ check: @escaping @Sendable (RunRequest, GuardContext, RunAdmissionCounts) -> GuardRefusal?) {
        self.name = name
        self.check = check
    }
}

/// The guards, as data: adding one is one entry. The first refusal wins; every refusal says why.
public enum RunGuards {
    static let secrets = SecretScanner()
    static let injection = InjectionScanner()

    /// Checks of the request itself, in order.
    public static let request: [RequestGuard] = [
        RequestGuard("user") { r, _ in
            r.user.isEmpty || r.user.count > 128 || r.user.contains(where: { $0.isNewline || $0 == "\0" })
                ? GuardRefusal("invalid_user", "the user must be a non-empty name of at most 128 characters") : nil
        },
        RequestGuard("profile") { r, _ in
            r.profile.isEmpty || !r.profile.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) })
                ? GuardRefusal("invalid_profile", "the profile must be a policy profile name (letters, digits, - _ .)") : nil
        },
        RequestGuard("prompt_empty") { r, _ in
            r.prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                ? GuardRefusal("prompt_empty", "the prompt is empty") : nil
        },
        RequestGuard("prompt_length") { r, c in
            r.prompt.count > c.limits.maxPromptLength
                ? GuardRefusal("prompt_too_long", "the prompt has \(r.prompt.count) characters; the limit is \(c.limits.maxPromptLength)") : nil
        },
        RequestGuard("prompt_nul") { r, _ in
            r.prompt.utf8.contains(0) ? GuardRefusal("prompt_nul_byte", "the prompt contains a NUL byte") : nil
        },
        RequestGuard("prompt_credentials") { r, _ in
            guard let finding = secrets.scan(r.prompt).first else { return nil }
            return GuardRefusal("prompt_credential", "the prompt contains a credential (\(finding.rule)); remove it and pass secrets another way")
        },
        RequestGuard("prompt_injection") { r, _ in
            let report = injection.analyze(r.prompt)
            guard report.isInjection() else { return nil }
            let why = report.reasons.prefix(3).map { "\($0.signal): \($0.detail)" }.joined(separator: "; ")
            return GuardRefusal("prompt_injection", "the prompt looks like a prompt injection (\(why))")
        },
        RequestGuard("budget_positive") { r, _ in
            r.budgetUSD.isFinite && r.budgetUSD > 0 ? nil : GuardRefusal("invalid_budget", "budget_usd must be a positive number")
        },
        RequestGuard("budget_profile") { r, c in
            let maximum = c.profileMaxBudgetUSD ?? c.limits.defaultMaxBudgetUSD
            return r.budgetUSD > maximum
                ? GuardRefusal("budget_over_profile", "budget_usd \(r.budgetUSD) is over the profile's maximum of \(maximum) USD") : nil
        },
        RequestGuard("timeout") { r, c in
            guard let t = r.timeoutSeconds else { return nil }
            return t.isFinite && t > 0 && t <= c.limits.maxTimeoutSeconds ? nil
                : GuardRefusal("invalid_timeout", "timeout must be between 0 and \(Int(c.limits.maxTimeoutSeconds)) seconds")
        },
        RequestGuard("phases") { r, _ in
            guard let phases = r.phases else { return nil }
            return phases == [.execute] || phases == [.explore, .execute] ? nil
                : GuardRefusal("invalid_phases", "phases must be [execute] or [explore, execute]")
        },
    ]

    /// Checks against what is stored: active runs, rate limits, the daily budget.
    public static let admission: [AdmissionGuard] = [
        AdmissionGuard("active_runs") { r, c, counts in
            guard let maximum = c.limits.maxActiveRunsPerUser, counts.activeForUser >= maximum else { return nil }
            return GuardRefusal("too_many_active_runs", "\(r.user) already has \(counts.activeForUser) run(s) not ended; at most \(maximum) at a time")
        },
        AdmissionGuard("rate_user") { r, c, counts in
            for w in c.limits.perUser where (counts.startedByUser[w.seconds] ?? 0) >= w.count {
                return GuardRefusal("rate_limited_user", "\(r.user) started \(w.count) runs in the last \(Int(w.seconds)) s (the limit); try again later")
            }
            return nil
        },
        AdmissionGuard("rate_global") { _, c, counts in
            for w in c.limits.global where (counts.startedGlobally[w.seconds] ?? 0) >= w.count {
                return GuardRefusal("rate_limited_global", "\(w.count) runs were started in the last \(Int(w.seconds)) s (the global limit); try again later")
            }
            return nil
        },
        AdmissionGuard("daily_budget") { r, c, counts in
            guard let daily = c.dailyBudgetUSD else { return nil }
            let left = daily - counts.spentByUserToday - counts.reservedByUser
            return r.budgetUSD > left
                ? GuardRefusal("budget_over_daily", String(format: "budget_usd %.4g is over what is left of %@'s daily budget today (%.4f of %.4g USD, runs in progress included)", r.budgetUSD, r.user, max(left, 0), daily)) : nil
        },
    ]

    /// The rate windows the admission counts must cover.
    static func windows(_ limits: WorkerLimits) -> [Double] {
        Array(Set((limits.perUser + limits.global).map(\.seconds))).sorted()
    }
}
