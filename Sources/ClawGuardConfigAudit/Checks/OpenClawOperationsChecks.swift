import ClawGuardCore
import Foundation

/// Budgets, session limits, logging, redaction, monitoring and alerting. These draw on the OpenClaw template
/// schema and on ClawGuard's own policy (which enforces budgets and limits for every agent).
enum OpenClawOperationsChecks {
    static let all: [Check] = [
        Check(
            "clawguard.budget.session_cap_missing", .warn, .budget, source: .any, covers: ["budget.session_cap"],
            title: "No per-session budget cap",
            remediation: "Set a per-session cap ($5–10 recommended): agents.maxBudgetUsd, or budgets in the ClawGuard policy."
        ) { inputs in
            guard inputs.hasAgentConfig else { return [] }
            let view = inputs.openClawView
            if let cap = view?.value.at("agents.maxBudgetUsd")?.numberValue {
                guard cap > 10 else { return [] }
                return [view!.config.hit("agents.maxBudgetUsd=\(cap) is above the recommended $5–10.", at: "agents.maxBudgetUsd", severity: .info)]
            }
            if PolicyFacts(inputs.clawguardPolicy).hasBudget(["session", "per_session", "perSession", "max_session"]) { return [] }
            if let view, view.isTemplateSchema {
                return [view.config.hit("agents.maxBudgetUsd is not set and no ClawGuard budget applies.", at: "agents")]
            }
            return [Hit("No per-session budget in any agent configuration or ClawGuard policy.", file: inputs.clawguardPolicy?.path)]
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
                return [view.config.hit("agents.dailyBudgetUsd is not set and no ClawGuard budget applies.", at: "agents")]
            }
            return [Hit("No daily budget in any agent configuration or ClawGuard policy.", file: inputs.clawguardPolicy?.path)]
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
            "logging.redact_off", .warn, .logging, source: .openclaw,
            covers: ["logging.redaction", "credentials.never_logged"], openClawId: true,
            title: "Secrets redaction in logs is disabled",
            remediation: "Set logging.redactSensitive=\"tools\" (template: logging.redactSecrets=true)."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            if view.string("logging.redactSensitive") == "off" {
                return [view.config.hit("logging.redactSensitive=\"off\" can leak secrets into logs.", at: "logging.redactSensitive")]
            }
            if view.isTemplateSchema, view.bool("logging.redactSecrets") != true {
                return [view.config.hit("logging.redactSecrets is \(view.value.at("logging.redactSecrets")?.brief ?? "not set").", at: view.value.at("logging") == nil ? "gateway" : "logging")]
            }
            return []
        },
        Check(
            "clawguard.logging.audit_log_missing", .warn, .logging, source: .openclaw, covers: ["logging.audit"],
            title: "No audit log configured",
            remediation: "Set logging.auditLog to a file outside the workspace (or let ClawGuard keep the audit trail)."
        ) { inputs in
            guard let view = inputs.openClawView, view.isTemplateSchema, view.value.at("logging.auditLog") == nil else { return [] }
            return [view.config.hit("logging.auditLog is not set: agent actions leave no audit trail.", at: view.value.at("logging") == nil ? "gateway" : "logging")]
        },
        Check(
            "clawguard.monitoring.disabled", .warn, .logging, source: .openclaw, covers: ["logging.security_monitoring"],
            title: "Monitoring is disabled",
            remediation: "Set monitoring.enabled=true and scrape the metrics endpoint (see the reference's prometheus.yml)."
        ) { inputs in
            guard let view = inputs.openClawView, view.isTemplateSchema, view.bool("monitoring.enabled") != true else { return [] }
            return [view.config.hit("monitoring.enabled is \(view.value.at("monitoring.enabled")?.brief ?? "not set").", at: view.value.at("monitoring") == nil ? "gateway" : "monitoring")]
        },
        Check(
            "clawguard.alerting.cost_alerts_missing", .info, .alerting, source: .any, covers: ["alerting.budget", "budget.cost_alerts"],
            title: "No cost alert threshold",
            remediation: "Set agents.budgetAlertThreshold (e.g. 0.8) or alerts in the ClawGuard policy."
        ) { inputs in
            guard inputs.hasAgentConfig else { return [] }
            if inputs.openClawView?.value.at("agents.budgetAlertThreshold")?.numberValue != nil { return [] }
            if PolicyFacts(inputs.clawguardPolicy).hasAlerts { return [] }
            return [Hit("Neither agents.budgetAlertThreshold nor ClawGuard policy alerts are configured.", file: inputs.openClaw?.configPath ?? inputs.clawguardPolicy?.path)]
        },
        Check(
            "clawguard.alerting.security_alerts_missing", .info, .alerting, source: .clawguard, covers: ["alerting.security"],
            title: "No security alerts configured",
            remediation: "Add alerts to the ClawGuard policy (deny spikes, kill switch, credential findings)."
        ) { inputs in
            guard inputs.hasAgentConfig, !PolicyFacts(inputs.clawguardPolicy).hasAlerts else { return [] }
            return [Hit("No alerts section in the ClawGuard policy.", file: inputs.clawguardPolicy?.path)]
        },
    ]
}
