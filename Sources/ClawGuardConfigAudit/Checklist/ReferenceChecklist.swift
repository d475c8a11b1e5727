/// One line of the reference security-audit checklist (`checklists/security-audit.md`).
public struct ChecklistItem: Codable, Sendable, Hashable {
    /// A stable id, `<section>.<slug>`.
    public var id: String
    public var section: String
    public var text: String
}

/// The reference checklist as data, in its own order. Which items a machine decides is not stored here:
/// it follows from the check table (`CheckRegistry`), so an item no check covers is "manual".
public enum ReferenceChecklist {
    public static let signOff = """
        ## Audit Sign-Off

        **Auditor**: ____________________
        **Date**: ____________________
        **Status**: ☐ Pass ☐ Pass with conditions ☐ Fail
        **Next audit date**: ____________________

        **Notes**:
        """

    private static let table: [(String, [(String, String)])] = [
        (
            "Configuration Security",
            [
                ("config.non_root", "OpenClaw runs as non-root user"),
                ("config.bind_local", "Gateway binds to localhost or private network only (not 0.0.0.0)"),
                ("config.strong_auth", "Authentication enabled with strong tokens (32+ character random strings)"),
                ("config.tls", "TLS/SSL configured for all network communication"),
                ("config.token_expiry", "Token expiration dates set and monitored"),
                ("config.file_perms", "Configuration file permissions set to 600"),
                ("config.no_hardcoded_secrets", "Secrets not hardcoded in configuration files"),
            ]
        ),
        (
            "Sandbox & Isolation",
            [
                ("sandbox.enabled", "Docker sandbox enabled"),
                ("sandbox.read_only_root", "Read-only root filesystem (except tmpfs/volumes)"),
                ("sandbox.cap_drop", "All Linux capabilities dropped (--cap-drop=ALL)"),
                ("sandbox.no_new_privileges", "No new privileges flag set"),
                ("sandbox.resource_limits", "Resource limits configured (CPU, memory, PIDs)"),
                ("sandbox.network", "Network isolation enabled or allowlist proxy configured"),
                ("sandbox.workspace", "Workspace restricted to specific directory"),
            ]
        ),
        (
            "Permission System",
            [
                ("permissions.default_mode", "Default permission mode set to 'default' (requires approval)"),
                ("permissions.no_wildcard", "Tool allowlist configured (not wildcard '*')"),
                ("permissions.destructive_blocked", "Destructive commands blocked (rm, dd, mkfs)"),
                ("permissions.sensitive_paths", "Sensitive paths blocked (.ssh, .aws, .env, /etc)"),
                ("permissions.bash_filtering", "Bash command filtering enabled"),
                ("permissions.network_restricted", "Network access restricted or denied"),
            ]
        ),
        (
            "Budget & Rate Limiting",
            [
                ("budget.session_cap", "Per-session budget cap set ($5-10 recommended)"),
                ("budget.daily_cap", "Daily budget cap set"),
                ("budget.session_timeout", "Session timeout configured (30 min recommended)"),
                ("budget.rate_limit", "Rate limiting enabled (requests per minute/hour)"),
                ("budget.cost_alerts", "Cost alerts configured at thresholds"),
                ("budget.dashboard", "Budget monitoring dashboard created"),
            ]
        ),
        (
            "Credential Management",
            [
                ("credentials.none_in_config", "No credentials in code or configuration"),
                ("credentials.short_lived", "Short-lived credentials used (< 1 hour)"),
                ("credentials.scoped", "Credentials scoped to minimum required permissions"),
                ("credentials.rotation", "Credential rotation schedule established"),
                ("credentials.secrets_manager", "Secrets management system in place"),
                ("credentials.never_logged", "Credentials never logged or exposed"),
            ]
        ),
        (
            "Input Validation",
            [
                ("input.sanitized", "User input sanitized before processing"),
                ("input.prompt_injection", "Prompt injection defenses implemented"),
                ("input.path_traversal", "File path validation prevents directory traversal"),
                ("input.command_injection", "Command injection protections in place"),
                ("input.max_length", "Maximum input length enforced"),
            ]
        ),
        (
            "Logging & Monitoring",
            [
                ("logging.audit", "Audit logging enabled"),
                ("logging.all_actions", "All agent actions logged"),
                ("logging.redaction", "Secrets redacted from logs"),
                ("logging.aggregation", "Log aggregation configured"),
                ("logging.security_monitoring", "Security event monitoring enabled"),
                ("logging.siem", "SIEM integration configured"),
                ("logging.retention", "Log retention policy defined"),
            ]
        ),
        (
            "Alerting",
            [
                ("alerting.security", "Security violation alerts configured"),
                ("alerting.budget", "Budget exceeded alerts enabled"),
                ("alerting.anomaly", "Unusual activity detection in place"),
                ("alerting.routing", "Alert routing configured (email, Slack, PagerDuty)"),
                ("alerting.escalation", "On-call escalation defined"),
                ("alerting.procedures", "Alert response procedures documented"),
            ]
        ),
        (
            "Network Security",
            [
                ("network.firewall", "Firewall rules restrict access to OpenClaw ports"),
                ("network.reverse_proxy", "Reverse proxy with TLS termination configured"),
                ("network.vpn", "VPN or Tailscale for remote access"),
                ("network.segmentation", "Network segmentation between dev/staging/prod"),
                ("network.api_allowlist", "Allowlist for external API access"),
            ]
        ),
        (
            "Testing & Validation",
            [
                ("testing.security_tests", "Security tests written and passing"),
                ("testing.pentest", "Penetration testing performed"),
                ("testing.dependency_scanning", "Dependency vulnerability scanning enabled"),
                ("testing.image_scanning", "Container image scanning enabled"),
                ("testing.regular_audits", "Regular security audits scheduled"),
            ]
        ),
        (
            "Incident Response",
            [
                ("incident.plan", "Incident response plan documented"),
                ("incident.emergency_stop", "Emergency stop procedure tested"),
                ("incident.backup", "Backup and restore procedures verified"),
                ("incident.contacts", "Contact information current"),
                ("incident.postmortem", "Post-mortem template ready"),
            ]
        ),
        (
            "Compliance",
            [
                ("compliance.retention", "Data retention policy defined"),
                ("compliance.privacy", "Privacy policy published"),
                ("compliance.gdpr", "GDPR compliance reviewed (if applicable)"),
                ("compliance.consent", "User consent mechanisms in place"),
                ("compliance.deletion", "Data deletion process implemented"),
            ]
        ),
        (
            "Documentation",
            [
                ("docs.policies", "Security policies documented"),
                ("docs.capabilities", "Agent capabilities and limitations documented"),
                ("docs.runbooks", "Runbooks created for common scenarios"),
                ("docs.architecture", "Architecture diagrams current"),
                ("docs.changelog", "Change log maintained"),
            ]
        ),
    ]

    /// Every item, in checklist order.
    public static let items: [ChecklistItem] = table.flatMap { section, entries in
        entries.map { ChecklistItem(id: $0.0, section: section, text: $0.1) }
    }

    /// The sections, in order.
    public static let sections: [String] = table.map(\.0)

    /// The item with `id`, or nil.
    public static func item(_ id: String) -> ChecklistItem? { items.first { $0.id == id } }
}
