import ClawGuardCore
import Foundation

// ClawGuard's own policy (`clawguard.yaml`, `.clawguard.yaml`, `~/.clawguard/policy.yaml`), read generically
// with Yams until the typed policy loader lands; every check that reads the policy lives in this file so the
// switch to the typed loader touches one place.

/// Facts read from the ClawGuard policy: `profiles.<name>.mode`, `profiles.<name>.permissions.{allow,ask,deny}`,
/// the same keys at top level as defaults, `budgets`, `limits`, `sandbox`, `alerts`.
struct PolicyFacts {
    let document: SourceDocument?
    init(_ document: SourceDocument?) { self.document = document }

    var value: JSONValue? { document?.value }

    /// (key path, permissions block) for the defaults and each profile.
    var permissionBlocks: [(path: String, value: JSONValue)] {
        guard let value else { return [] }
        var result: [(String, JSONValue)] = []
        if let top = value["permissions"] { result.append(("permissions", top)) }
        for (name, profile) in (value["profiles"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            if let permissions = profile["permissions"] { result.append(("profiles.\(name).permissions", permissions)) }
        }
        return result
    }

    /// (key path, mode) for the default mode and each profile's.
    var modes: [(path: String, mode: String)] {
        guard let value else { return [] }
        var result: [(String, String)] = []
        if let mode = value["mode"]?.stringValue { result.append(("mode", mode)) }
        for (name, profile) in (value["profiles"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            if let mode = profile["mode"]?.stringValue { result.append(("profiles.\(name).mode", mode)) }
        }
        return result
    }

    /// Whether `budgets` has an entry whose key mentions one of `names` (or any budget when it is a plain number).
    func hasBudget(_ names: [String]) -> Bool {
        guard let budgets = value?["budgets"] else { return false }
        if budgets.numberValue != nil { return true }
        var found = false
        budgets.walk(maxDepth: 4) { path, item in
            guard item.numberValue != nil || item.stringValue != nil, let key = path.last?.lowercased() else { return }
            if names.contains(where: { key.contains($0.lowercased()) }) { found = true }
        }
        return found
    }

    var hasSessionTimeout: Bool {
        var found = false
        value?["limits"]?.walk(maxDepth: 4) { path, _ in
            if let key = path.last?.lowercased(),
                key.contains("timeout") || key.contains("duration") || key.contains("session_minutes")
            {
                found = true
            }
        }
        return found
    }

    var hasAlerts: Bool {
        guard let alerts = value?["alerts"] else { return false }
        switch alerts {
        case .array(let items): return !items.isEmpty
        case .object(let object): return !object.isEmpty
        case .bool(let enabled): return enabled
        default: return false
        }
    }
}

enum ClawGuardPolicyChecks {
    static let nonEnforcingModes: Set<String> = [
        "off", "disabled", "monitor", "audit", "permissive", "bypass", "allow", "log",
    ]

    static let all: [Check] = budgetAndAlertChecks + policyChecks

    /// Budgets, session limits and alerts: satisfied by the OpenClaw template schema's keys or by the ClawGuard
    /// policy (which enforces them for every agent).
    static let budgetAndAlertChecks: [Check] = [
        Check(
            "clawguard.budget.session_cap_missing", .warn, .budget, source: .any, covers: ["budget.session_cap"],
            title: "No per-session budget cap",
            remediation:
                "Set a per-session cap ($5–10 recommended): agents.maxBudgetUsd, or budgets in the ClawGuard policy."
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
            if PolicyFacts(inputs.clawguardPolicy).hasBudget(["session", "per_session", "perSession", "max_session"]) {
                return []
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
            remediation: "Set agents.dailyBudgetUsd, or a daily budget in the ClawGuard policy."
        ) { inputs in
            guard inputs.hasAgentConfig else { return [] }
            if inputs.openClawView?.value.at("agents.dailyBudgetUsd")?.numberValue != nil { return [] }
            if PolicyFacts(inputs.clawguardPolicy).hasBudget(["daily", "day", "per_day", "perDay"]) { return [] }
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
            remediation: "Set a session time limit (30 minutes recommended) in the ClawGuard policy's limits."
        ) { inputs in
            guard inputs.hasAgentConfig, !PolicyFacts(inputs.clawguardPolicy).hasSessionTimeout else { return [] }
            return [Hit("No session timeout found in the ClawGuard policy limits.", file: inputs.clawguardPolicy?.path)]
        },
        Check(
            "clawguard.alerting.cost_alerts_missing", .info, .alerting, source: .any,
            covers: ["alerting.budget", "budget.cost_alerts"],
            title: "No cost alert threshold",
            remediation: "Set agents.budgetAlertThreshold (e.g. 0.8) or alerts in the ClawGuard policy."
        ) { inputs in
            guard inputs.hasAgentConfig else { return [] }
            if inputs.openClawView?.value.at("agents.budgetAlertThreshold")?.numberValue != nil { return [] }
            if PolicyFacts(inputs.clawguardPolicy).hasAlerts { return [] }
            return [
                Hit(
                    "Neither agents.budgetAlertThreshold nor ClawGuard policy alerts are configured.",
                    file: inputs.openClaw?.configPath ?? inputs.clawguardPolicy?.path)
            ]
        },
        Check(
            "clawguard.alerting.security_alerts_missing", .info, .alerting, source: .clawguard,
            covers: ["alerting.security"],
            title: "No security alerts configured",
            remediation: "Add alerts to the ClawGuard policy (deny spikes, kill switch, credential findings)."
        ) { inputs in
            guard inputs.hasAgentConfig, !PolicyFacts(inputs.clawguardPolicy).hasAlerts else { return [] }
            return [Hit("No alerts section in the ClawGuard policy.", file: inputs.clawguardPolicy?.path)]
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
            "clawguard.policy.mode_not_enforcing", .warn, .permissions, source: .clawguard,
            covers: ["permissions.default_mode"],
            title: "ClawGuard policy does not enforce",
            remediation: "Set the mode to enforce (deny/ask) for every profile agents use."
        ) { inputs in
            guard let policy = inputs.clawguardPolicy else { return [] }
            return PolicyFacts(policy).modes.compactMap { entry in
                nonEnforcingModes.contains(entry.mode.lowercased())
                    ? policy.hit("\(entry.path)=\"\(entry.mode)\" only observes.", at: entry.path) : nil
            }
        },
        Check(
            "clawguard.policy.allow_wildcard", .warn, .permissions, source: .clawguard,
            covers: ["permissions.no_wildcard", "permissions.bash_filtering"],
            title: "ClawGuard policy allows everything or any shell command",
            remediation: "Replace \"*\", Bash and Bash(*) in permissions.allow with specific rules."
        ) { inputs in
            guard let policy = inputs.clawguardPolicy else { return [] }
            return PolicyFacts(policy).permissionBlocks.flatMap { block in
                (block.value["allow"]?.stringList ?? []).filter(ClaudeChecks.isWholesaleRule).map {
                    policy.hit("\(block.path).allow contains \($0).", at: block.path + ".allow")
                }
            }
        },
        Check(
            "clawguard.policy.sensitive_paths_not_denied", .info, .permissions, source: .clawguard,
            covers: ["permissions.sensitive_paths"],
            title: "ClawGuard policy does not deny sensitive paths",
            remediation: "Add deny rules such as Read(~/.ssh/**), Read(~/.aws/**), Read(**/.env)."
        ) { inputs in
            guard let policy = inputs.clawguardPolicy else { return [] }
            let deny = PolicyFacts(policy).permissionBlocks.flatMap { $0.value["deny"]?.stringList ?? [] }
            let missing = [".ssh", ".aws", ".env"].filter { path in !deny.contains { $0.contains(path) } }
            guard !missing.isEmpty else { return [] }
            return [policy.hit("No deny rule mentions \(missing.joined(separator: ", ")).", at: "permissions")]
        },
    ]
}
