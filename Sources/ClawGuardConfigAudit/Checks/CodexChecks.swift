import ClawGuardCore
import Foundation

/// Codex `config.toml` (top level and `[profiles.<name>]`) and its rules files.
enum CodexChecks {
    /// (key path prefix, table) for the top level and each profile.
    static func scopes(_ config: CodexConfig) -> [(prefix: String, value: JSONValue)] {
        var result: [(String, JSONValue)] = [("", config.document.value)]
        for (name, profile) in (config.document.value["profiles"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            result.append(("profiles.\(name).", profile))
        }
        return result
    }

    static let all: [Check] = [
        Check(
            "codex.sandbox.danger_full_access", .critical, .sandbox, source: .codex,
            covers: ["sandbox.enabled", "permissions.default_mode"],
            title: "Codex runs without its sandbox",
            remediation: "Use sandbox_mode = \"workspace-write\" (or \"read-only\")."
        ) { inputs in
            inputs.codex.flatMap { config in
                scopes(config).compactMap { scope in
                    guard scope.value["sandbox_mode"]?.stringValue == "danger-full-access" else { return nil }
                    let approval =
                        scope.value["approval_policy"]?.stringValue
                        ?? config.document.value["approval_policy"]?.stringValue
                    return config.document.hit(
                        "\(scope.prefix)sandbox_mode = \"danger-full-access\""
                            + (approval == "never"
                                ? " with approval_policy = \"never\": commands run unsandboxed and unasked." : "."),
                        at: scope.prefix + "sandbox_mode", severity: approval == "never" ? .critical : .warn)
                }
            }
        },
        Check(
            "codex.approval.never", .warn, .permissions, source: .codex, covers: ["permissions.default_mode"],
            title: "Codex never asks for approval outside read-only",
            remediation: "Use approval_policy = \"on-request\" (or \"untrusted\") unless the sandbox is read-only."
        ) { inputs in
            inputs.codex.flatMap { config in
                scopes(config).compactMap { scope in
                    guard scope.value["approval_policy"]?.stringValue == "never" else { return nil }
                    let mode =
                        scope.value["sandbox_mode"]?.stringValue ?? config.document.value["sandbox_mode"]?.stringValue
                    guard mode != "read-only", mode != "danger-full-access" else { return nil }
                    return config.document.hit(
                        "\(scope.prefix)approval_policy = \"never\" with sandbox_mode = \(mode.map { "\"\($0)\"" } ?? "default").",
                        at: scope.prefix + "approval_policy")
                }
            }
        },
        Check(
            "codex.sandbox.network_enabled", .warn, .sandbox, source: .codex,
            covers: ["sandbox.network", "permissions.network_restricted"],
            title: "Codex sandbox allows network access",
            remediation:
                "Set network_access = false in [sandbox_workspace_write], or enable the network proxy with a domain allowlist."
        ) { inputs in
            inputs.codex.flatMap { config in
                scopes(config).compactMap { scope in
                    guard scope.value.at("sandbox_workspace_write.network_access")?.boolValue == true else {
                        return nil
                    }
                    let proxied = config.document.value.at("features.network_proxy")?.boolValue == true
                    return config.document.hit(
                        "\(scope.prefix)sandbox_workspace_write.network_access = true"
                            + (proxied ? " (network proxy on)." : " with no allowlist proxy."),
                        at: scope.prefix + "sandbox_workspace_write.network_access", severity: proxied ? .info : .warn)
                }
            }
        },
        Check(
            "codex.sandbox.writable_roots_broad", .warn, .sandbox, source: .codex, covers: ["sandbox.workspace"],
            title: "Codex sandbox can write outside the workspace",
            remediation: "Remove home, / and dot-directories from writable_roots."
        ) { inputs in
            let home = inputs.options.home
            return inputs.codex.flatMap { config in
                scopes(config).flatMap { scope in
                    (scope.value.at("sandbox_workspace_write.writable_roots")?.stringList ?? []).compactMap { root in
                        let trimmed = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
                        guard
                            trimmed == "/" || trimmed == home || trimmed == "~" || trimmed == "/etc"
                                || trimmed == "/home"
                                || trimmed.hasSuffix("/.ssh") || trimmed.hasSuffix("/.aws")
                        else { return nil }
                        return config.document.hit(
                            "\(scope.prefix)sandbox_workspace_write.writable_roots includes \(root).",
                            at: scope.prefix + "sandbox_workspace_write.writable_roots")
                    }
                }
            }
        },
        Check(
            "codex.hooks.command_writable", .critical, .credentials, source: .codex, covers: ["config.file_perms"],
            title: "A Codex hook or notify program is writable by other users",
            remediation: "chmod go-w the program; another user could run code as you through it."
        ) { inputs in
            inputs.codex.flatMap { config -> [Hit] in
                var programs: [(String, String)] = []
                config.document.value.walk { path, value in
                    guard let key = path.last(where: { Int($0) == nil }), key == "command" || key == "notify" else {
                        return
                    }
                    let first =
                        value.stringValue.map { String($0.split(separator: " ").first ?? "") } ?? value.stringList.first
                    if let program = first, program.hasPrefix("/") {
                        programs.append((path.joined(separator: "."), program))
                    }
                }
                return programs.compactMap { path, program in
                    guard let status = inputs.host.statusFollowingLinks(program),
                        status.groupWritable || status.worldWritable
                    else { return nil }
                    return config.document.hit("\(path) runs \(program), mode \(status.octal).", at: path)
                }
            }
        },
        Check(
            "codex.rules.broad_allow", .warn, .permissions, source: .codex, covers: ["permissions.bash_filtering"],
            title: "A Codex rule allows a shell or interpreter wholesale",
            remediation: "Narrow the prefix_rule pattern to specific subcommands, or use decision = \"prompt\"."
        ) { inputs in
            // Rules files are Starlark; this is a best-effort reading of prefix_rule(pattern = [...], decision = ...):
            // a pattern of one element (or one list of alternatives) naming an interpreter, with decision "allow"
            // or no decision (Codex's default is allow).
            inputs.codex.flatMap { config in
                config.rules.flatMap { rules -> [Hit] in
                    rules.text.components(separatedBy: "prefix_rule(").dropFirst().compactMap { call -> Hit? in
                        let compact = call.replacingOccurrences(of: " ", with: "")
                        if let range = compact.range(of: "decision=\""),
                            !compact[range.upperBound...].hasPrefix("allow")
                        {
                            return nil
                        }
                        guard let elements = patternElements(call), elements.count == 1,
                            let interpreter = elements[0].first(where: Interpreters.isInterpreter)
                        else { return nil }
                        let line = LineLocator.line(of: [interpreter], in: rules.text)
                        return Hit(
                            "\((rules.path as NSString).lastPathComponent): prefix_rule allows every \(interpreter) command.",
                            file: rules.path, line: line)
                    }
                }
            }
        },
    ]

    /// The top-level elements of a `pattern = [...]` list: each a string or a list of alternative strings.
    static func patternElements(_ call: String) -> [[String]]? {
        guard let key = call.range(of: "pattern"), let open = call[key.upperBound...].firstIndex(of: "[") else {
            return nil
        }
        var depth = 0
        var elements: [[String]] = []
        var current: [String] = []
        var token = ""
        var inString: Character?
        for character in call[open...] {
            if let quote = inString {
                if character == quote {
                    inString = nil
                    current.append(token)
                    token = ""
                } else {
                    token.append(character)
                }
                continue
            }
            switch character {
            case "\"", "'": inString = character
            case "[": depth += 1
            case "]":
                depth -= 1
                if depth == 0 {
                    if !current.isEmpty { elements.append(current) }
                    return elements
                }
            case "," where depth == 1:
                if !current.isEmpty { elements.append(current) }
                current = []
            default: break
            }
        }
        return nil
    }
}
