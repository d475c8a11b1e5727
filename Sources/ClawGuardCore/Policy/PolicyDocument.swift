import Yams

/// What one profile body (or a file's top-level defaults, or a Claude settings file) contributes.
struct ProfileLayer: Sendable {
    var description: String?
    var extends: String?
    var extendsNode: RuleSource?
    var mode: PermissionMode?
    var rules: [PermissionRule] = []
    var filesystem = FilesystemRules()
    var network = NetworkRules()
    var additionalDirectories: [String] = []
    var limits: Limits?
    var budgets: Budgets?
    var loopDetection: LoopDetection?
    var timeWindows: TimeWindows?
    var sessionTimeout: Int?
    var shadow: Bool?
    var sandbox: SandboxSettings?
    var scanners: ScannerSettings?
    var alerts: [AlertRule] = []
    var actions: [String: ActionTarget] = [:]

    /// Keys a profile body accepts (the top level accepts these too, as defaults for every profile).
    static let profileKeys = [
        "description", "extends", "mode", "permissions", "filesystem", "network", "additional_directories", "limits",
        "budgets", "loop_detection", "time_windows", "session_timeout", "shadow", "sandbox", "scanners",
    ]
    static let topLevelOnlyKeys = ["version", "default_profile", "profiles", "alerts", "actions"]

    /// Inheritance inside one file: the child's scalars and sections replace the parent's; rules and lists add up.
    func inheriting(from parent: ProfileLayer) -> ProfileLayer {
        var r = parent
        r.description = description ?? parent.description
        r.extends = extends
        r.mode = mode ?? parent.mode
        r.rules = parent.rules + rules
        r.filesystem = FilesystemRules(
            read: parent.filesystem.read + filesystem.read, write: parent.filesystem.write + filesystem.write,
            deny: parent.filesystem.deny + filesystem.deny, denyWrite: parent.filesystem.denyWrite + filesystem.denyWrite,
            unprotect: parent.filesystem.unprotect + filesystem.unprotect)
        r.network = NetworkRules(
            allow: parent.network.allow + network.allow, deny: parent.network.deny + network.deny,
            allowPorts: network.allowPorts.isEmpty ? parent.network.allowPorts : network.allowPorts)
        r.additionalDirectories = parent.additionalDirectories + additionalDirectories
        r.limits = limits ?? parent.limits
        r.budgets = budgets ?? parent.budgets
        r.loopDetection = loopDetection ?? parent.loopDetection
        r.timeWindows = timeWindows ?? parent.timeWindows
        r.sessionTimeout = sessionTimeout ?? parent.sessionTimeout
        r.shadow = shadow ?? parent.shadow
        r.sandbox = sandbox ?? parent.sandbox
        r.scanners = scanners ?? parent.scanners
        r.alerts = parent.alerts + alerts
        r.actions = parent.actions.merging(actions) { _, child in child }
        return r
    }

    /// Decodes the profile keys of a mapping (a profile body or the top level); other keys are handled by the
    /// caller and must be listed in `extraKeys`.
    static func decode(
        _ n: YNode, extraKeys: [String], base: PathBase, _ d: inout Diagnostics
    ) -> (ProfileLayer, [(key: String, value: YNode)]) {
        var layer = ProfileLayer()
        var extra: [(String, YNode)] = []
        for (key, v) in n.mapping(&d, allowed: profileKeys + extraKeys) ?? [] {
            switch key {
            case "description": layer.description = v.string(&d)
            case "extends":
                layer.extends = v.string(&d)
                layer.extendsNode = v.source
            case "mode":
                if let s = v.choice(&d, PermissionMode.allCases.map(\.rawValue)) {
                    layer.mode = PermissionMode(rawValue: s)
                    if layer.mode == .bypassPermissions {
                        d.warning(v, "bypassPermissions skips every prompt; deny rules and protected paths still hold")
                    }
                }
            case "permissions":
                for (effectName, list) in v.mapping(&d, allowed: ["allow", "ask", "deny"]) ?? [] {
                    let effect = RuleEffect(rawValue: effectName)!
                    for (text, node) in list.stringList(&d) ?? [] {
                        do {
                            layer.rules.append(try PermissionRule(text, effect: effect, source: node.source, base: base))
                        } catch {
                            d.error(node, ruleMessage(error.message, text))
                        }
                    }
                }
            case "filesystem":
                let keys = ["read", "write", "deny", "deny_write", "unprotect"]
                for (listName, list) in v.mapping(&d, allowed: keys) ?? [] {
                    var rules: [PathRule] = []
                    for (text, node) in list.stringList(&d) ?? [] {
                        do { rules.append(PathRule(try PathPattern(text, base: base), source: node.source)) } catch {
                            d.error(node, "bad path glob '\(text)': \(error.message)")
                        }
                    }
                    switch listName {
                    case "read": layer.filesystem.read += rules
                    case "write": layer.filesystem.write += rules
                    case "deny": layer.filesystem.deny += rules
                    case "deny_write": layer.filesystem.denyWrite += rules
                    default: layer.filesystem.unprotect += rules
                    }
                }
            case "network":
                for (listName, list) in v.mapping(&d, allowed: ["allow", "deny", "allow_ports"]) ?? [] {
                    if listName == "allow_ports" {
                        for item in list.list(&d) ?? [] {
                            if let p = item.int(&d, in: 1...65535) { layer.network.allowPorts.append(p) }
                        }
                        continue
                    }
                    for (text, node) in list.stringList(&d) ?? [] {
                        do {
                            let rule = try HostRule(text, source: node.source)
                            if listName == "allow" { layer.network.allow.append(rule) } else { layer.network.deny.append(rule) }
                        } catch {
                            d.error(node, "bad host '\(text)': \(error.message)")
                        }
                    }
                }
            case "additional_directories":
                for (text, node) in v.stringList(&d) ?? [] {
                    guard !text.isEmpty else { d.error(node, "empty directory"); continue }
                    layer.additionalDirectories.append(resolveDirectory(text, base: base))
                }
            case "limits": layer.limits = Limits.decode(v, &d)
            case "budgets": layer.budgets = Budgets.decode(v, &d)
            case "loop_detection": layer.loopDetection = LoopDetection.decode(v, &d)
            case "time_windows": layer.timeWindows = TimeWindows.decode(v, &d)
            case "session_timeout": layer.sessionTimeout = v.duration(&d)
            case "shadow": layer.shadow = v.bool(&d)
            case "sandbox": layer.sandbox = SandboxSettings.decode(v, &d)
            case "scanners": layer.scanners = ScannerSettings.decode(v, &d)
            default: extra.append((key, v))
            }
        }
        return (layer, extra)
    }

    static func ruleMessage(_ message: String, _ text: String) -> String {
        // PermissionRule messages start with "file:line:col: "; the issue already carries the location.
        if let range = message.firstRange(of: ": rule '") { return String(message[message.index(after: range.lowerBound)...]).trimmingSpaces() }
        return message
    }

    /// A directory as written (`~/x`, `//abs`, `/x` policy-relative, `x` cwd-relative) → absolute path.
    static func resolveDirectory(_ text: String, base: PathBase) -> String {
        if text.hasPrefix("//") { return PathResolver.normalize(String(text.dropFirst())) }
        if text.hasPrefix("/") {
            return PathResolver.normalize((base.policyDirectory ?? "") + text)
        }
        return PathResolver(home: base.home, followSymlinks: false).lexicalPath(text, cwd: base.cwd)
    }
}

/// One parsed ClawGuard policy file: its top-level defaults and its named profiles.
struct PolicyFile: Sendable {
    var path: String
    var defaultProfile: String?
    var defaults: ProfileLayer
    var profiles: [String: ProfileLayer]
    var profileSources: [String: RuleSource]
    var alerts: [AlertRule]
    var actions: [String: ActionTarget]

    /// Decodes a ClawGuard YAML document.
    static func decode(_ root: YNode, base: PathBase, _ d: inout Diagnostics) -> PolicyFile {
        var file = PolicyFile(
            path: root.file, defaultProfile: nil, defaults: ProfileLayer(), profiles: [:], profileSources: [:], alerts: [],
            actions: [:])
        guard case .mapping = root.node else {
            d.error(root, "a policy file must be a mapping (version, profiles, …), found \(root.typeName)")
            return file
        }
        let (defaults, extra) = ProfileLayer.decode(root, extraKeys: ProfileLayer.topLevelOnlyKeys, base: base, &d)
        file.defaults = defaults
        if defaults.extends != nil {
            d.error(root, "'extends' belongs in a profile, not at the top level")
        }
        var sawVersion = false
        for (key, v) in extra {
            switch key {
            case "version":
                sawVersion = true
                if let n = v.int(&d, in: 0...Int.max), n != 1 {
                    d.error(v, "unsupported version \(n); this ClawGuard reads version 1")
                }
            case "default_profile":
                file.defaultProfile = v.string(&d)
            case "profiles":
                for (name, body) in v.namedMapping(&d) ?? [] {
                    let (layer, _) = ProfileLayer.decode(body, extraKeys: [], base: base, &d)
                    file.profiles[name] = layer
                    file.profileSources[name] = body.source
                }
            case "alerts":
                var names = Set<String>()
                for item in v.list(&d) ?? [] {
                    if let alert = AlertRule.decode(item, &d) {
                        if !names.insert(alert.name).inserted { d.error(item, "duplicate alert name '\(alert.name)'") }
                        file.alerts.append(alert)
                    }
                }
            case "actions":
                for (name, body) in v.namedMapping(&d) ?? [] {
                    if let target = ActionTarget.decode(body, &d) { file.actions[name] = target }
                }
            default: break
            }
        }
        if !sawVersion { d.error(root, "missing 'version: 1' at the top of the policy") }
        // Alerts and actions are global: they reach every profile through the file's defaults.
        file.defaults.alerts = file.alerts
        file.defaults.actions = file.actions
        for alert in file.alerts {
            for action in alert.actions where !ActionTarget.builtinNames.contains(action) && file.actions[action] == nil {
                d.issues.append(
                    PolicyIssue(
                        .error, file: alert.source.file, line: alert.source.line, column: alert.source.column,
                        key: "alerts", "alert '\(alert.name)' names unknown action '\(action)' (define it under 'actions', or use log, terminate_session or kill_switch)"))
            }
        }
        // Every extends chain must end in a known profile, without cycles.
        for (name, layer) in file.profiles {
            var seen: [String] = [name]
            var current = layer
            while let parent = current.extends {
                let src = current.extendsNode ?? file.profileSources[name] ?? RuleSource(file: file.path)
                if seen.contains(parent) {
                    if seen.first == name {
                        let own = layer.extendsNode ?? src
                        d.issues.append(
                            PolicyIssue(.error, file: own.file, line: own.line, column: own.column, key: "profiles.\(name).extends",
                                "cycle in extends: \((seen + [parent]).joined(separator: " → "))"))
                    }
                    break
                }
                if let next = file.profiles[parent] {
                    seen.append(parent)
                    current = next
                } else if BuiltinProfiles.names.contains(parent) {
                    break
                } else {
                    let known = (Array(file.profiles.keys).sorted() + BuiltinProfiles.names).joined(separator: ", ")
                    d.issues.append(
                        PolicyIssue(.error, file: src.file, line: src.line, column: src.column, key: "profiles.\(seen.last!).extends",
                            "unknown profile '\(parent)' in extends; known profiles: \(known)"))
                    break
                }
            }
        }
        if let dp = file.defaultProfile, file.profiles[dp] == nil, !BuiltinProfiles.names.contains(dp) {
            d.issues.append(
                PolicyIssue(.error, file: file.path, key: "default_profile",
                    "default_profile '\(dp)' is neither defined under 'profiles' nor a built-in profile"))
        }
        return file
    }

    /// The layer of profile `name` in this file (parents first, then the file's defaults, then the body).
    /// Returns nil when the file does not define it. Built-in parents come from `BuiltinProfiles`.
    func resolve(_ name: String, base: PathBase, visiting: [String] = []) throws(ClawGuardError) -> ProfileLayer? {
        guard let body = profiles[name] else { return nil }
        guard !visiting.contains(name) else {
            throw ClawGuardError(.invalidPolicy, "\(path): cycle in extends: \((visiting + [name]).joined(separator: " → "))")
        }
        var parent = ProfileLayer()
        if let p = body.extends {
            if let local = try resolve(p, base: base, visiting: visiting + [name]) {
                parent = local
            } else if let builtin = try BuiltinProfiles.layer(p, base: PathBase(home: base.home, cwd: base.cwd)) {
                parent = builtin
            } else {
                throw ClawGuardError(.invalidPolicy, "\(path): profile '\(name)' extends unknown profile '\(p)'")
            }
        }
        return body.inheriting(from: defaults.inheriting(from: parent))
    }
}
