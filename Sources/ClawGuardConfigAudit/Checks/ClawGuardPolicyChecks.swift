import ClawGuardCore
import Foundation

// ClawGuard's own policy (`clawguard.yaml`, `.clawguard.yaml`, `~/.clawguard/policy.yaml`), judged through
// `ClawGuardPolicyView`: loaded by the same `PolicyLoader` the hooks use, so every check below reads the
// effective, typed policy of each profile (inheritance applied), never a guess at key names.

extension ClawGuardPolicyView.Profile {
    /// Whether an alert rule watches spend: a cost metric or a USD threshold.
    static func watchesSpend(_ alert: AlertRule) -> Bool {
        ["cost", "spend", "api_cost"].contains(alert.metric?.lowercased() ?? "") || alert.threshold.unit == "usd"
    }

    /// Whether an alert watches spend, or the budget warns before it is spent.
    var hasCostAlert: Bool { policy.budgets.warnAtPercent != nil || policy.alerts.contains(where: Self.watchesSpend) }

    /// Whether an alert watches something other than spend (denials, bypass attempts, secrets, commands…).
    var hasSecurityAlert: Bool { policy.alerts.contains { !Self.watchesSpend($0) } }
}

extension AuditInputs {
    /// The loaded profiles of the ClawGuard policy (empty when there is none or it does not load).
    var clawguardProfiles: [ClawGuardPolicyView.Profile] { clawguardPolicyView?.profiles ?? [] }
}

enum ClawGuardPolicyChecks {
    static let all: [Check] = budgetAndAlertChecks + policyChecks

    /// Calls every profile must refuse: credentials an agent has no business reading.
    static func sensitiveProbes(home: String, project: String) -> [(what: String, call: ToolCall)] {
        [
            ("Read \(home)/.ssh/id_rsa", ToolCall(tool: "Read", input: .object(["file_path": .string(home + "/.ssh/id_rsa")]), cwd: project)),
            ("Read \(home)/.aws/credentials", ToolCall(tool: "Read", input: .object(["file_path": .string(home + "/.aws/credentials")]), cwd: project)),
            ("Read \(project)/.env", ToolCall(tool: "Read", input: .object(["file_path": .string(project + "/.env")]), cwd: project)),
            ("Bash cat ~/.ssh/id_rsa", .bash("cat ~/.ssh/id_rsa", cwd: project)),
        ]
    }

    /// Budgets, session limits and alerts: satisfied by the OpenClaw template schema's keys or by the ClawGuard
    /// policy (which enforces them for every agent).
    static let budgetAndAlertChecks: [Check] = [
        Check(
            "clawguard.budget.session_cap_missing", .warn, .budget, source: .any, covers: ["budget.session_cap"],
            title: "No per-session budget cap",
            remediation:
                "Set a per-session cap ($5–10 recommended): agents.maxBudgetUsd, or budgets.session_usd in the ClawGuard policy."
        ) { inputs in
            guard inputs.hasAgentConfig else { return [] }
            let view = inputs.openClawView
            if let cap = view?.value.at("agents.maxBudgetUsd")?.numberValue {
                guard cap > 10 else { return [] }
                return [
                    view!.config.hit(
                        "agents.maxBudgetUsd=\(cap) is above the recommended $5–10.", at: "agents.maxBudgetUsd",
                        severity: .info)
                ]
            }
            if let policy = inputs.clawguardPolicyView, !policy.profiles.isEmpty {
                return policy.profiles.compactMap { profile in
                    guard let cap = profile.policy.budgets.sessionUSD else {
                        return policy.hit("Profile '\(profile.name)' has no per-session budget (budgets.session_usd).",
                                          profile: profile, at: "budgets")
                    }
                    guard cap > 10 else { return nil }
                    var hit = policy.hit("Profile '\(profile.name)': budgets.session_usd=\(cap) is above the recommended $5–10.",
                                         profile: profile, at: "budgets.session_usd")
                    hit.severity = .info
                    return hit
                }
            }
            if let view, view.isTemplateSchema {
                return [
                    view.config.hit("agents.maxBudgetUsd is not set and no ClawGuard budget applies.", at: "agents")
                ]
            }
            return [
                Hit(
                    "No per-session budget in any agent configuration or ClawGuard policy.",
                    file: inputs.clawguardPolicy?.path)
            ]
        },
        Check(
            "clawguard.budget.daily_cap_missing", .warn, .budget, source: .any, covers: ["budget.daily_cap"],
            title: "No daily budget cap",
            remediation: "Set agents.dailyBudgetUsd, or budgets.daily_usd_per_user in the ClawGuard policy."
        ) { inputs in
            guard inputs.hasAgentConfig else { return [] }
            if inputs.openClawView?.value.at("agents.dailyBudgetUsd")?.numberValue != nil { return [] }
            if let policy = inputs.clawguardPolicyView, !policy.profiles.isEmpty {
                return policy.profiles.filter { $0.policy.budgets.dailyUSDPerUser == nil }.map {
                    policy.hit("Profile '\($0.name)' has no daily budget per user (budgets.daily_usd_per_user).",
                               profile: $0, at: "budgets")
                }
            }
            if let view = inputs.openClawView, view.isTemplateSchema {
                return [
                    view.config.hit("agents.dailyBudgetUsd is not set and no ClawGuard budget applies.", at: "agents")
                ]
            }
            return [
                Hit(
                    "No daily budget in any agent configuration or ClawGuard policy.",
                    file: inputs.clawguardPolicy?.path)
            ]
        },
        Check(
            "clawguard.budget.session_timeout_missing", .info, .budget, source: .clawguard,
            covers: ["budget.session_timeout"],
            title: "No session timeout",
            remediation: "Set session_timeout (30m recommended) in the ClawGuard policy."
        ) { inputs in
            guard inputs.hasAgentConfig else { return [] }
            guard let policy = inputs.clawguardPolicyView, !policy.profiles.isEmpty else {
                return [Hit("No session timeout: no loadable ClawGuard policy.", file: inputs.clawguardPolicy?.path)]
            }
            return policy.profiles.filter { $0.policy.sessionTimeoutSeconds == nil }.map {
                policy.hit("Profile '\($0.name)' has no session_timeout.", profile: $0, at: "session_timeout")
            }
        },
        Check(
            "clawguard.alerting.cost_alerts_missing", .info, .alerting, source: .any,
            covers: ["alerting.budget", "budget.cost_alerts"],
            title: "No cost alert threshold",
            remediation:
                "Set agents.budgetAlertThreshold (e.g. 0.8), or budgets.warn_at or a cost alert (metric: cost) in the ClawGuard policy."
        ) { inputs in
            guard inputs.hasAgentConfig else { return [] }
            if inputs.openClawView?.value.at("agents.budgetAlertThreshold")?.numberValue != nil { return [] }
            let profiles = inputs.clawguardProfiles
            if !profiles.isEmpty, profiles.allSatisfy(\.hasCostAlert) { return [] }
            let lacking = profiles.filter { !$0.hasCostAlert }.map(\.name)
            return [
                Hit(
                    lacking.isEmpty
                        ? "Neither agents.budgetAlertThreshold nor a ClawGuard cost alert is configured."
                        : "No cost alert or budget warning for ClawGuard profile(s) \(lacking.joined(separator: ", ")).",
                    file: inputs.openClaw?.configPath ?? inputs.clawguardPolicy?.path)
            ]
        },
        Check(
            "clawguard.alerting.security_alerts_missing", .info, .alerting, source: .clawguard,
            covers: ["alerting.security"],
            title: "No security alerts configured",
            remediation: "Add alerts to the ClawGuard policy (denials, permission bypass attempts, secrets found)."
        ) { inputs in
            guard inputs.hasAgentConfig else { return [] }
            let profiles = inputs.clawguardProfiles
            if !profiles.isEmpty, profiles.allSatisfy(\.hasSecurityAlert) { return [] }
            return [Hit("No security alert in the ClawGuard policy.", file: inputs.clawguardPolicy?.path)]
        },
    ]

    static let policyChecks: [Check] = [
        Check(
            "clawguard.policy.missing", .info, .permissions, source: .any,
            title: "No ClawGuard policy found",
            remediation: "Create one with `clawguard init` (clawguard.yaml in the project or ~/.clawguard/policy.yaml)."
        ) { inputs in
            guard inputs.hasAgentConfig, inputs.clawguardPolicy == nil,
                !inputs.problems.contains(where: { $0.kind == "clawguard" })
            else { return [] }
            return [Hit("Agents are configured but no ClawGuard policy guards their tool calls, budgets or limits.")]
        },
        Check(
            "clawguard.policy.invalid", .warn, .permissions, source: .clawguard,
            title: "ClawGuard policy does not load",
            remediation:
                "Fix the errors (`clawguard policy validate` shows them); until then ClawGuard denies every call it judges."
        ) { inputs in
            guard let policy = inputs.clawguardPolicyView else { return [] }
            return policy.errors.map { issue in
                Hit("\(issue.key.isEmpty ? "" : issue.key + ": ")\(issue.message)",
                    file: issue.file.isEmpty ? policy.document.path : issue.file, line: issue.line > 0 ? issue.line : nil)
            }
        },
        Check(
            "clawguard.policy.mode_not_enforcing", .warn, .permissions, source: .clawguard,
            covers: ["permissions.default_mode"],
            title: "ClawGuard policy does not enforce",
            remediation:
                "Use an enforcing mode (default, acceptEdits, plan, dontAsk) and shadow: false for every profile agents use."
        ) { inputs in
            guard let policy = inputs.clawguardPolicyView else { return [] }
            return policy.profiles.flatMap { profile -> [Hit] in
                var hits: [Hit] = []
                if profile.policy.shadow {
                    hits.append(policy.hit(
                        "Profile '\(profile.name)' is in shadow mode: decisions are recorded but nothing is blocked.",
                        profile: profile, at: "shadow"))
                }
                if profile.policy.mode == .bypassPermissions {
                    hits.append(policy.hit(
                        "Profile '\(profile.name)' uses mode bypassPermissions: nothing asks; only deny rules and protected paths hold.",
                        profile: profile, at: "mode"))
                }
                return hits
            }
        },
        Check(
            "clawguard.policy.allow_wildcard", .warn, .permissions, source: .clawguard,
            covers: ["permissions.no_wildcard", "permissions.bash_filtering"],
            title: "ClawGuard policy allows everything or any shell command",
            remediation:
                "Replace rules that allow everything (Bash, Bash(*), interpreters, env, xargs, find, sudo with a wildcard) with specific ones."
        ) { inputs in
            guard let policy = inputs.clawguardPolicyView else { return [] }
            // bypassPermissions is the mode check's finding.
            return policy.lint.filter { !$0.rule.hasPrefix("mode:") }.map {
                Hit("\($0.rule): \($0.message)", file: policy.document.path, line: lintLine($0))
            }
        },
        Check(
            "clawguard.policy.sensitive_paths_not_denied", .warn, .permissions, source: .clawguard,
            covers: ["permissions.sensitive_paths"],
            title: "ClawGuard policy lets agents read credentials",
            remediation:
                "Remove the allow/unprotect entries that open them; ClawGuard's protected paths cover ~/.ssh, ~/.aws and .env by default."
        ) { inputs in
            guard let policy = inputs.clawguardPolicyView else { return [] }
            let probes = sensitiveProbes(home: inputs.options.home, project: inputs.options.projectDirectory)
            return policy.profiles.compactMap { profile -> Hit? in
                let engine = DecisionEngine(rules: profile.policy, home: inputs.options.home)
                let allowed = probes.filter { engine.decide($0.call).decision == .allow }.map(\.what)
                guard !allowed.isEmpty else { return nil }
                return policy.hit(
                    "Profile '\(profile.name)' allows without asking: \(allowed.joined(separator: "; ")).",
                    profile: profile, at: "filesystem")
            }
        },
    ]

    /// The line of a lint finding's source (`file:line:col`), when the finding carries one.
    static func lintLine(_ finding: LintFinding) -> Int? {
        let parts = finding.source.split(separator: ":")
        guard parts.count >= 2 else { return nil }
        return Int(parts[parts.count - 2]) ?? Int(parts[parts.count - 1])
    }
}
