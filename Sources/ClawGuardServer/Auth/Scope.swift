/// A permission a token carries, as in the reference design: `chat`, `sessions:read`, … and the wildcards
/// `skills:*` (every `skills:` scope) and `*` (everything).
public struct Scope: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var name: String

    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { self.name = value }
    public init(from decoder: any Decoder) throws { name = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }

    public var description: String { name }

    public static let chat: Scope = "chat"
    public static let sessionsRead: Scope = "sessions:read"
    public static let sessionsWrite: Scope = "sessions:write"
    public static let configRead: Scope = "config:read"
    public static let configWrite: Scope = "config:write"
    public static let healthRead: Scope = "health:read"
    public static let approvalsWrite: Scope = "approvals:write"
    public static let auditRead: Scope = "audit:read"
    public static let skillsAll: Scope = "skills:*"
    public static let all: Scope = "*"

    /// Every scope a token may be given (the table `token create` validates against).
    public static let known: [Scope] = [chat, sessionsRead, sessionsWrite, configRead, configWrite, healthRead, approvalsWrite,
                                        auditRead, skillsAll, all]

    /// Whether `name` is a scope a token may carry: a known one or a `skills:NAME`.
    public static func isValid(_ name: String) -> Bool {
        known.contains(Scope(name)) || (name.hasPrefix("skills:") && name.count > 7 && !name.contains(" "))
    }

    /// Whether holding `self` grants `required`.
    public func grants(_ required: Scope) -> Bool {
        if self == .all || self == required { return true }
        if name.hasSuffix(":*") { return required.name.hasPrefix(name.dropLast()) }
        return false
    }
}

extension Array where Element == Scope {
    /// Whether any of these scopes grants `required`.
    public func grant(_ required: Scope) -> Bool { contains { $0.grants(required) } }
}
