import Yams

/// Reads a Claude Code `settings.json` (user, project, local or managed) as a policy layer.
///
/// Consumed keys: `permissions.allow|ask|deny`, `permissions.defaultMode`, `permissions.additionalDirectories`,
/// `sandbox.network.allowedDomains|deniedDomains`, `sandbox.filesystem.allowRead|denyRead|allowWrite|denyWrite`.
/// Other top-level keys (`model`, `env`, `hooks`, …) belong to Claude Code and are ignored; unknown keys inside
/// `permissions` and `sandbox` are warnings (Claude Code adds keys often). Wrong types are errors.
///
/// Paths: `/x` is relative to the settings file's directory — for a file inside a `.claude` directory, the
/// directory above it (the project root), which is what such rules mean in practice.
enum ClaudeSettings {
    static let permissionKeys = [
        "allow", "ask", "deny", "defaultMode", "additionalDirectories", "disableBypassPermissionsMode",
        "disableAutoMode", "allowManagedPermissionRulesOnly",
    ]
    static let sandboxKeys = [
        "enabled", "network", "filesystem", "autoAllowBashIfSandboxed", "excludedCommands",
        "allowUnsandboxedCommands", "enableWeakerNestedSandbox", "ignoreViolations", "failIfUnavailable",
    ]

    static func decode(_ root: YNode, base: PathBase, _ d: inout Diagnostics) -> ProfileLayer {
        var layer = ProfileLayer()
        guard case .mapping = root.node else {
            d.error(root, "Claude Code settings must be a JSON object, found \(root.typeName)")
            return layer
        }
        for (key, v) in root.namedMapping(&d) ?? [] {
            switch key {
            case "permissions": decodePermissions(v, base: base, into: &layer, &d)
            case "sandbox": decodeSandbox(v, base: base, into: &layer, &d)
            default: continue
            }
        }
        return layer
    }

    static func decodePermissions(_ n: YNode, base: PathBase, into layer: inout ProfileLayer, _ d: inout Diagnostics) {
        for (key, v) in n.namedMapping(&d) ?? [] {
            switch key {
            case "allow", "ask", "deny":
                let effect = RuleEffect(rawValue: key)!
                for (text, node) in v.stringList(&d) ?? [] {
                    do {
                        layer.rules.append(try PermissionRule(text, effect: effect, source: node.source, base: base))
                    } catch {
                        d.error(node, ProfileLayer.ruleMessage(error.message, text))
                    }
                }
            case "defaultMode":
                guard let s = v.string(&d) else { continue }
                if let mode = PermissionMode(rawValue: s) {
                    layer.mode = mode
                    if mode == .bypassPermissions {
                        d.warning(v, "bypassPermissions skips every prompt; deny rules and protected paths still hold")
                    }
                } else if s == "auto" {
                    layer.mode = .default
                    d.warning(v, "defaultMode 'auto' has no ClawGuard equivalent; ClawGuard treats it as 'default'")
                } else {
                    d.error(v, "'\(s)' is not a permission mode (\(PermissionMode.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
            case "additionalDirectories":
                for (text, node) in v.stringList(&d) ?? [] {
                    guard !text.isEmpty else { d.error(node, "empty directory"); continue }
                    layer.additionalDirectories.append(ProfileLayer.resolveDirectory(text, base: base))
                }
            case "disableBypassPermissionsMode", "disableAutoMode", "allowManagedPermissionRulesOnly":
                continue
            default:
                d.warning(v, "unknown Claude Code permissions key '\(key)' ignored")
            }
        }
    }

    static func decodeSandbox(_ n: YNode, base: PathBase, into layer: inout ProfileLayer, _ d: inout Diagnostics) {
        for (key, v) in n.namedMapping(&d) ?? [] {
            switch key {
            case "network":
                for (nk, nv) in v.namedMapping(&d) ?? [] {
                    guard nk == "allowedDomains" || nk == "deniedDomains" else { continue }
                    for (text, node) in nv.stringList(&d) ?? [] {
                        do {
                            let rule = try HostRule(text, source: node.source)
                            if nk == "allowedDomains" { layer.network.allow.append(rule) } else { layer.network.deny.append(rule) }
                        } catch {
                            d.error(node, "bad host '\(text)': \(error.message)")
                        }
                    }
                }
            case "filesystem":
                for (fk, fv) in v.namedMapping(&d) ?? [] {
                    let lists = ["allowRead", "denyRead", "allowWrite", "denyWrite"]
                    guard lists.contains(fk) else { continue }
                    for (text, node) in fv.stringList(&d) ?? [] {
                        do {
                            let rule = PathRule(try PathPattern(text, base: base), source: node.source)
                            switch fk {
                            case "allowRead": layer.filesystem.read.append(rule)
                            case "denyRead": layer.filesystem.deny.append(rule)
                            case "allowWrite": layer.filesystem.write.append(rule)
                            default: layer.filesystem.denyWrite.append(rule)
                            }
                        } catch {
                            d.error(node, "bad path '\(text)': \(error.message)")
                        }
                    }
                }
            default:
                if !sandboxKeys.contains(key) { d.warning(v, "unknown Claude Code sandbox key '\(key)' ignored") }
            }
        }
    }

    /// The directory `/x` paths of a settings file start from.
    static func baseDirectory(forSettingsFile path: String) -> String {
        let dir = PathResolver.normalize(path + "/..")
        if dir.hasSuffix("/.claude") { return PathResolver.normalize(dir + "/..") }
        return dir
    }
}
