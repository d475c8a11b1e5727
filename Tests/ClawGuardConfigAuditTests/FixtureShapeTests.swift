import ClawGuardCore
import Foundation
import Testing

@testable import ClawGuardConfigAudit

@Suite("Real configuration shapes")
struct FixtureShapeTests {
    /// The reference design's template, as shipped, at mode 600, audited with no ClawGuard policy.
    @Test func referenceTemplateFindings() {
        let report = Env().openclaw(Fixtures.text("openclaw/reference-template.json")).report()
        let ids = report.findings.map(\.checkId)
        // Reasoned from the template: three placeholder tokens, the admin token's ["*"], no PID limit, mkfs not
        // blocked, .env not excluded, TLS off on loopback (info), and what only a ClawGuard policy can provide.
        let expected: [String: Int] = [
            "clawguard.gateway.token_placeholder": 3,
            "clawguard.gateway.token_wildcard_scope": 1,
            "clawguard.sandbox.no_resource_limits": 1,
            "clawguard.tools.destructive_not_blocked": 1,
            "clawguard.tools.sensitive_paths_not_blocked": 1,
            "clawguard.gateway.tls_off": 1,
            "clawguard.policy.missing": 1,
            "clawguard.budget.session_timeout_missing": 1,
            "clawguard.alerting.security_alerts_missing": 1,
        ]
        #expect(Dictionary(ids.map { ($0, 1) }, uniquingKeysWith: +) == expected)
        #expect(
            report.findings.first { $0.checkId == "clawguard.sandbox.no_resource_limits" }?.detail.contains("PIDs")
                == true)
        #expect(
            report.findings.first { $0.checkId == "clawguard.tools.destructive_not_blocked" }?.detail.contains("mkfs")
                == true)
        #expect(
            report.findings.first { $0.checkId == "clawguard.tools.sensitive_paths_not_blocked" }?.detail.contains(
                ".env") == true)
        #expect(report.findings.first { $0.checkId == "clawguard.gateway.tls_off" }?.severity == .info)
        #expect(report.summary.critical == 3)
    }

    /// Line numbers: each placeholder token points at its own line in the template.
    @Test func templateTokenLines() {
        let text = Fixtures.text("openclaw/reference-template.json")
        let tokenLines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { $0.element.contains("\"token\": \"REPLACE_WITH_STRONG_TOKEN\"") }.map { $0.offset + 1 }
        #expect(tokenLines.count == 3)
        let lines = Env().openclaw(text).findings("clawguard.gateway.token_placeholder").compactMap(\.line).sorted()
        #expect(lines == tokenLines)
    }

    @Test func currentSchemaInsecure() {
        let ids = Env().openclaw(Fixtures.text("openclaw/current-insecure.json5")).ids()
        let expected: Set<String> = [
            "gateway.bind_no_auth", "clawguard.gateway.bind_all_interfaces", "gateway.tailscale_funnel",
            "gateway.control_ui.allowed_origins_wildcard", "gateway.control_ui.device_auth_disabled",
            "gateway.control_ui.insecure_auth", "discovery.mdns_full_mode", "config.insecure_or_dangerous_flags",
            "clawguard.sandbox.off", "sandbox.docker_config_mode_off", "sandbox.dangerous_network_mode",
            "clawguard.sandbox.root_writable", "clawguard.sandbox.capabilities_not_dropped",
            "sandbox.dangerous_bind_mount", "sandbox.bind_mount_non_absolute", "clawguard.workspace.unrestricted",
            "clawguard.tools.allowlist_wildcard", "tools.exec.security_full_configured",
            "tools.exec.host_sandbox_no_sandbox_defaults", "tools.exec.safe_bins_interpreter_unprofiled",
            "tools.elevated.allowFrom.telegram.wildcard", "channels.telegram.dm.open",
            "channels.telegram.dm.open_invalid",
            "security.exposure.open_groups_with_elevated", "security.exposure.open_channels_with_exec",
            "hooks.token_too_short", "config.secrets.hooks_token_in_config", "clawguard.secrets.literal_in_config",
            "logging.redact_off", "gateway.auth_no_rate_limit",
        ]
        #expect(expected.subtracting(ids).isEmpty, "missing: \(expected.subtracting(ids).sorted())")
        #expect(!ids.contains("tools.elevated.allowFrom.discord.wildcard"))
        // Exec full + open channels escalates to critical.
        let exec = Env().openclaw(Fixtures.text("openclaw/current-insecure.json5")).findings(
            "tools.exec.security_full_configured")
        #expect(exec.count == 2 && exec.allSatisfy { $0.severity == .critical })
        // Each finding points at its own line: the agent override and the global setting.
        let text = Fixtures.text("openclaw/current-insecure.json5").split(
            separator: "\n", omittingEmptySubsequences: false)
        let agentLine = text.firstIndex { $0.contains("main: { tools: { exec: { mode: \"full\"") }.map { $0 + 1 }
        let globalLine = text.firstIndex { $0.contains("exec: { mode: \"full\", host:") }.map { $0 + 1 }
        #expect(exec.first { $0.detail.hasPrefix("agents.entries.main") }?.line == agentLine)
        #expect(exec.first { $0.detail.hasPrefix("tools.exec.mode") }?.line == globalLine)
    }

    /// The hardened current-schema config plus a ClawGuard policy leaves nothing above info.
    @Test func currentSchemaHardenedWithPolicy() {
        let env = Env().openclaw(Fixtures.text("openclaw/current-hardened.json5")).policy(
            Fixtures.text("clawguard/policy.yaml"))
        env.environment = ["OPENCLAW_GATEWAY_TOKEN": strongToken]
        let report = env.report()
        let serious = report.findings.filter { $0.severity >= .warn }
        #expect(serious.isEmpty, "\(serious.map { "\($0.checkId): \($0.detail)" })")
    }

    /// `${OPENCLAW_GATEWAY_TOKEN}` is resolved for the strength checks but never reported as hardcoded.
    @Test func envSubstitutedTokenIsCheckedNotHardcoded() {
        let env = Env().openclaw("{gateway: {auth: {mode: \"token\", token: \"${OPENCLAW_GATEWAY_TOKEN}\"}}}")
        env.environment = ["OPENCLAW_GATEWAY_TOKEN": "short"]
        let ids = env.ids()
        #expect(ids.contains("gateway.token_too_short"))
        #expect(!ids.contains("clawguard.secrets.gateway_token_in_config"))
        env.environment = [:]
        #expect(!env.ids().contains("gateway.token_too_short"))  // unresolvable: nothing to measure
        #expect(!env.ids().contains("gateway.loopback_no_auth"))  // but a token is configured
    }

    /// OpenClaw sets no resource limits by default: an active sandbox without them is flagged even with no
    /// docker block; per-agent docker blocks are merged over the defaults.
    @Test func resourceLimitsFollowOpenClawDefaults() {
        #expect(
            Env().openclaw("{agents: {defaults: {sandbox: {mode: \"all\"}}}}").ids().contains(
                "clawguard.sandbox.no_resource_limits"))
        #expect(
            !Env().openclaw("{agents: {defaults: {sandbox: {mode: \"off\"}}}}").ids().contains(
                "clawguard.sandbox.no_resource_limits"))
        let merged = Env().openclaw(
            "{agents: {defaults: {sandbox: {mode: \"all\", docker: {cpus: 1, memory: \"1g\", pidsLimit: 64}}}, entries: {ops: {sandbox: {docker: {network: \"none\"}}}}}}"
        )
        #expect(!merged.ids().contains("clawguard.sandbox.no_resource_limits"))
        let agentOnly = Env().openclaw(
            "{agents: {defaults: {sandbox: {mode: \"off\"}}, entries: {ops: {sandbox: {mode: \"all\", docker: {cpus: 1}}}}}}"
        )
        let finding = agentOnly.findings("clawguard.sandbox.no_resource_limits")
        #expect(finding.count == 1)
        #expect(finding.first?.detail.contains("ops") == true && finding.first?.detail.contains("memory, PIDs") == true)
    }

    @Test func legacySchema() {
        let report = Env().openclaw(Fixtures.text("openclaw/legacy.json")).report()
        let ids = Set(report.findings.map(\.checkId))
        for id in [
            "tools.exec.security_full_configured", "clawguard.sandbox.agent_override_off",
            "tools.profile_minimal_overridden", "logging.redact_off", "gateway.token_too_short",
        ] {
            #expect(ids.contains(id), "\(id) missing")
        }
        let exec = report.findings.first { $0.checkId == "tools.exec.security_full_configured" }
        #expect(exec?.detail.contains("agents.list.0.tools.exec.security") == true)
        let override = report.findings.first { $0.checkId == "clawguard.sandbox.agent_override_off" }
        #expect(override?.detail.contains("helper") == true)
    }

    @Test func includeIsMergedAndLocated() {
        let env = Env()
            .file(Env.config, Fixtures.text("openclaw/include-main.json5"))
            .file(Env.state + "/gateway.json5", Fixtures.text("openclaw/include-gateway.json5"))
        let report = env.report()
        let password = report.findings.first { $0.checkId == "config.secrets.gateway_password_in_config" }
        #expect(password?.file == Env.state + "/gateway.json5")
        let expectedLine = Fixtures.text("openclaw/include-gateway.json5").split(separator: "\n").firstIndex {
            $0.contains("password:")
        }.map { $0 + 1 }
        #expect(password?.line == expectedLine)
        let ids = Set(report.findings.map(\.checkId))
        #expect(!ids.contains("gateway.bind_no_auth"))  // the included password is auth
        #expect(ids.contains("clawguard.gateway.bind_all_interfaces"))  // bind "lan" came from the include
        #expect(!ids.contains("clawguard.secrets.literal_in_config"))  // apiKey is ${ANTHROPIC_API_KEY}
        #expect(!ids.contains("clawguard.sandbox.off"))
    }

    @Test(arguments: [
        ("{$include: \"../outside.json5\"}", "escapes"),
        ("{$include: \"./a.json5\"}", "circular"),
        ("{$include: 42}", "string"),
    ])
    func badIncludesAreUnreadable(_ main: String, _ message: String) {
        let env = Env().openclaw(main).file(Env.state + "/a.json5", "{$include: \"./a.json5\"}")
        env.file("/home/u/outside.json5", "{}")
        let unreadable = env.findings("clawguard.input.unreadable")
        #expect(unreadable.count == 1)
        #expect(unreadable.first?.detail.contains(message) == true, "\(unreadable.first?.detail ?? "")")
        #expect(unreadable.first?.severity == .critical)
    }

    @Test func includeDepthLimit() {
        let env = Env()
        for depth in 0...11 { env.file(Env.state + "/d\(depth).json5", "{$include: \"./d\(depth + 1).json5\"}") }
        env.file(Env.state + "/d12.json5", "{}")
        env.openclaw("{$include: \"./d0.json5\"}")
        #expect(env.findings("clawguard.input.unreadable").first?.detail.contains("depth") == true)
    }

    @Test func execApprovalsFixture() {
        let ids = Env().approvals(Fixtures.text("openclaw/exec-approvals.json")).ids()
        for id in [
            "clawguard.exec_approvals.ask_fallback_full", "tools.exec.auto_allow_skills_enabled",
            "tools.exec.allowlist_interpreter_without_strict_inline_eval", "tools.exec.security_full_configured",
        ] {
            #expect(ids.contains(id), "\(id) missing")
        }
    }

    @Test func claudeFixtures() {
        let insecure = Env().claude(Fixtures.text("claude/settings-insecure.json")).file(
            "/opt/helpers/key.sh", "#!/bin/sh", mode: 0o757)
        let ids = insecure.ids()
        for id in [
            "claude.permissions.bypass_mode", "claude.permissions.allow_wildcard",
            "claude.permissions.interpreter_allowed",
            "claude.sandbox.disabled", "claude.settings.helper_writable", "clawguard.secrets.literal_in_config",
            "claude.permissions.sensitive_paths_not_denied", "claude.permissions.bypass_not_disabled",
        ] {
            #expect(ids.contains(id), "\(id) missing")
        }
        let hardened = Env().claude(Fixtures.text("claude/settings-hardened.json")).policy(
            Fixtures.text("clawguard/policy.yaml"))
        #expect(hardened.report().findings.filter { $0.severity >= .warn }.isEmpty)
    }

    /// Project settings are discovered next to user settings; a bypass in shared project settings is flagged there.
    @Test func claudeScopes() {
        let env = Env()
            .file(
                "/sysroot/etc/claude-code/managed-settings.json",
                "{\"permissions\": {\"disableBypassPermissionsMode\": \"disable\"}}", mode: 0o644
            )
            .file("/work/proj/.claude/settings.json", "{\"permissions\": {\"defaultMode\": \"bypassPermissions\"}}")
        let report = env.report()
        let bypass = report.findings.first { $0.checkId == "claude.permissions.bypass_mode" }
        #expect(bypass?.file == "/work/proj/.claude/settings.json")
        #expect(bypass?.detail.contains("project") == true)
        #expect(!report.findings.contains { $0.checkId == "claude.permissions.bypass_not_disabled" })
        #expect(
            !report.findings.contains {
                $0.checkId == "host.fs.claude_settings.perms_readable" && $0.file?.hasPrefix("/sysroot") == true
            })
    }

    @Test func codexFixtures() {
        let report = Env().codex(Fixtures.text("codex/config-insecure.toml")).report()
        let danger = report.findings.first { $0.checkId == "codex.sandbox.danger_full_access" }
        #expect(danger?.severity == .critical)
        #expect(danger?.line == 3)
        #expect(report.findings.contains { $0.checkId == "codex.approval.never" && $0.detail.contains("profiles.ci") })
        #expect(
            report.findings.contains {
                $0.checkId == "clawguard.secrets.literal_in_config" && $0.detail.contains("GITHUB_TOKEN")
            })
    }

    @Test func codexRulesLine() {
        let rules = Fixtures.text("codex/rules/default.rules")
        let env = Env().codex("model = \"x\"\n").file("/home/u/.codex/rules/default.rules", rules)
        let finding = env.findings("codex.rules.broad_allow")
        let expected = rules.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
            $0.contains("[\"python3\"]")
        }.map { $0 + 1 }
        #expect(finding.count == 1)
        #expect(finding.first?.line == expected)
    }

    @Test func nothingConfiguredMeansNoAgentFindings() {
        let report = Env().report()
        #expect(report.findings.isEmpty, "\(report.findings.map(\.checkId))")
        #expect(report.summary.sources.isEmpty)
    }
}
