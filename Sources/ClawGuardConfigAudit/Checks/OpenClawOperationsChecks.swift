import ClawGuardCore
import Foundation

/// Logging, redaction and monitoring of the OpenClaw gateway. (Budget, session-limit and alert checks read the
/// ClawGuard policy too and live in `ClawGuardPolicyChecks.swift`.)
enum OpenClawOperationsChecks {
    static let all: [Check] = [
        Check(
            "logging.redact_off", .warn, .logging, source: .openclaw,
            covers: ["logging.redaction", "credentials.never_logged"], openClawId: true,
            title: "Secrets redaction in logs is disabled",
            remediation: "Set logging.redactSensitive=\"tools\" (template: logging.redactSecrets=true)."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            if view.string("logging.redactSensitive") == "off" {
                return [
                    view.config.hit(
                        "logging.redactSensitive=\"off\" can leak secrets into logs.", at: "logging.redactSensitive")
                ]
            }
            if view.isTemplateSchema, view.bool("logging.redactSecrets") != true {
                return [
                    view.config.hit(
                        "logging.redactSecrets is \(view.value.at("logging.redactSecrets")?.brief ?? "not set").",
                        at: view.value.at("logging") == nil ? "gateway" : "logging")
                ]
            }
            return []
        },
        Check(
            "clawguard.logging.audit_log_missing", .warn, .logging, source: .openclaw, covers: ["logging.audit"],
            title: "No audit log configured",
            remediation: "Set logging.auditLog to a file outside the workspace (or let ClawGuard keep the audit trail)."
        ) { inputs in
            guard let view = inputs.openClawView, view.isTemplateSchema, view.value.at("logging.auditLog") == nil else {
                return []
            }
            return [
                view.config.hit(
                    "logging.auditLog is not set: agent actions leave no audit trail.",
                    at: view.value.at("logging") == nil ? "gateway" : "logging")
            ]
        },
        Check(
            "clawguard.monitoring.disabled", .warn, .logging, source: .openclaw,
            covers: ["logging.security_monitoring"],
            title: "Monitoring is disabled",
            remediation:
                "Set monitoring.enabled=true and scrape the metrics endpoint (see the reference's prometheus.yml)."
        ) { inputs in
            guard let view = inputs.openClawView, view.isTemplateSchema, view.bool("monitoring.enabled") != true else {
                return []
            }
            return [
                view.config.hit(
                    "monitoring.enabled is \(view.value.at("monitoring.enabled")?.brief ?? "not set").",
                    at: view.value.at("monitoring") == nil ? "gateway" : "monitoring")
            ]
        },
    ]
}
