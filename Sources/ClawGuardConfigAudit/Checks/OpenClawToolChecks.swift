import ClawGuardCore
import Foundation

/// Permission mode, tool allow/deny lists, exec policy, exec approvals and elevated mode.
enum OpenClawToolChecks {
    /// Commands the reference wants blocked, and paths it wants out of reach.
    static let destructiveCommands = ["rm", "dd", "mkfs"]
    static let sensitivePaths = [".ssh", ".aws", ".env", "/etc"]

    /// The template's rule lists.
    static func templateRules(_ view: OpenClawView) -> (allowed: [String], disallowed: [String]) {
        (
            view.value.at("agents.defaultAllowedTools")?.stringList ?? [],
            view.value.at("agents.disallowedTools")?.stringList ?? []
        )
    }

    /// Whether a rule list blocks a command (`Bash(rm:*)`, `Bash(rm *)`, `Bash(rm)`).
    static func blocks(_ rules: [String], command: String) -> Bool {
        rules.contains { rule in
            let lowered = rule.lowercased().replacingOccurrences(of: " ", with: "")
            return lowered == "bash" || lowered.hasPrefix("bash(\(command):") || lowered.hasPrefix("bash(\(command)*")
                || lowered == "bash(\(command))"
                || lowered.hasPrefix("bash(\(command)")
                    && lowered.dropFirst(5 + command.count).first.map { !$0.isLetter && !$0.isNumber } == true
        }
    }

    static let all: [Check] = [
        Check(
            "clawguard.agents.permission_mode", .warn, .permissions, source: .openclaw,
            covers: ["permissions.default_mode"],
            title: "Default permission mode does not require approval",
            remediation: "Set agents.defaultPermissionMode to \"default\" (approval for writes and commands)."
        ) { inputs in
            guard let view = inputs.openClawView, view.isTemplateSchema else { return [] }
            guard let mode = view.string("agents.defaultPermissionMode") else {
                return [view.config.hit("agents.defaultPermissionMode is not set.", at: "agents")]
            }
            switch mode {
            case "default", "plan": return []
            case "bypassPermissions", "dontAsk":
                return [
                    view.config.hit(
                        "agents.defaultPermissionMode=\"\(mode)\" approves every tool call without asking.",
                        at: "agents.defaultPermissionMode", severity: .critical)
                ]
            default:
                return [
                    view.config.hit(
                        "agents.defaultPermissionMode=\"\(mode)\" auto-approves some tool calls.",
                        at: "agents.defaultPermissionMode")
                ]
            }
        },
        Check(
            "clawguard.tools.allowlist_wildcard", .warn, .permissions, source: .openclaw,
            covers: ["permissions.no_wildcard"],
            title: "Tool allowlist is a wildcard",
            remediation: "List the tools agents need (e.g. [\"Read\", \"Grep\", \"Glob\"]) instead of \"*\"."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            var hits: [Hit] = []
            for path in ["agents.defaultAllowedTools", "tools.allow"]
            where view.value.at(path)?.stringList.contains("*") == true {
                hits.append(view.config.hit("\(path) contains \"*\".", at: path))
            }
            for agent in view.agents where agent.value.at("tools.allow")?.stringList.contains("*") == true {
                hits.append(
                    view.config.hit("Agent \(agent.id): tools.allow contains \"*\".", at: agent.path + ".tools.allow"))
            }
            if view.string("tools.profile") == "full" && (view.value.at("tools.deny")?.stringList ?? []).isEmpty {
                hits.append(
                    view.config.hit(
                        "tools.profile=\"full\" with an empty tools.deny gives agents every tool.", at: "tools.profile",
                        severity: .info))
            }
            return hits
        },
        Check(
            "clawguard.tools.destructive_not_blocked", .warn, .permissions, source: .openclaw,
            covers: ["permissions.destructive_blocked"],
            title: "Destructive commands are not blocked",
            remediation: "Add Bash(rm:*), Bash(dd:*) and Bash(mkfs:*) to agents.disallowedTools."
        ) { inputs in
            guard let view = inputs.openClawView, view.isTemplateSchema else { return [] }
            let rules = templateRules(view)
            let missing = destructiveCommands.filter { !blocks(rules.disallowed, command: $0) }
            guard !missing.isEmpty else { return [] }
            return [
                view.config.hit(
                    "agents.disallowedTools does not block \(missing.joined(separator: ", ")).",
                    at: view.value.at("agents.disallowedTools") == nil ? "agents" : "agents.disallowedTools")
            ]
        },
        Check(
            "clawguard.tools.sensitive_paths_not_blocked", .warn, .permissions, source: .openclaw,
            covers: ["permissions.sensitive_paths"],
            title: "Sensitive paths are not blocked",
            remediation: "Add ~/.ssh, ~/.aws, .env and /etc to workspace.excludePaths (or deny rules)."
        ) { inputs in
            guard let view = inputs.openClawView, view.isTemplateSchema else { return [] }
            let texts = (view.value.at("workspace.excludePaths")?.stringList ?? []) + templateRules(view).disallowed
            let missing = sensitivePaths.filter { path in !texts.contains { $0.contains(path) } }
            guard !missing.isEmpty else { return [] }
            let at = view.value.at("workspace.excludePaths") != nil ? "workspace.excludePaths" : "agents"
            return [view.config.hit("Not excluded or denied: \(missing.joined(separator: ", ")).", at: at)]
        },
        Check(
            "clawguard.tools.shell_allowed_wholesale", .warn, .permissions, source: .openclaw,
            covers: ["permissions.bash_filtering"],
            title: "Shell or interpreter allowed wholesale",
            remediation: "Allow specific commands (Bash(git status:*)) instead of Bash or an interpreter."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            return templateRules(view).allowed.compactMap { rule in
                let lowered = rule.lowercased()
                let inner =
                    lowered.hasPrefix("bash(")
                    ? String(lowered.dropFirst(5).prefix { $0 != ":" && $0 != " " && $0 != ")" && $0 != "*" }) : ""
                guard
                    lowered == "bash" || lowered == "bash(*)" || lowered == "bash(:*)"
                        || Interpreters.isInterpreter(inner)
                else { return nil }
                return view.config.hit("agents.defaultAllowedTools allows \(rule).", at: "agents.defaultAllowedTools")
            }
        },
        Check(
            "clawguard.tools.network_unrestricted", .warn, .permissions, source: .openclaw,
            covers: ["permissions.network_restricted"],
            title: "Agents' network access is not restricted",
            remediation:
                "Deny Bash(curl:*)/Bash(wget:*) and WebFetch, or run agents in a sandbox with network \"none\"."
        ) { inputs in
            guard let view = inputs.openClawView, view.isTemplateSchema else { return [] }
            let network = view.value.at("sandbox.docker.networkMode")?.stringValue
            if view.sandboxOn && network == "none" { return [] }
            let disallowed = templateRules(view).disallowed
            let missing = ["curl", "wget"].filter { !blocks(disallowed, command: $0) }
            guard !missing.isEmpty else { return [] }
            return [
                view.config.hit(
                    "Network tools not denied (\(missing.joined(separator: ", "))) and the sandbox network is \(network ?? "not isolated").",
                    at: "agents")
            ]
        },
        Check(
            "tools.exec.security_full_configured", .warn, .permissions, source: .openclaw,
            covers: ["permissions.bash_filtering", "permissions.destructive_blocked"], openClawId: true,
            title: "Host exec is running with security=\"full\"",
            remediation:
                "Set tools.exec.mode (or tools.exec.security) to \"allowlist\" with approvals (ask \"on-miss\")."
        ) { inputs in
            let view = inputs.openClawView
            let severity: Severity = (view?.openChannels.isEmpty ?? true) ? .warn : .critical
            var hits = (view?.execFullPaths ?? []).map {
                view!.config.hit(
                    "\($0)=\"full\": any command runs without an allowlist"
                        + (severity == .critical ? " and open channels can reach it." : "."), at: $0, severity: severity
                )
            }
            if let approvals = inputs.execApprovals {
                if approvals.value.at("defaults.security")?.stringValue == "full" {
                    hits.append(
                        approvals.hit(
                            "exec approvals defaults.security=\"full\".", at: "defaults.security", severity: severity))
                }
                for (agent, config) in (approvals.value.at("agents")?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }
                )
                where config["security"]?.stringValue == "full" {
                    hits.append(
                        approvals.hit(
                            "exec approvals agents.\(agent).security=\"full\".", at: "agents.\(agent).security",
                            severity: severity))
                }
            }
            return hits
        },
        Check(
            "tools.exec.host_sandbox_no_sandbox_defaults", .warn, .sandbox, source: .openclaw, openClawId: true,
            title: "Exec host is sandbox but sandbox mode is off",
            remediation: "Enable sandbox mode or set tools.exec.host to \"gateway\" with approvals."
        ) { inputs in
            guard let view = inputs.openClawView, view.string("tools.exec.host") == "sandbox",
                view.defaultSandboxMode == "off", !view.isTemplateSchema
            else { return [] }
            return [
                view.config.hit(
                    "tools.exec.host=\"sandbox\" while agents.defaults.sandbox.mode is off.", at: "tools.exec.host")
            ]
        },
        Check(
            "tools.exec.safe_bins_interpreter_unprofiled", .warn, .permissions, source: .openclaw,
            covers: ["permissions.bash_filtering"], openClawId: true,
            title: "safeBins includes interpreter/runtime binaries without explicit profiles",
            remediation: "Remove interpreters from safeBins or define tools.exec.safeBinProfiles.<bin>."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            return view.execBlocks.compactMap { block in
                let profiles =
                    block.value["safeBinProfiles"]?.objectValue ?? view.value.at("tools.exec.safeBinProfiles")?
                    .objectValue ?? [:]
                let bad = (block.value["safeBins"]?.stringList ?? []).filter {
                    Interpreters.isInterpreter($0) && profiles[$0] == nil
                }
                guard !bad.isEmpty else { return nil }
                return view.config.hit(
                    "\(block.path).safeBins: \(bad.joined(separator: ", ")).", at: "\(block.path).safeBins")
            }
        },
        Check(
            "tools.exec.auto_allow_skills_enabled", .warn, .permissions, source: .openclaw, openClawId: true,
            title: "Exec approvals trust skill bins implicitly",
            remediation: "Set autoAllowSkills=false in exec approvals."
        ) { inputs in
            guard let approvals = inputs.execApprovals else { return [] }
            var hits: [Hit] = []
            if approvals.value.at("defaults.autoAllowSkills")?.boolValue == true {
                hits.append(approvals.hit("defaults.autoAllowSkills=true.", at: "defaults.autoAllowSkills"))
            }
            for (agent, config) in (approvals.value.at("agents")?.objectValue ?? [:]).sorted(by: { $0.key < $1.key })
            where config["autoAllowSkills"]?.boolValue == true {
                hits.append(
                    approvals.hit("agents.\(agent).autoAllowSkills=true.", at: "agents.\(agent).autoAllowSkills"))
            }
            return hits
        },
        Check(
            "tools.exec.allowlist_interpreter_without_strict_inline_eval", .warn, .permissions, source: .openclaw,
            covers: ["permissions.bash_filtering"], openClawId: true,
            title: "Interpreter allowlists permit inline eval without forced reapproval",
            remediation: "Set tools.exec.strictInlineEval=true or remove interpreter entries from the allowlist."
        ) { inputs in
            guard let approvals = inputs.execApprovals else { return [] }
            if inputs.openClawView?.bool("tools.exec.strictInlineEval") == true { return [] }
            var hits: [Hit] = []
            for (agent, config) in (approvals.value.at("agents")?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                let patterns = (config["allowlist"]?.arrayValue ?? []).compactMap { $0["pattern"]?.stringValue }
                let interpreters = patterns.filter {
                    Interpreters.isInterpreter(String($0.split(separator: " ").first ?? ""))
                }
                if !interpreters.isEmpty {
                    hits.append(
                        approvals.hit(
                            "agents.\(agent).allowlist allows \(interpreters.joined(separator: ", ")).",
                            at: "agents.\(agent).allowlist"))
                }
            }
            return hits
        },
        Check(
            "clawguard.exec_approvals.ask_fallback_full", .critical, .permissions, source: .openclaw,
            covers: ["permissions.bash_filtering"],
            title: "An unanswered exec approval runs the command",
            remediation: "Set askFallback to \"deny\" in exec approvals."
        ) { inputs in
            guard let approvals = inputs.execApprovals else { return [] }
            var hits: [Hit] = []
            if approvals.value.at("defaults.askFallback")?.stringValue == "full" {
                hits.append(approvals.hit("defaults.askFallback=\"full\".", at: "defaults.askFallback"))
            }
            for (agent, config) in (approvals.value.at("agents")?.objectValue ?? [:]).sorted(by: { $0.key < $1.key })
            where config["askFallback"]?.stringValue == "full" {
                hits.append(approvals.hit("agents.\(agent).askFallback=\"full\".", at: "agents.\(agent).askFallback"))
            }
            return hits
        },
        Check(
            "tools.elevated.allowFrom.*.wildcard", .critical, .permissions, source: .openclaw,
            covers: ["permissions.no_wildcard"], openClawId: true,
            title: "Elevated exec allowlist contains wildcard",
            remediation: "List the exact senders allowed to use elevated mode, or disable tools.elevated."
        ) { inputs in
            guard let view = inputs.openClawView, view.bool("tools.elevated.enabled") != false,
                let allowFrom = view.value.at("tools.elevated.allowFrom")?.objectValue
            else { return [] }
            return allowFrom.keys.sorted().compactMap { provider in
                guard allowFrom[provider]!.stringList.map({ $0.trimmingCharacters(in: .whitespaces) }).contains("*")
                else { return nil }
                return view.config.hit(
                    "tools.elevated.allowFrom.\(provider) includes \"*\": everyone on that channel gets elevated mode.",
                    at: "tools.elevated.allowFrom.\(provider)", id: "tools.elevated.allowFrom.\(provider).wildcard")
            }
        },
        Check(
            "tools.profile_minimal_overridden", .warn, .permissions, source: .openclaw, openClawId: true,
            title: "Agent overrides bypass global minimal profile",
            remediation: "Keep per-agent tools.profile at \"minimal\" or justify the override."
        ) { inputs in
            guard let view = inputs.openClawView, view.string("tools.profile") == "minimal" else { return [] }
            return view.agents.compactMap { agent in
                guard let profile = agent.value.at("tools.profile")?.stringValue, profile != "minimal" else {
                    return nil
                }
                return view.config.hit(
                    "Agent \(agent.id) sets tools.profile=\"\(profile)\" over the global \"minimal\".",
                    at: agent.path + ".tools.profile")
            }
        },
    ]
}
