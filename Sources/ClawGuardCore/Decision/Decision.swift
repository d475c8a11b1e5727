/// The answer ClawGuard gives for one action. Ordered by strictness: `allow < ask < deny`,
/// so combining several results is `max`.
public enum Decision: String, Codable, Sendable, Comparable, CaseIterable {
    case allow, ask, deny

    private var rank: Int {
        switch self {
        case .allow: 0
        case .ask: 1
        case .deny: 2
        }
    }

    public static func < (lhs: Decision, rhs: Decision) -> Bool { lhs.rank < rhs.rank }

    /// The process exit status `clawguard check` uses for this decision (0 allow, 3 ask, 2 deny).
    public var exitCode: Int32 {
        switch self {
        case .allow: 0
        case .ask: 3
        case .deny: 2
        }
    }
}

/// The kinds of risk ClawGuard reports (the `risks[].kind` field of `check --jsonl`).
public enum RiskKind: String, Codable, Sendable, CaseIterable {
    case exec
    case inlineCode = "inline-code"
    case network
    case secretRead = "secret-read"
    case protectedWrite = "protected-write"
    case destructive
    case privilege
    case obfuscation
    case parseError = "parse-error"
    case limit
}

/// One reason an action is risky, naming the part of the input responsible.
public struct Risk: Codable, Sendable, Hashable {
    public var kind: RiskKind
    public var detail: String

    public init(_ kind: RiskKind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }
}
