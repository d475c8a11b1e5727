/// One filesystem glob of a policy's `filesystem` section, with where it was written.
public struct PathRule: Sendable, Hashable, CustomStringConvertible {
    public let pattern: PathPattern
    public let source: RuleSource?

    public init(_ pattern: PathPattern, source: RuleSource? = nil) {
        self.pattern = pattern
        self.source = source
    }

    /// The pattern as written.
    public var text: String { pattern.text }
    public var description: String { pattern.text }
}

/// The answer of `FilesystemRules.access`.
public enum FilesystemOutcome: String, Sendable, Hashable {
    /// A read (or write) glob covers the path.
    case allowed
    /// A deny glob covers the path.
    case denied
    /// No glob mentions the path: the engine applies the mode's default.
    case unlisted
}

/// The filesystem section: where an agent may read and write, and where it may not.
///
/// `deny` blocks reads and writes; `deny_write` blocks writes only; `write` implies `read`. Deny beats allow
/// whatever the order. `unprotect` lifts built-in path protections for the paths it names (see `ProtectedPaths`).
public struct FilesystemRules: Sendable, Hashable {
    public var read: [PathRule]
    public var write: [PathRule]
    public var deny: [PathRule]
    public var denyWrite: [PathRule]
    public var unprotect: [PathRule]

    public init(
        read: [PathRule] = [], write: [PathRule] = [], deny: [PathRule] = [], denyWrite: [PathRule] = [],
        unprotect: [PathRule] = []
    ) {
        self.read = read
        self.write = write
        self.deny = deny
        self.denyWrite = denyWrite
        self.unprotect = unprotect
    }

    /// Decides access to an absolute, normalized path.
    /// - Returns: the outcome, the rule that decided (nil when unlisted) and a human-readable reason.
    public func access(_ path: String, write isWrite: Bool) -> (outcome: FilesystemOutcome, rule: PathRule?, reason: String) {
        let verb = isWrite ? "writing" : "reading"
        if let rule = deny.first(where: { $0.pattern.matches(path) }) {
            return (.denied, rule, "\(verb) \(path) is denied by filesystem.deny '\(rule.text)'")
        }
        if isWrite, let rule = denyWrite.first(where: { $0.pattern.matches(path) }) {
            return (.denied, rule, "writing \(path) is denied by filesystem.deny_write '\(rule.text)'")
        }
        if let rule = write.first(where: { $0.pattern.matches(path) }) {
            return (.allowed, rule, "\(verb) \(path) is allowed by filesystem.write '\(rule.text)'")
        }
        if !isWrite, let rule = read.first(where: { $0.pattern.matches(path) }) {
            return (.allowed, rule, "reading \(path) is allowed by filesystem.read '\(rule.text)'")
        }
        return (.unlisted, nil, "no filesystem rule mentions \(path)")
    }

    /// True if an `unprotect` entry lifts built-in protection for `path`.
    public func isUnprotected(_ path: String) -> PathRule? {
        unprotect.first(where: { $0.pattern.matches(path) })
    }

    var isEmpty: Bool { read.isEmpty && write.isEmpty && deny.isEmpty && denyWrite.isEmpty && unprotect.isEmpty }
}
