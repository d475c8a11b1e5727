import ClawGuardCore
import Foundation
import Testing

@testable import ClawGuardConfigAudit

/// One positive and one negative fixture per check: the positive must raise `id`, the negative must not.
struct CheckCase: Sendable, CustomTestStringConvertible {
    let id: String
    let positive: @Sendable () -> Env
    let negative: @Sendable () -> Env
    var testDescription: String { id }
}

private func oc(_ text: String) -> @Sendable () -> Env { { Env().openclaw(text) } }
private let tok = "token: \"\(strongToken)\""
private let template = "agents: { defaultPermissionMode: \"default\""

let checkCases: [CheckCase] = [
    // Gateway
    CheckCase(
        id: "gateway.bind_no_auth", positive: oc("{gateway: {bind: \"lan\"}}"),
        negative: oc("{gateway: {bind: \"lan\", auth: {mode: \"token\", \(tok)}}}")),
    CheckCase(
        id: "clawguard.gateway.bind_all_interfaces", positive: oc("{gateway: {bind: \"0.0.0.0\", auth: {\(tok)}}}"),
        negative: oc("{gateway: {bind: \"loopback\", auth: {\(tok)}}}")),
    CheckCase(
        id: "gateway.loopback_no_auth", positive: oc("{gateway: {bind: \"loopback\"}}"),
        negative: oc("{gateway: {bind: \"loopback\", auth: {\(tok)}}}")),
    CheckCase(
        id: "gateway.tailscale_funnel", positive: oc("{gateway: {tailscale: {mode: \"funnel\"}}}"),
        negative: oc("{gateway: {tailscale: {mode: \"serve\"}}}")),
    CheckCase(
        id: "clawguard.gateway.token_placeholder",
        positive: oc("{gateway: {auth: {token: \"REPLACE_WITH_STRONG_TOKEN\"}}}"),
        negative: oc("{gateway: {auth: {\(tok)}}}")),
    CheckCase(
        id: "gateway.token_too_short", positive: oc("{gateway: {auth: {mode: \"token\", token: \"abc123xyz\"}}}"),
        negative: oc("{gateway: {auth: {mode: \"token\", \(tok)}}}")),
    CheckCase(
        id: "clawguard.gateway.token_weak",
        positive: oc("{gateway: {auth: {token: \"abababababcdcdcdcdcdababababcdcdcd\"}}}"),
        negative: oc("{gateway: {auth: {\(tok)}}}")),
    CheckCase(
        id: "clawguard.gateway.token_no_expiry", positive: oc("{gateway: {auth: {tokens: [{name: \"a\", \(tok)}]}}}"),
        negative: oc("{gateway: {auth: {tokens: [{name: \"a\", \(tok), expiresAt: \"2099-01-01T00:00:00Z\"}]}}}")),
    CheckCase(
        id: "clawguard.gateway.token_expired",
        positive: oc("{gateway: {auth: {tokens: [{name: \"a\", \(tok), expiresAt: \"2020-01-01T00:00:00Z\"}]}}}"),
        negative: oc("{gateway: {auth: {tokens: [{name: \"a\", \(tok), expiresAt: \"2099-01-01T00:00:00Z\"}]}}}")),
    CheckCase(
        id: "clawguard.gateway.token_wildcard_scope",
        positive: oc("{gateway: {auth: {tokens: [{name: \"a\", \(tok), permissions: [\"*\"]}]}}}"),
        negative: oc("{gateway: {auth: {tokens: [{name: \"a\", \(tok), permissions: [\"chat\"]}]}}}")),
    CheckCase(
        id: "clawguard.gateway.tls_off", positive: oc("{gateway: {bind: \"lan\", auth: {\(tok)}}}"),
        negative: oc("{gateway: {bind: \"lan\", auth: {\(tok)}, tls: {enabled: true}}}")),
    CheckCase(
        id: "gateway.auth_no_rate_limit", positive: oc("{gateway: {bind: \"lan\", auth: {\(tok)}}}"),
        negative: oc("{gateway: {bind: \"lan\", auth: {\(tok), rateLimit: {maxAttempts: 10}}}}")),
    CheckCase(
        id: "gateway.control_ui.allowed_origins_wildcard",
        positive: oc("{gateway: {controlUi: {allowedOrigins: [\"*\"]}}}"),
        negative: oc("{gateway: {controlUi: {allowedOrigins: [\"https://control.example.com\"]}}}")),
    CheckCase(
        id: "gateway.control_ui.allowed_origins_required", positive: oc("{gateway: {bind: \"lan\", auth: {\(tok)}}}"),
        negative: oc(
            "{gateway: {bind: \"lan\", auth: {\(tok)}, controlUi: {allowedOrigins: [\"https://c.example.com\"]}}}")),
    CheckCase(
        id: "gateway.control_ui.device_auth_disabled",
        positive: oc("{gateway: {controlUi: {dangerouslyDisableDeviceAuth: true}}}"),
        negative: oc("{gateway: {controlUi: {dangerouslyDisableDeviceAuth: false}}}")),
    CheckCase(
        id: "gateway.control_ui.insecure_auth", positive: oc("{gateway: {controlUi: {allowInsecureAuth: true}}}"),
        negative: oc("{gateway: {controlUi: {}}}")),
    CheckCase(
        id: "gateway.real_ip_fallback_enabled", positive: oc("{gateway: {allowRealIpFallback: true}}"),
        negative: oc("{gateway: {allowRealIpFallback: false}}")),
    CheckCase(
        id: "gateway.trusted_proxy_no_proxies", positive: oc("{gateway: {auth: {mode: \"trusted-proxy\"}}}"),
        negative: oc("{gateway: {auth: {mode: \"trusted-proxy\"}, trustedProxies: [\"10.0.0.1\"]}}")),
    CheckCase(
        id: "discovery.mdns_full_mode", positive: oc("{discovery: {mdns: {mode: \"full\"}}}"),
        negative: oc("{discovery: {mdns: {mode: \"minimal\"}}}")),
    CheckCase(
        id: "config.insecure_or_dangerous_flags", positive: oc("{agents: {dangerouslySkipPermissions: true}}"),
        negative: oc("{agents: {dangerouslySkipPermissions: false}}")),
    CheckCase(
        id: "hooks.token_reuse_gateway_token", positive: oc("{gateway: {auth: {\(tok)}}, hooks: {\(tok)}}"),
        negative: oc("{gateway: {auth: {\(tok)}}, hooks: {token: \"${HOOKS_TOKEN}\"}}")),
    CheckCase(
        id: "hooks.token_too_short", positive: oc("{hooks: {token: \"short\"}}"),
        negative: oc("{hooks: {token: \"${HOOKS_TOKEN}\"}}")),
    // Sandbox
    CheckCase(
        id: "clawguard.sandbox.off", positive: oc("{agents: {defaults: {sandbox: {mode: \"off\"}}}}"),
        negative: oc("{agents: {defaults: {sandbox: {mode: \"all\"}}}}")),
    CheckCase(
        id: "clawguard.sandbox.agent_override_off",
        positive: oc("{agents: {defaults: {sandbox: {mode: \"all\"}}, entries: {ops: {sandbox: {mode: \"off\"}}}}}"),
        negative: oc("{agents: {defaults: {sandbox: {mode: \"all\"}}, entries: {ops: {}}}}")),
    CheckCase(
        id: "sandbox.docker_config_mode_off",
        positive: oc("{agents: {defaults: {sandbox: {mode: \"off\", docker: {network: \"none\"}}}}}"),
        negative: oc("{agents: {defaults: {sandbox: {mode: \"all\", docker: {network: \"none\"}}}}}")),
    CheckCase(
        id: "sandbox.dangerous_network_mode",
        positive: oc("{agents: {defaults: {sandbox: {mode: \"all\", docker: {network: \"host\"}}}}}"),
        negative: oc("{agents: {defaults: {sandbox: {mode: \"all\", docker: {network: \"none\"}}}}}")),
    CheckCase(
        id: "clawguard.sandbox.network_not_isolated",
        positive: oc("{agents: {defaults: {sandbox: {mode: \"all\", docker: {network: \"bridge\"}}}}}"),
        negative: oc("{agents: {defaults: {sandbox: {mode: \"all\", docker: {network: \"none\"}}}}}")),
    CheckCase(
        id: "clawguard.sandbox.root_writable",
        positive: oc("{agents: {defaults: {sandbox: {mode: \"all\", docker: {readOnlyRoot: false}}}}}"),
        negative: oc("{agents: {defaults: {sandbox: {mode: \"all\", docker: {readOnlyRoot: true}}}}}")),
    CheckCase(
        id: "clawguard.sandbox.capabilities_not_dropped",
        positive: oc("{agents: {defaults: {sandbox: {mode: \"all\", docker: {capDrop: [\"NET_RAW\"]}}}}}"),
        negative: oc("{agents: {defaults: {sandbox: {mode: \"all\", docker: {capDrop: [\"ALL\"]}}}}}")),
    CheckCase(
        id: "clawguard.sandbox.no_new_privileges_missing",
        positive: oc("{sandbox: {enabled: true, docker: {securityOpt: [\"seccomp=profile.json\"]}}}"),
        negative: oc("{sandbox: {enabled: true, docker: {securityOpt: [\"no-new-privileges\"]}}}")),
    CheckCase(
        id: "clawguard.sandbox.no_resource_limits",
        positive: oc("{agents: {defaults: {sandbox: {mode: \"all\", docker: {network: \"none\"}}}}}"),
        negative: oc(
            "{agents: {defaults: {sandbox: {mode: \"all\", docker: {network: \"none\", pidsLimit: 256, memory: \"1g\", cpus: 1}}}}}"
        )),
    CheckCase(
        id: "sandbox.dangerous_bind_mount",
        positive: oc(
            "{agents: {defaults: {sandbox: {mode: \"all\", docker: {binds: [\"/var/run/docker.sock:/var/run/docker.sock\"]}}}}}"
        ),
        negative: oc(
            "{agents: {defaults: {sandbox: {mode: \"all\", docker: {binds: [\"/home/u/work:/workspace:rw\"]}}}}}")),
    CheckCase(
        id: "sandbox.bind_mount_non_absolute",
        positive: oc("{agents: {defaults: {sandbox: {mode: \"all\", docker: {binds: [\"data:/data\"]}}}}}"),
        negative: oc("{agents: {defaults: {sandbox: {mode: \"all\", docker: {binds: [\"/srv/data:/data\"]}}}}}")),
    CheckCase(
        id: "sandbox.dangerous_seccomp_profile",
        positive: oc("{agents: {defaults: {sandbox: {mode: \"all\", docker: {seccompProfile: \"unconfined\"}}}}}"),
        negative: oc(
            "{agents: {defaults: {sandbox: {mode: \"all\", docker: {seccompProfile: \"/etc/seccomp.json\"}}}}}")),
    CheckCase(
        id: "sandbox.dangerous_apparmor_profile",
        positive: oc(
            "{agents: {defaults: {sandbox: {mode: \"all\", docker: {securityOpt: [\"apparmor=unconfined\"]}}}}}"),
        negative: oc(
            "{agents: {defaults: {sandbox: {mode: \"all\", docker: {apparmorProfile: \"openclaw-sandbox\"}}}}}")),
    CheckCase(
        id: "clawguard.workspace.unrestricted", positive: oc("{tools: {fs: {workspaceOnly: false}}}"),
        negative: oc("{tools: {fs: {workspaceOnly: true}}}")),
    // Tools and permissions
    CheckCase(
        id: "clawguard.agents.permission_mode",
        positive: oc("{agents: {defaultPermissionMode: \"bypassPermissions\"}}"),
        negative: oc("{agents: {defaultPermissionMode: \"default\"}}")),
    CheckCase(
        id: "clawguard.tools.allowlist_wildcard", positive: oc("{tools: {allow: [\"*\"]}}"),
        negative: oc("{tools: {allow: [\"read\"]}}")),
    CheckCase(
        id: "clawguard.tools.destructive_not_blocked",
        positive: oc("{\(template), disallowedTools: [\"Bash(rm:*)\"]}}"),
        negative: oc("{\(template), disallowedTools: [\"Bash(rm:*)\", \"Bash(dd:*)\", \"Bash(mkfs:*)\"]}}")),
    CheckCase(
        id: "clawguard.tools.sensitive_paths_not_blocked",
        positive: oc("{\(template)}, workspace: {excludePaths: [\"~/.ssh\"]}}"),
        negative: oc("{\(template)}, workspace: {excludePaths: [\"~/.ssh\", \"~/.aws\", \".env\", \"/etc\"]}}")),
    CheckCase(
        id: "clawguard.tools.shell_allowed_wholesale",
        positive: oc("{\(template), defaultAllowedTools: [\"Read\", \"Bash\"]}}"),
        negative: oc("{\(template), defaultAllowedTools: [\"Read\", \"Bash(git status:*)\"]}}")),
    CheckCase(
        id: "clawguard.tools.network_unrestricted", positive: oc("{\(template), disallowedTools: [\"Bash(rm:*)\"]}}"),
        negative: oc("{\(template), disallowedTools: [\"Bash(curl:*)\", \"Bash(wget:*)\"]}}")),
    CheckCase(
        id: "tools.exec.security_full_configured", positive: oc("{tools: {exec: {mode: \"full\"}}}"),
        negative: oc("{tools: {exec: {mode: \"allowlist\"}}}")),
    CheckCase(
        id: "tools.exec.host_sandbox_no_sandbox_defaults", positive: oc("{tools: {exec: {host: \"sandbox\"}}}"),
        negative: oc("{tools: {exec: {host: \"sandbox\"}}, agents: {defaults: {sandbox: {mode: \"all\"}}}}")),
    CheckCase(
        id: "tools.exec.safe_bins_interpreter_unprofiled",
        positive: oc("{tools: {exec: {safeBins: [\"jq\", \"python3\"]}}}"),
        negative: oc("{tools: {exec: {safeBins: [\"jq\", \"cut\"]}}}")),
    CheckCase(
        id: "tools.exec.auto_allow_skills_enabled",
        positive: { Env().approvals("{\"defaults\": {\"autoAllowSkills\": true}}") },
        negative: { Env().approvals("{\"defaults\": {\"autoAllowSkills\": false}}") }),
    CheckCase(
        id: "tools.exec.allowlist_interpreter_without_strict_inline_eval",
        positive: {
            Env().approvals("{\"agents\": {\"main\": {\"allowlist\": [{\"pattern\": \"/usr/bin/python3\"}]}}}")
        },
        negative: { Env().approvals("{\"agents\": {\"main\": {\"allowlist\": [{\"pattern\": \"/usr/bin/git\"}]}}}") }),
    CheckCase(
        id: "clawguard.exec_approvals.ask_fallback_full",
        positive: { Env().approvals("{\"defaults\": {\"askFallback\": \"full\"}}") },
        negative: { Env().approvals("{\"defaults\": {\"askFallback\": \"deny\"}}") }),
    CheckCase(
        id: "tools.elevated.allowFrom.telegram.wildcard",
        positive: oc("{tools: {elevated: {allowFrom: {telegram: [\"*\"]}}}}"),
        negative: oc("{tools: {elevated: {allowFrom: {telegram: [\"12345\"]}}}}")),
    CheckCase(
        id: "tools.profile_minimal_overridden",
        positive: oc("{tools: {profile: \"minimal\"}, agents: {list: [{id: \"a\", tools: {profile: \"full\"}}]}}"),
        negative: oc("{tools: {profile: \"minimal\"}, agents: {list: [{id: \"a\", tools: {profile: \"minimal\"}}]}}")),
    // Channels
    CheckCase(
        id: "channels.telegram.dm.open",
        positive: oc("{channels: {telegram: {dmPolicy: \"open\", allowFrom: [\"*\"]}}}"),
        negative: oc("{channels: {telegram: {dmPolicy: \"pairing\"}}}")),
    CheckCase(
        id: "channels.telegram.dm.open_invalid", positive: oc("{channels: {telegram: {dmPolicy: \"open\"}}}"),
        negative: oc("{channels: {telegram: {dmPolicy: \"open\", allowFrom: [\"*\"]}}}")),
    CheckCase(
        id: "security.exposure.open_groups_with_elevated",
        positive: oc(
            "{channels: {discord: {groupPolicy: \"open\"}}, tools: {elevated: {allowFrom: {discord: [\"1\"]}}}}"),
        negative: oc(
            "{channels: {discord: {groupPolicy: \"allowlist\"}}, tools: {elevated: {allowFrom: {discord: [\"1\"]}}}}")),
    CheckCase(
        id: "security.exposure.open_channels_with_exec", positive: oc("{channels: {telegram: {dmPolicy: \"open\"}}}"),
        negative: oc("{channels: {telegram: {dmPolicy: \"open\"}}, tools: {deny: [\"exec\"]}}")),
    CheckCase(
        id: "clawguard.channels.allowfrom_store_wildcard",
        positive: {
            Env().file(Env.state + "/credentials/telegram-allowFrom.json", "{\"version\": 1, \"allowFrom\": [\"*\"]}")
        },
        negative: {
            Env().file(Env.state + "/credentials/telegram-allowFrom.json", "{\"version\": 1, \"allowFrom\": [\"123\"]}")
        }),
    // Budgets, logging, alerting
    CheckCase(
        id: "clawguard.budget.session_cap_missing", positive: oc("{\(template)}}"),
        negative: oc("{\(template), maxBudgetUsd: 5}}")),
    CheckCase(
        id: "clawguard.budget.daily_cap_missing", positive: oc("{\(template)}}"),
        negative: oc("{\(template), dailyBudgetUsd: 50}}")),
    CheckCase(
        id: "clawguard.budget.session_timeout_missing", positive: { Env().claude("{}") },
        negative: { Env().claude("{}").policy(Fixtures.text("clawguard/policy.yaml")) }),
    CheckCase(
        id: "logging.redact_off", positive: oc("{logging: {redactSensitive: \"off\"}}"),
        negative: oc("{logging: {redactSensitive: \"tools\"}}")),
    CheckCase(
        id: "clawguard.logging.audit_log_missing", positive: oc("{\(template)}, logging: {level: \"info\"}}"),
        negative: oc("{\(template)}, logging: {auditLog: \"/var/log/openclaw/audit.log\"}}")),
    CheckCase(
        id: "clawguard.monitoring.disabled", positive: oc("{\(template)}, monitoring: {enabled: false}}"),
        negative: oc("{\(template)}, monitoring: {enabled: true}}")),
    CheckCase(
        id: "clawguard.alerting.cost_alerts_missing", positive: oc("{\(template)}}"),
        negative: oc("{\(template), budgetAlertThreshold: 0.8}}")),
    CheckCase(
        id: "clawguard.alerting.security_alerts_missing", positive: { Env().claude("{}") },
        negative: { Env().claude("{}").policy(Fixtures.text("clawguard/policy.yaml")) }),
    // Secrets
    CheckCase(
        id: "config.secrets.gateway_password_in_config",
        positive: oc("{gateway: {auth: {mode: \"password\", password: \"correct-horse-battery\"}}}"),
        negative: oc("{gateway: {auth: {mode: \"password\", password: \"${OPENCLAW_GATEWAY_PASSWORD}\"}}}")),
    CheckCase(
        id: "config.secrets.hooks_token_in_config", positive: oc("{hooks: {\(tok)}}"),
        negative: oc("{hooks: {token: \"${OPENCLAW_HOOKS_TOKEN}\"}}")),
    CheckCase(
        id: "clawguard.secrets.gateway_token_in_config", positive: oc("{gateway: {auth: {\(tok)}}}"),
        negative: oc(
            "{gateway: {auth: {token: {source: \"env\", provider: \"default\", id: \"OPENCLAW_GATEWAY_TOKEN\"}}}}")),
    CheckCase(
        id: "clawguard.secrets.literal_in_config",
        positive: oc("{channels: {telegram: {botToken: \"8391001546:AAHZOh3rregThU-R7k_dv7gOz3NHEoee27I\"}}}"),
        negative: oc("{channels: {telegram: {botToken: \"${TELEGRAM_BOT_TOKEN}\"}}}")),
    CheckCase(
        id: "clawguard.input.unreadable", positive: oc("{gateway: {bind: \"lan\",,}}"),
        negative: oc("{gateway: {bind: \"lan\",}}")),
    // Host
    CheckCase(
        id: "host.running_as_root", positive: { Env(uid: 0).openclaw("{}") },
        negative: { Env(uid: 1000).openclaw("{}") }),
    CheckCase(
        id: "host.systemd.runs_as_root",
        positive: {
            Env().file(
                "/sysroot/etc/systemd/system/openclaw-gateway.service",
                Fixtures.text("systemd/openclaw-gateway.service"))
        },
        negative: {
            Env().file(
                "/sysroot/etc/systemd/system/openclaw-gateway.service",
                Fixtures.text("systemd/openclaw-hardened.service"))
        }),
    CheckCase(
        id: "host.systemd.hardening_missing",
        positive: {
            Env().file(
                "/sysroot/etc/systemd/system/openclaw-gateway.service",
                Fixtures.text("systemd/openclaw-gateway.service"))
        },
        negative: {
            Env().file(
                "/sysroot/etc/systemd/system/openclaw-gateway.service",
                Fixtures.text("systemd/openclaw-hardened.service"))
        }),
    CheckCase(
        id: "host.systemd.secret_in_unit",
        positive: {
            Env().file(
                "/sysroot/etc/systemd/system/openclaw-gateway.service",
                Fixtures.text("systemd/openclaw-gateway.service"))
        },
        negative: {
            Env().file(
                "/sysroot/etc/systemd/system/openclaw-gateway.service",
                Fixtures.text("systemd/openclaw-hardened.service"))
        }),
    CheckCase(
        id: "host.listening_beyond_loopback",
        positive: { Env(sockets: [ListeningSocket(address: "0.0.0.0", port: 18791)]).openclaw("{}") },
        negative: { Env(sockets: [ListeningSocket(address: "127.0.0.1", port: 18791)]).openclaw("{}") }),
    CheckCase(
        id: "host.gateway_bind_mismatch",
        positive: {
            Env(sockets: [ListeningSocket(address: "::", port: 18789)]).openclaw("{gateway: {bind: \"loopback\"}}")
        },
        negative: {
            Env(sockets: [ListeningSocket(address: "::1", port: 18789)]).openclaw("{gateway: {bind: \"loopback\"}}")
        }),
    CheckCase(
        id: "fs.state_dir.symlink",
        positive: {
            let env = Env()
            env.host.addDirectory("/data/oc", mode: 0o700)
            env.host.addSymlink("/home/u/.openclaw2", to: "/data/oc")
            env.environment["OPENCLAW_STATE_DIR"] = "/home/u/.openclaw2"
            return env
        },
        negative: { Env().openclaw("{}") }),
    CheckCase(
        id: "fs.config.symlink",
        positive: {
            let env = Env()
            env.host.addFile("/data/openclaw.json", "{}")
            env.host.addSymlink(Env.config, to: "/data/openclaw.json")
            return env
        },
        negative: { Env().openclaw("{}") }),
    CheckCase(
        id: "host.fs.config_dir_symlink",
        positive: {
            let env = Env()
            env.host.addDirectory("/data/claude")
            env.host.addSymlink("/home/u/.claude", to: "/data/claude")
            return env
        },
        negative: {
            let env = Env()
            env.host.addDirectory("/home/u/.claude")
            return env
        }),
    CheckCase(
        id: "fs.synced_dir",
        positive: {
            let env = Env()
            env.host.addDirectory("/home/u/Dropbox/openclaw")
            env.environment["OPENCLAW_STATE_DIR"] = "/home/u/Dropbox/openclaw"
            return env
        },
        negative: { Env().openclaw("{}") }),
    // Claude Code
    CheckCase(
        id: "claude.permissions.bypass_mode",
        positive: { Env().claude("{\"permissions\": {\"defaultMode\": \"bypassPermissions\"}}") },
        negative: { Env().claude("{\"permissions\": {\"defaultMode\": \"default\"}}") }),
    CheckCase(
        id: "claude.permissions.bypass_not_disabled", positive: { Env().claude("{}") },
        negative: { Env().claude("{\"permissions\": {\"disableBypassPermissionsMode\": \"disable\"}}") }),
    CheckCase(
        id: "claude.permissions.allow_wildcard",
        positive: { Env().claude("{\"permissions\": {\"allow\": [\"Bash\"]}}") },
        negative: { Env().claude("{\"permissions\": {\"allow\": [\"Bash(git status:*)\"]}}") }),
    CheckCase(
        id: "claude.permissions.interpreter_allowed",
        positive: { Env().claude("{\"permissions\": {\"allow\": [\"Bash(python3:*)\"]}}") },
        negative: { Env().claude("{\"permissions\": {\"allow\": [\"Bash(git log:*)\"]}}") }),
    CheckCase(
        id: "claude.permissions.sensitive_paths_not_denied",
        positive: { Env().claude("{\"permissions\": {\"deny\": []}}") },
        negative: { Env().claude(Fixtures.text("claude/settings-hardened.json")) }),
    CheckCase(
        id: "claude.permissions.destructive_not_denied",
        positive: { Env().claude("{\"permissions\": {\"deny\": [\"Bash(rm:*)\"]}}") },
        negative: { Env().claude(Fixtures.text("claude/settings-hardened.json")) }),
    CheckCase(
        id: "claude.sandbox.disabled", positive: { Env().claude("{\"sandbox\": {\"enabled\": false}}") },
        negative: { Env().claude("{\"sandbox\": {\"enabled\": true}}") }),
    CheckCase(
        id: "claude.settings.helper_writable",
        positive: { Env().claude("{\"apiKeyHelper\": \"/opt/key.sh\"}").file("/opt/key.sh", "#!/bin/sh", mode: 0o777) },
        negative: { Env().claude("{\"apiKeyHelper\": \"/opt/key.sh\"}").file("/opt/key.sh", "#!/bin/sh", mode: 0o700) }),
    CheckCase(
        id: "claude.mcp.project_servers_auto_enabled",
        positive: { Env().claude("{\"enableAllProjectMcpServers\": true}") },
        negative: { Env().claude("{\"enabledMcpjsonServers\": [\"github\"]}") }),
    CheckCase(
        id: "claude.permissions.additional_directories_broad",
        positive: { Env().claude("{\"permissions\": {\"additionalDirectories\": [\"~/\"]}}") },
        negative: { Env().claude("{\"permissions\": {\"additionalDirectories\": [\"../shared-lib\"]}}") }),
    // Codex
    CheckCase(
        id: "codex.sandbox.danger_full_access", positive: { Env().codex(Fixtures.text("codex/config-insecure.toml")) },
        negative: { Env().codex(Fixtures.text("codex/config-hardened.toml")) }),
    CheckCase(
        id: "codex.approval.never",
        positive: { Env().codex("approval_policy = \"never\"\nsandbox_mode = \"workspace-write\"\n") },
        negative: { Env().codex(Fixtures.text("codex/config-hardened.toml")) }),
    CheckCase(
        id: "codex.sandbox.network_enabled", positive: { Env().codex(Fixtures.text("codex/config-insecure.toml")) },
        negative: { Env().codex(Fixtures.text("codex/config-hardened.toml")) }),
    CheckCase(
        id: "codex.sandbox.writable_roots_broad",
        positive: { Env().codex(Fixtures.text("codex/config-insecure.toml")) },
        negative: { Env().codex(Fixtures.text("codex/config-hardened.toml")) }),
    CheckCase(
        id: "codex.rules.broad_allow",
        positive: {
            Env().codex(Fixtures.text("codex/config-hardened.toml")).file(
                "/home/u/.codex/rules/default.rules", Fixtures.text("codex/rules/default.rules"))
        },
        negative: {
            Env().codex(Fixtures.text("codex/config-hardened.toml")).file(
                "/home/u/.codex/rules/default.rules",
                "prefix_rule(pattern = [\"git\", \"status\"], decision = \"allow\")\n")
        }),
    CheckCase(
        id: "codex.hooks.command_writable",
        positive: {
            Env().codex("notify = [\"/opt/notify.sh\", \"done\"]\n").file("/opt/notify.sh", "#!/bin/sh", mode: 0o775)
        },
        negative: {
            Env().codex("notify = [\"/opt/notify.sh\", \"done\"]\n").file("/opt/notify.sh", "#!/bin/sh", mode: 0o755)
        }),
    // ClawGuard policy
    CheckCase(
        id: "clawguard.policy.missing", positive: { Env().claude("{}") },
        negative: { Env().claude("{}").policy(Fixtures.text("clawguard/policy.yaml")) }),
    CheckCase(
        id: "clawguard.policy.invalid",
        positive: { Env().policy(Fixtures.text("clawguard/policy-invalid.yaml")) },
        negative: { Env().policy(Fixtures.text("clawguard/policy.yaml")) }),
    CheckCase(
        id: "clawguard.policy.mode_not_enforcing",
        positive: { Env().policy(Fixtures.text("clawguard/policy-permissive.yaml")) },
        negative: { Env().policy(Fixtures.text("clawguard/policy.yaml")) }),
    CheckCase(
        id: "clawguard.policy.allow_wildcard",
        positive: { Env().policy(Fixtures.text("clawguard/policy-permissive.yaml")) },
        negative: { Env().policy(Fixtures.text("clawguard/policy.yaml")) }),
    CheckCase(
        id: "clawguard.policy.sensitive_paths_not_denied",
        positive: { Env().policy(Fixtures.text("clawguard/policy-permissive.yaml")) },
        negative: { Env().policy(Fixtures.text("clawguard/policy.yaml")) }),
]

/// File-permission rows: (id, set up the file with a mode).
private func permCase(_ id: String, bad: UInt16, good: UInt16, _ setup: @escaping @Sendable (Env, UInt16) -> Void)
    -> CheckCase
{
    CheckCase(
        id: id,
        positive: {
            let env = Env()
            setup(env, bad)
            return env
        },
        negative: {
            let env = Env()
            setup(env, good)
            return env
        })
}

private let stateDir: @Sendable (Env, UInt16) -> Void = { env, mode in env.host.addDirectory(Env.state, mode: mode) }
private let configFile: @Sendable (Env, UInt16) -> Void = { env, mode in env.openclaw("{}", mode: mode) }
private let includeFile: @Sendable (Env, UInt16) -> Void = { env, mode in
    env.openclaw("{$include: \"./extra.json5\"}")
    env.file(Env.state + "/extra.json5", "{}", mode: mode)
}
private let credentialsDir: @Sendable (Env, UInt16) -> Void = { env, mode in
    env.host.addDirectory(Env.state + "/credentials", mode: mode)
}
private let authProfiles: @Sendable (Env, UInt16) -> Void = { env, mode in
    env.file(Env.state + "/agents/main/agent/auth-profiles.json", "{}", mode: mode)
}
private let auditLog: @Sendable (Env, UInt16) -> Void = { env, mode in
    env.openclaw("{logging: {auditLog: \"/var/log/openclaw/audit.log\"}}")
    env.file("/var/log/openclaw/audit.log", "", mode: mode)
}
private let approvalsFile: @Sendable (Env, UInt16) -> Void = { env, mode in env.approvals("{}", mode: mode) }
private let claudeFile: @Sendable (Env, UInt16) -> Void = { env, mode in env.claude("{}", mode: mode) }
private let codexFile: @Sendable (Env, UInt16) -> Void = { env, mode in env.codex("model = \"x\"\n", mode: mode) }
private let policyFile: @Sendable (Env, UInt16) -> Void = { env, mode in env.policy("mode: enforce\n", mode: mode) }

let permissionCases: [CheckCase] = [
    permCase("fs.state_dir.perms_world_writable", bad: 0o777, good: 0o700, stateDir),
    permCase("fs.state_dir.perms_group_writable", bad: 0o770, good: 0o700, stateDir),
    permCase("fs.state_dir.perms_readable", bad: 0o755, good: 0o700, stateDir),
    permCase("fs.config.perms_writable", bad: 0o620, good: 0o600, configFile),
    permCase("fs.config.perms_world_readable", bad: 0o644, good: 0o600, configFile),
    permCase("fs.config.perms_group_readable", bad: 0o640, good: 0o600, configFile),
    permCase("fs.config_include.perms_writable", bad: 0o666, good: 0o600, includeFile),
    permCase("fs.config_include.perms_world_readable", bad: 0o604, good: 0o600, includeFile),
    permCase("fs.config_include.perms_group_readable", bad: 0o640, good: 0o600, includeFile),
    permCase("fs.credentials_dir.perms_writable", bad: 0o777, good: 0o700, credentialsDir),
    permCase("fs.credentials_dir.perms_readable", bad: 0o755, good: 0o700, credentialsDir),
    permCase("fs.auth_profiles.perms_writable", bad: 0o666, good: 0o600, authProfiles),
    permCase("fs.auth_profiles.perms_readable", bad: 0o644, good: 0o600, authProfiles),
    permCase("fs.log_file.perms_readable", bad: 0o644, good: 0o600, auditLog),
    permCase("host.fs.exec_approvals.perms_writable", bad: 0o662, good: 0o600, approvalsFile),
    permCase("host.fs.exec_approvals.perms_readable", bad: 0o644, good: 0o600, approvalsFile),
    permCase("host.fs.claude_settings.perms_writable", bad: 0o666, good: 0o644, claudeFile),
    permCase("host.fs.claude_settings.perms_readable", bad: 0o644, good: 0o600, claudeFile),
    permCase("host.fs.codex_config.perms_writable", bad: 0o666, good: 0o644, codexFile),
    permCase("host.fs.codex_config.perms_readable", bad: 0o644, good: 0o600, codexFile),
    permCase("host.fs.clawguard_policy.perms_writable", bad: 0o664, good: 0o644, policyFile),
    permCase("host.fs.clawguard_policy.perms_readable", bad: 0o644, good: 0o600, policyFile),
]

@Suite("Each check: positive and negative fixture")
struct CheckCaseTests {
    @Test(arguments: checkCases + permissionCases)
    func positiveRaisesNegativeDoesNot(_ testCase: CheckCase) {
        let positive = testCase.positive().report().findings
        #expect(
            positive.contains { $0.checkId == testCase.id },
            "positive fixture did not raise \(testCase.id): \(positive.map(\.checkId))")
        let negative = testCase.negative().report().findings
        #expect(!negative.contains { $0.checkId == testCase.id }, "negative fixture raised \(testCase.id)")
    }

    /// Every check in the registry has a case (pattern ids through one concrete instance).
    @Test func everyCheckHasACase() {
        let caseIds = (checkCases + permissionCases).map(\.id)
        for info in CheckRegistry.infos {
            let covered: Bool
            if info.id.contains("*") {
                let parts = info.id.split(separator: "*", maxSplits: 1).map(String.init)
                covered = caseIds.contains {
                    $0.hasPrefix(parts[0]) && $0.hasSuffix(parts[1]) && $0.count > info.id.count - 1
                }
            } else {
                covered = caseIds.contains(info.id)
            }
            #expect(covered, "no positive/negative case for \(info.id)")
        }
    }
}
