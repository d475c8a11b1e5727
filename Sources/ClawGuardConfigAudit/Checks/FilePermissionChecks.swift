import ClawGuardCore
import Foundation

/// File and directory permissions of configuration, state and credentials (600 for files, 700 for
/// directories). Each target is a row; each row's rules are ordered and the first that matches reports, as
/// OpenClaw's own audit does. These are the only findings `--fix` acts on.
enum FilePermissionChecks {
    struct Rule {
        var suffix: String
        var severity: Severity
        var what: String
        var matches: @Sendable (FileStatus) -> Bool
    }

    struct Target {
        var prefix: String
        var label: String
        var directory: Bool
        var openClawIds: Bool
        var rules: [Rule]
        var paths: @Sendable (AuditInputs) -> [String]
    }

    static let writable = { @Sendable (s: FileStatus) in s.groupWritable || s.worldWritable }
    static let readable = { @Sendable (s: FileStatus) in s.groupReadable || s.worldReadable }

    static func configRules() -> [Rule] {
        [
            Rule(suffix: "perms_writable", severity: .critical, what: "writable by other users", matches: writable),
            Rule(
                suffix: "perms_world_readable", severity: .critical, what: "world-readable",
                matches: { $0.worldReadable }),
            Rule(
                suffix: "perms_group_readable", severity: .warn, what: "group-readable", matches: { $0.groupReadable }),
        ]
    }

    static func secretRules() -> [Rule] {
        [
            Rule(suffix: "perms_writable", severity: .critical, what: "writable by other users", matches: writable),
            Rule(suffix: "perms_readable", severity: .warn, what: "readable by other users", matches: readable),
        ]
    }

    static func agentFileRules() -> [Rule] {
        [
            Rule(suffix: "perms_writable", severity: .critical, what: "writable by other users", matches: writable),
            Rule(suffix: "perms_readable", severity: .info, what: "readable by other users", matches: readable),
        ]
    }

    static let targets: [Target] = [
        Target(
            prefix: "fs.state_dir", label: "OpenClaw state directory", directory: true, openClawIds: true,
            rules: [
                Rule(
                    suffix: "perms_world_writable", severity: .critical, what: "world-writable",
                    matches: { $0.worldWritable }),
                Rule(
                    suffix: "perms_group_writable", severity: .warn, what: "group-writable",
                    matches: { $0.groupWritable }),
                Rule(suffix: "perms_readable", severity: .warn, what: "readable by other users", matches: readable),
            ],
            paths: { inputs in [inputs.openClawStateDir] }),
        Target(
            prefix: "fs.config", label: "OpenClaw config file", directory: false, openClawIds: true,
            rules: configRules(),
            paths: { inputs in inputs.openClaw.map { [$0.configPath] } ?? [] }),
        Target(
            prefix: "fs.config_include", label: "OpenClaw $include file", directory: false, openClawIds: true,
            rules: configRules(), paths: { inputs in inputs.openClaw?.includes.map(\.path) ?? [] }),
        Target(
            prefix: "fs.credentials_dir", label: "OpenClaw credentials directory", directory: true, openClawIds: true,
            rules: secretRules(), paths: { inputs in [inputs.openClawStateDir + "/credentials"] }),
        Target(
            prefix: "fs.auth_profiles", label: "OpenClaw auth profile store", directory: false, openClawIds: true,
            rules: secretRules(),
            paths: { inputs in
                let agents = inputs.openClawStateDir + "/agents"
                return inputs.host.list(agents).map { agents + "/" + $0 + "/agent/auth-profiles.json" }
            }),
        Target(
            prefix: "fs.log_file", label: "OpenClaw audit log", directory: false, openClawIds: true,
            rules: [
                Rule(suffix: "perms_readable", severity: .warn, what: "readable by other users", matches: readable)
            ],
            paths: { inputs in inputs.openClaw?.value.at("logging.auditLog")?.stringValue.map { [$0] } ?? [] }),
        Target(
            prefix: "host.fs.exec_approvals", label: "OpenClaw exec approvals", directory: false, openClawIds: false,
            rules: secretRules(),
            paths: { inputs in
                [inputs.openClawStateDir + "/exec-approvals.json", inputs.openClawStateDir + "/state/openclaw.sqlite"]
            }),
        Target(
            prefix: "host.fs.claude_settings", label: "Claude Code settings file", directory: false, openClawIds: false,
            rules: agentFileRules(),
            paths: { inputs in inputs.claude.filter { $0.scope != .managed }.map(\.document.path) }),
        Target(
            prefix: "host.fs.codex_config", label: "Codex config file", directory: false, openClawIds: false,
            rules: agentFileRules(), paths: { inputs in inputs.codex.map(\.document.path) }),
        Target(
            prefix: "host.fs.clawguard_policy", label: "ClawGuard policy", directory: false, openClawIds: false,
            rules: agentFileRules(), paths: { inputs in inputs.clawguardPolicy.map { [$0.path] } ?? [] }),
    ]

    static var all: [Check] {
        targets.flatMap { target in
            target.rules.enumerated().map { index, rule in
                Check(
                    "\(target.prefix).\(rule.suffix)", rule.severity, .host,
                    source: target.openClawIds ? .openclaw : .host, covers: ["config.file_perms"],
                    openClawId: target.openClawIds, title: "\(target.label) is \(rule.what)",
                    remediation: "chmod \(target.directory ? "700" : "600") the path (clawguard audit --fix does it)."
                ) { inputs in
                    target.paths(inputs).compactMap { path in
                        guard let link = inputs.host.status(path) else { return nil }
                        if link.kind == .symlink && !target.directory && target.prefix == "fs.config" { return nil }
                        guard let status = inputs.host.statusFollowingLinks(path),
                            target.rules.firstIndex(where: { $0.matches(status) }) == index
                        else { return nil }
                        let mode: UInt16 = target.directory ? 0o700 : 0o600
                        return Hit(
                            "\(path) has mode \(status.octal) (\(rule.what)); expected \(String(mode, radix: 8)).",
                            file: path, fix: PermissionFix(path: inputs.host.realPath(path) ?? path, mode: mode))
                    }
                }
            }
        } + [
            Check(
                "fs.state_dir.symlink", .warn, .host, source: .openclaw, covers: ["config.file_perms"],
                openClawId: true,
                title: "State dir is a symlink",
                remediation: "Keep ~/.openclaw a real directory, or treat the link target as an extra trust boundary."
            ) { inputs in
                guard inputs.host.status(inputs.openClawStateDir)?.kind == .symlink else { return [] }
                return [
                    Hit(
                        "\(inputs.openClawStateDir) is a symlink to \(inputs.host.realPath(inputs.openClawStateDir) ?? "?").",
                        file: inputs.openClawStateDir)
                ]
            },
            Check(
                "fs.config.symlink", .warn, .host, source: .openclaw, covers: ["config.file_perms"], openClawId: true,
                title: "Config file is a symlink",
                remediation: "Replace with a regular file or point OPENCLAW_CONFIG_PATH at the real file."
            ) { inputs in
                guard inputs.openClaw != nil, inputs.host.status(inputs.openClawConfigPath)?.kind == .symlink else {
                    return []
                }
                return [
                    Hit(
                        "\(inputs.openClawConfigPath) is a symlink to \(inputs.host.realPath(inputs.openClawConfigPath) ?? "?").",
                        file: inputs.openClawConfigPath)
                ]
            },
            Check(
                "host.fs.config_dir_symlink", .info, .host, source: .host, covers: ["config.file_perms"],
                title: "Agent config directory is a symlink",
                remediation: "Make sure the link target has the same owner and 700 permissions."
            ) { inputs in
                [
                    inputs.options.home + "/.claude", inputs.options.home + "/.codex",
                    inputs.options.home + "/.clawguard",
                ].compactMap { path in
                    guard inputs.host.status(path)?.kind == .symlink else { return nil }
                    return Hit("\(path) is a symlink to \(inputs.host.realPath(path) ?? "?").", file: path)
                }
            },
            Check(
                "fs.synced_dir", .warn, .host, source: .any, covers: ["config.file_perms"], openClawId: true,
                title: "Agent state or config lives in a synced folder",
                remediation: "Move config and state off iCloud/Dropbox/Drive/OneDrive folders."
            ) { inputs in
                let markers = [
                    "/Dropbox", "/Mobile Documents", "/iCloud", "/Google Drive", "/GoogleDrive", "/OneDrive",
                    "/Library/CloudStorage",
                ]
                var paths = [inputs.openClawStateDir, inputs.openClawConfigPath]
                paths += inputs.claude.map(\.document.path) + inputs.codex.map(\.document.path)
                return Set(paths.map { inputs.host.realPath($0) ?? $0 }).sorted().compactMap { path in
                    guard inputs.host.status(path) != nil, let marker = markers.first(where: { path.contains($0) })
                    else { return nil }
                    return Hit("\(path) is inside a synced folder (\(marker.dropFirst())).", file: path)
                }
            },
        ]
    }
}
