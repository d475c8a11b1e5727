/// A rule that decided something, for explanations: its text and where it was written.
public struct RuleReference: Sendable, Hashable, CustomStringConvertible {
    /// The rule as written (`Bash(git diff *)`, `deny read ~/.ssh/**`, `network deny *.evil.com`).
    public var text: String
    /// Where it came from (`clawguard.yaml:12`, `built-in profile reviewer`, `built-in protected paths`).
    public var source: String

    public init(text: String, source: String) {
        self.text = text
        self.source = source
    }

    public var description: String { source.isEmpty ? text : "\(text) (\(source))" }
}

/// The permission rules that matched something, one per effect (deny beats ask beats allow).
public struct RuleMatches: Sendable, Hashable {
    public var deny: RuleReference?
    public var ask: RuleReference?
    public var allow: RuleReference?

    public init(deny: RuleReference? = nil, ask: RuleReference? = nil, allow: RuleReference? = nil) {
        self.deny = deny
        self.ask = ask
        self.allow = allow
    }

    /// The strongest match: deny, then ask, then allow.
    public var strongest: (Decision, RuleReference)? {
        if let deny { return (.deny, deny) }
        if let ask { return (.ask, ask) }
        if let allow { return (.allow, allow) }
        return nil
    }
}

/// What the built-in protected-path table says about a path.
public struct ProtectedPathHit: Sendable, Hashable {
    public enum Category: String, Sendable, Hashable {
        /// Keys, tokens, cloud and cluster credentials.
        case credential
        /// The configuration of agents and of ClawGuard itself.
        case agentConfig
        /// Places that make code run later: shell rc files, git hooks, crontabs, service units.
        case persistence
    }
    public var category: Category
    /// The table entry that matched (`~/.ssh/**`).
    public var pattern: String
    /// Why it is protected.
    public var why: String
    /// False for entries that guard against writes only (reading a shell rc file is harmless).
    public var protectsReads: Bool

    public init(category: Category, pattern: String, why: String, protectsReads: Bool = true) {
        self.category = category
        self.pattern = pattern
        self.why = why
        self.protectsReads = protectsReads
    }
}

/// What the network rules say about a destination.
public enum NetworkVerdict: Sendable, Hashable {
    case allowed(RuleReference)
    case denied(RuleReference, reason: String)
    case unlisted(reason: String)
}

/// What the filesystem rules say about one access.
public struct FilesystemVerdict: Sendable, Hashable {
    public var decision: Decision
    public var rule: RuleReference?
    public var reason: String

    public init(decision: Decision, rule: RuleReference?, reason: String) {
        self.decision = decision
        self.rule = rule
        self.reason = reason
    }
}

/// Everything the decision engine needs from a policy. `Policy` conforms; tests may use small doubles.
public protocol DecisionRules: Sendable {
    /// The permission mode.
    var mode: PermissionMode { get }
    /// Directories (besides the working directory) where the agent may work.
    var additionalDirectories: [String] { get }
    /// Rules of `tool` matching a Bash command line (one simple command, argv joined by spaces).
    func bashRules(matching commandLine: String) -> RuleMatches
    /// Every `Bash` rule as (effect, reference, specifier — nil for a bare `Bash`), for the engine to compile.
    func bashRuleList() -> [(effect: Decision, rule: RuleReference, specifier: String?)]
    /// Rules matching a non-Bash tool call. `paths` are the absolute paths it touches, `domain` its host.
    func toolRules(tool: String, paths: [String], domain: String?, cwd: String) -> RuleMatches
    /// The built-in protected-path table entry for an absolute path, if any.
    func protectedPath(_ absolutePath: String) -> ProtectedPathHit?
    /// The filesystem rules' verdict for an access, or nil when they say nothing.
    func filesystem(_ absolutePath: String, access: PathAccessKind, cwd: String) -> FilesystemVerdict?
    /// The network rules' verdict for a destination.
    func network(host: String, port: Int?) -> NetworkVerdict
    /// Resolves a raw path (with `~`, `..`, relative to `cwd`) to an absolute path, following symlinks
    /// where they exist.
    func resolvePath(_ raw: String, cwd: String) -> String
}
