/// Claude Code's permission modes, with Claude Code's meanings.
public enum PermissionMode: String, Codable, Sendable, CaseIterable {
    case `default`, acceptEdits, plan, dontAsk, bypassPermissions

    /// How strict the mode is; layering keeps the strictest (`plan` > `dontAsk` > `default` > `acceptEdits` >
    /// `bypassPermissions`).
    public var strictness: Int {
        switch self {
        case .bypassPermissions: 0
        case .acceptEdits: 1
        case .default: 2
        case .dontAsk: 3
        case .plan: 4
        }
    }
}

/// The effective policy for one profile: everything the decision engine consults, compiled once at load.
///
/// Rules are kept in evaluation order (every deny, then every ask, then every allow), whatever the order they
/// were written in: a deny anywhere wins.
public struct Policy: Sendable {
    /// The profile this policy was resolved for.
    public var profileName: String
    /// The permission mode (the strictest of all layers).
    public var mode: PermissionMode
    /// The files it was read from, in layer order (`builtin:NAME` for built-in profiles).
    public var sources: [String]
    /// Every permission rule, deny first, then ask, then allow.
    public private(set) var rules: [PermissionRule]
    public var filesystem: FilesystemRules
    public var network: NetworkRules
    /// Built-in protected paths plus the loaded policy files.
    public var protectedPaths: ProtectedPaths
    /// Absolute directories the agent may work in besides the working directory.
    public var additionalDirectories: [String]
    /// Validation warnings (e.g. `bypassPermissions`, ignored Claude settings keys).
    public var warnings: [PolicyIssue]
    /// The home directory and working directory the policy was compiled for.
    public var home: String
    public var cwd: String

    // Sections for later issues.
    public var limits: Limits
    public var budgets: Budgets
    public var loopDetection: LoopDetection
    /// One entry per layer that sets time windows; a call must fit every entry.
    public var timeWindows: [TimeWindows]
    public var sessionTimeoutSeconds: Int?
    /// Observe only: decide and log, but never block.
    public var shadow: Bool
    public var sandbox: SandboxSettings
    public var scanners: ScannerSettings
    public var alerts: [AlertRule]
    public var actions: [String: ActionTarget]

    private var toolIndex: [String: [PermissionRule]]
    private var bashRules: [PermissionRule]

    public init(profileName: String, mode: PermissionMode, sources: [String] = []) {
        self.init(profileName: profileName, mode: mode, sources: sources, rules: [], home: "/nonexistent-home", cwd: "/")
    }

    /// A policy from parts (rules are reordered deny, ask, allow).
    public init(
        profileName: String, mode: PermissionMode, sources: [String], rules: [PermissionRule],
        filesystem: FilesystemRules = FilesystemRules(), network: NetworkRules = NetworkRules(),
        additionalDirectories: [String] = [], warnings: [PolicyIssue] = [], home: String, cwd: String,
        protectedFiles: [String] = []
    ) {
        self.profileName = profileName
        self.mode = mode
        self.sources = sources
        self.rules = []
        self.filesystem = filesystem
        self.network = network
        self.protectedPaths = ProtectedPaths(home: home, extraFiles: protectedFiles)
        self.additionalDirectories = additionalDirectories
        self.warnings = warnings
        self.home = home
        self.cwd = cwd
        limits = Limits()
        budgets = Budgets()
        loopDetection = LoopDetection()
        timeWindows = []
        sessionTimeoutSeconds = nil
        shadow = false
        sandbox = SandboxSettings()
        scanners = ScannerSettings()
        alerts = []
        actions = [:]
        toolIndex = [:]
        bashRules = []
        setRules(rules)
    }

    /// Replaces the rules (deduplicated, ordered deny, ask, allow) and rebuilds the tool index.
    public mutating func setRules(_ newRules: [PermissionRule]) {
        var seen = Set<String>()
        var ordered: [PermissionRule] = []
        for effect in [RuleEffect.deny, .ask, .allow] {
            for rule in newRules where rule.effect == effect && seen.insert("\(effect.rawValue) \(rule.text) \(rule.source)").inserted {
                ordered.append(rule)
            }
        }
        rules = ordered
        var names = Set(ToolFamily.reading).union(ToolFamily.editing).union(ToolFamily.fetching)
        names.formUnion(["Bash", "WebSearch", "Task", "TodoWrite"])
        for rule in ordered { if case .tool(let t) = rule.scope { names.insert(t) } }
        var index: [String: [PermissionRule]] = [:]
        for name in names {
            let matching = ordered.filter { $0.applies(toTool: name) }
            if !matching.isEmpty { index[name] = matching }
        }
        toolIndex = index
        bashRules = index["Bash"] ?? []
    }

    /// The rules that govern `tool`, deny first, then ask, then allow.
    public func rules(matchingTool tool: String) -> [PermissionRule] {
        if let hit = toolIndex[tool] { return hit }
        if tool.hasPrefix("mcp__") { return rules.filter { $0.applies(toTool: tool) } }
        return []
    }

    /// The rules with one effect.
    public func rules(_ effect: RuleEffect) -> [PermissionRule] { rules.filter { $0.effect == effect } }

    /// The first rule (in deny, ask, allow order) matching one simple Bash command (argv joined by spaces).
    public func rule(forCommand command: String) -> PermissionRule? {
        guard !bashRules.isEmpty else { return nil }
        var copy = command
        return copy.withUTF8 { buffer in
            for rule in bashRules {
                switch rule.storage.matcher {
                case .anyUse: return rule
                case .bash(let pattern): if pattern.matches(utf8: buffer) { return rule }
                default: continue
                }
            }
            return nil
        }
    }

    /// The first rule (deny, ask, allow) of a file tool matching an absolute, normalized path.
    public func rule(forTool tool: String, path: String) -> PermissionRule? {
        let list = rules(matchingTool: tool)
        guard !list.isEmpty else { return nil }
        var copy = path
        return copy.withUTF8 { buffer in
            for rule in list {
                switch rule.storage.matcher {
                case .anyUse: return rule
                case .path(let pattern): if pattern.matches(utf8: buffer) { return rule }
                default: continue
                }
            }
            return nil
        }
    }

    /// The first `WebFetch`-style rule (deny, ask, allow) matching a host.
    public func rule(forTool tool: String, host: String) -> PermissionRule? {
        rules(matchingTool: tool).first { $0.matches(host: host) }
    }

    /// The first rule (deny, ask, allow) of any other tool matching its primary argument (`Task(Explore)`).
    public func rule(forTool tool: String, argument: String) -> PermissionRule? {
        rules(matchingTool: tool).first { $0.matches(argument: argument) }
    }

    /// The first rule (deny, ask, allow) governing a tool call with no specifier to match (MCP, plain tools):
    /// only bare-tool rules match.
    public func rule(forBareTool tool: String) -> PermissionRule? {
        rules(matchingTool: tool).first { $0.matcher == .anyUse }
    }

    /// True if an absolute, normalized path is the working directory, one of the additional directories, or
    /// below one of them.
    public func isInWorkspace(_ path: String) -> Bool {
        func under(_ dir: String) -> Bool {
            dir == "/" || path == dir || (path.hasPrefix(dir) && path.utf8.dropFirst(dir.utf8.count).first == UInt8(ascii: "/"))
        }
        return under(cwd) || additionalDirectories.contains(where: under)
    }

    /// Filesystem access including protected paths: a protected path is denied unless `filesystem.unprotect`
    /// names it; otherwise `filesystem.access` decides.
    public func access(_ path: String, write: Bool) -> (outcome: FilesystemOutcome, rule: String?, reason: String) {
        if let p = protectedPaths.match(path), write || p.protectsReads, filesystem.isUnprotected(path) == nil {
            return (.denied, p.pattern, "\(path) is a protected path (\(p.category.rawValue): \(p.description))")
        }
        let r = filesystem.access(path, write: write)
        return (r.outcome, r.rule?.text, r.reason)
    }
}
