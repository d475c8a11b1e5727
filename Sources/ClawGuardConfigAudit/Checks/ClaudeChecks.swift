import ClawGuardCore
import Foundation

/// Claude Code settings: managed, user, project and local scopes.
enum ClaudeChecks {
    /// A rule that allows every tool or any shell command.
    static func isWholesaleRule(_ rule: String) -> Bool {
        let compact = rule.replacingOccurrences(of: " ", with: "").lowercased()
        return ["*", "bash", "bash(*)", "bash(:*)", "bash(**)", "exec", "exec(*)"].contains(compact)
    }

    /// The command an allow rule names (`Bash(python3:*)` → `python3`), or nil.
    static func ruleCommand(_ rule: String) -> String? {
        guard rule.hasPrefix("Bash("), rule.hasSuffix(")") else { return nil }
        let inner = rule.dropFirst(5).dropLast()
        let command = inner.prefix { $0 != ":" && $0 != " " && $0 != "*" && $0 != ")" }
        return command.isEmpty ? nil : String(command)
    }

    static func rules(_ settings: ClaudeSettings, _ kind: String) -> [String] {
        settings.document.value.at("permissions.\(kind)")?.stringList ?? []
    }

    static let all: [Check] = [
        Check(
            "claude.permissions.bypass_mode", .critical, .permissions, source: .claude,
            covers: ["permissions.default_mode"],
            title: "Claude Code starts in bypassPermissions mode",
            remediation:
                "Set permissions.defaultMode to \"default\" (or \"plan\"/\"acceptEdits\") and set disableBypassPermissionsMode=\"disable\" in managed settings."
        ) { inputs in
            inputs.claude.compactMap { settings in
                guard let mode = settings.document.value.at("permissions.defaultMode")?.stringValue else { return nil }
                if mode == "bypassPermissions" {
                    let note =
                        settings.scope == .project ? " (in the project's shared settings: every clone inherits it)" : ""
                    return settings.document.hit(
                        "\(settings.scope.rawValue) settings: permissions.defaultMode=\"bypassPermissions\"\(note).",
                        at: "permissions.defaultMode")
                }
                if mode == "acceptEdits" {
                    return settings.document.hit(
                        "\(settings.scope.rawValue) settings: permissions.defaultMode=\"acceptEdits\" auto-approves file edits.",
                        at: "permissions.defaultMode", severity: .info)
                }
                return nil
            }
        },
        Check(
            "claude.permissions.bypass_not_disabled", .info, .permissions, source: .claude,
            covers: ["permissions.default_mode"],
            title: "Bypass-permissions mode is not disabled",
            remediation:
                "Set permissions.disableBypassPermissionsMode to \"disable\" (managed settings make it binding)."
        ) { inputs in
            guard !inputs.claude.isEmpty,
                !inputs.claude.contains(where: {
                    $0.document.value.at("permissions.disableBypassPermissionsMode")?.stringValue == "disable"
                })
            else { return [] }
            return [
                Hit(
                    "No settings scope sets disableBypassPermissionsMode=\"disable\"; anyone can start with --dangerously-skip-permissions.",
                    file: inputs.claude.first?.document.path)
            ]
        },
        Check(
            "claude.permissions.allow_wildcard", .warn, .permissions, source: .claude,
            covers: ["permissions.no_wildcard", "permissions.bash_filtering"],
            title: "Claude Code allows every tool or any shell command",
            remediation: "Replace the rule with specific ones, e.g. Bash(git status:*), Bash(npm test:*)."
        ) { inputs in
            inputs.claude.flatMap { settings in
                rules(settings, "allow").filter(isWholesaleRule).map {
                    settings.document.hit(
                        "\(settings.scope.rawValue) settings: permissions.allow contains \($0).",
                        at: "permissions.allow", severity: $0 == "*" ? .critical : .warn)
                }
            }
        },
        Check(
            "claude.permissions.interpreter_allowed", .warn, .permissions, source: .claude,
            covers: ["permissions.bash_filtering"],
            title: "Claude Code allows an interpreter or shell wholesale",
            remediation: "Allow the scripts you run (Bash(python3 scripts/check.py:*)), not the interpreter."
        ) { inputs in
            inputs.claude.flatMap { settings in
                rules(settings, "allow").compactMap { rule in
                    guard let command = ruleCommand(rule), Interpreters.isInterpreter(command),
                        rule.contains("*") || rule == "Bash(\(command))"
                    else { return nil }
                    return settings.document.hit(
                        "\(settings.scope.rawValue) settings: permissions.allow contains \(rule).",
                        at: "permissions.allow")
                }
            }
        },
        Check(
            "claude.permissions.sensitive_paths_not_denied", .warn, .permissions, source: .claude,
            covers: ["permissions.sensitive_paths"],
            title: "Claude Code does not deny sensitive paths",
            remediation: "Add deny rules: Read(~/.ssh/**), Read(~/.aws/**), Read(./.env), Read(./.env.*)."
        ) { inputs in
            guard !inputs.claude.isEmpty else { return [] }
            let deny = inputs.claude.flatMap { rules($0, "deny") }
            let missing = [".ssh", ".aws", ".env"].filter { path in !deny.contains { $0.contains(path) } }
            guard !missing.isEmpty else { return [] }
            let target = inputs.claude.first { $0.scope == .user } ?? inputs.claude[0]
            return [
                target.document.hit(
                    "No deny rule in any scope mentions \(missing.joined(separator: ", ")).", at: "permissions")
            ]
        },
        Check(
            "claude.permissions.destructive_not_denied", .info, .permissions, source: .claude,
            covers: ["permissions.destructive_blocked"],
            title: "Claude Code does not deny or ask for destructive commands",
            remediation: "Add Bash(rm -rf:*), Bash(dd:*), Bash(mkfs:*) to permissions.deny (or ask)."
        ) { inputs in
            guard !inputs.claude.isEmpty else { return [] }
            let guarded = inputs.claude.flatMap { rules($0, "deny") + rules($0, "ask") }
            let missing = OpenClawToolChecks.destructiveCommands.filter {
                !OpenClawToolChecks.blocks(guarded, command: $0)
            }
            guard !missing.isEmpty else { return [] }
            let target = inputs.claude.first { $0.scope == .user } ?? inputs.claude[0]
            return [
                target.document.hit("No deny/ask rule covers \(missing.joined(separator: ", ")).", at: "permissions")
            ]
        },
        Check(
            "claude.sandbox.disabled", .warn, .sandbox, source: .claude, covers: ["sandbox.enabled"],
            title: "Claude Code's Bash sandbox is not enabled",
            remediation: "Set sandbox.enabled=true (and keep allowUnsandboxedCommands false where possible)."
        ) { inputs in
            guard !inputs.claude.isEmpty else { return [] }
            if let off = inputs.claude.first(where: { $0.document.value.at("sandbox.enabled")?.boolValue == false }) {
                return [
                    off.document.hit("\(off.scope.rawValue) settings: sandbox.enabled=false.", at: "sandbox.enabled")
                ]
            }
            guard !inputs.claude.contains(where: { $0.document.value.at("sandbox.enabled")?.boolValue == true }) else {
                return []
            }
            let target = inputs.claude.first { $0.scope == .user } ?? inputs.claude[0]
            return [Hit("No settings scope sets sandbox.enabled=true.", file: target.document.path)]
        },
        Check(
            "claude.mcp.project_servers_auto_enabled", .warn, .permissions, source: .claude,
            covers: ["permissions.no_wildcard"],
            title: "Claude Code trusts every MCP server a project declares",
            remediation: "Remove enableAllProjectMcpServers; approve project MCP servers one by one (enabledMcpjsonServers)."
        ) { inputs in
            inputs.claude.compactMap { settings in
                guard settings.document.value["enableAllProjectMcpServers"]?.boolValue == true else { return nil }
                return settings.document.hit(
                    "\(settings.scope.rawValue) settings: enableAllProjectMcpServers=true starts any server a cloned repository's .mcp.json names.",
                    at: "enableAllProjectMcpServers")
            }
        },
        Check(
            "claude.permissions.additional_directories_broad", .warn, .sandbox, source: .claude,
            covers: ["sandbox.workspace"],
            title: "Claude Code is given access beyond the project",
            remediation: "Remove /, the home directory and dot-directories from permissions.additionalDirectories."
        ) { inputs in
            let home = inputs.options.home
            return inputs.claude.flatMap { settings in
                (settings.document.value.at("permissions.additionalDirectories")?.stringList ?? []).compactMap { dir in
                    let trimmed = dir.count > 1 && dir.hasSuffix("/") ? String(dir.dropLast()) : dir
                    guard trimmed == "/" || trimmed == "~" || trimmed == home || trimmed == "/etc" || trimmed == "/home"
                        || trimmed.hasSuffix("/.ssh") || trimmed.hasSuffix("/.aws")
                    else { return nil }
                    return settings.document.hit(
                        "\(settings.scope.rawValue) settings: permissions.additionalDirectories includes \(dir).",
                        at: "permissions.additionalDirectories")
                }
            }
        },
        Check(
            "claude.settings.helper_writable", .critical, .credentials, source: .claude, covers: ["config.file_perms"],
            title: "A Claude Code hook or apiKeyHelper script is writable by other users",
            remediation: "chmod go-w the script (and its directory); another user could run code as you through it."
        ) { inputs in
            var hits: [Hit] = []
            for settings in inputs.claude {
                var commands: [(String, String)] = []
                if let helper = settings.document.value["apiKeyHelper"]?.stringValue {
                    commands.append(("apiKeyHelper", helper))
                }
                settings.document.value["hooks"]?.walk { path, value in
                    if path.last == "command", let command = value.stringValue { commands.append(("hooks", command)) }
                }
                for (key, command) in commands {
                    guard let program = command.split(separator: " ").first.map(String.init), program.hasPrefix("/"),
                        let status = inputs.host.statusFollowingLinks(program),
                        status.groupWritable || status.worldWritable
                    else { continue }
                    hits.append(settings.document.hit("\(key) runs \(program), mode \(status.octal).", at: key))
                }
            }
            return hits
        },
    ]
}
