/// What a permission rule does when it matches. Evaluation order is deny, then ask, then allow, whatever the
/// order the rules were written in (Claude Code's semantics).
public enum RuleEffect: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case allow, ask, deny

    /// The decision this effect produces.
    public var decision: Decision {
        switch self {
        case .allow: .allow
        case .ask: .ask
        case .deny: .deny
        }
    }

    public static func < (lhs: RuleEffect, rhs: RuleEffect) -> Bool { lhs.decision < rhs.decision }
}

/// The tool families path rules apply to (Claude Code's semantics: `Read(...)` rules govern every reading tool,
/// `Edit(...)` rules every editing tool).
public enum ToolFamily {
    /// Tools whose path rules are written `Read(...)`.
    public static let reading: Set<String> = ["Read", "Glob", "Grep", "LS", "NotebookRead"]
    /// Tools whose path rules are written `Edit(...)`.
    public static let editing: Set<String> = ["Edit", "Write", "MultiEdit", "NotebookEdit"]
    /// Tools whose specifier is `domain:<host>`.
    public static let fetching: Set<String> = ["WebFetch"]
}

/// What a rule's specifier compiles to.
public enum RuleMatcher: Sendable, Hashable {
    /// The bare tool (or `Tool(*)`): every use.
    case anyUse
    /// `Bash(...)`.
    case bash(BashPattern)
    /// `Read(...)`, `Edit(...)` and the other file tools: a path glob.
    case path(PathPattern)
    /// `WebFetch(domain:...)`.
    case domain(HostRule)
    /// Any other tool's specifier, compared as a glob (`*` wildcard) against the tool's primary argument.
    case other(BashPattern)
}

/// One permission rule, `Tool` or `Tool(specifier)`, with where it came from.
public struct PermissionRule: Sendable, Hashable, CustomStringConvertible {
    /// Immutable compiled fields behind one reference, so copying a rule on the hot path costs one retain.
    final class Storage: Sendable {
        let effect: RuleEffect
        let tool: String
        let specifier: String?
        let text: String
        let source: RuleSource
        let matcher: RuleMatcher
        let scope: Scope
        /// The rule as explanations cite it, built once (the engine names it in every decision it takes part in).
        let reference: RuleReference

        init(effect: RuleEffect, tool: String, specifier: String?, text: String, source: RuleSource, matcher: RuleMatcher, scope: Scope) {
            self.effect = effect
            self.tool = tool
            self.specifier = specifier
            self.text = text
            self.source = source
            self.matcher = matcher
            self.scope = scope
            self.reference = RuleReference(text: text, source: source.description)
        }
    }

    let storage: Storage

    public var effect: RuleEffect { storage.effect }
    /// The tool as written (`Bash`, `Read`, `mcp__github__*`).
    public var tool: String { storage.tool }
    /// The text inside the parentheses, nil for a bare tool.
    public var specifier: String? { storage.specifier }
    /// The rule as written.
    public var text: String { storage.text }
    public var source: RuleSource { storage.source }
    public var matcher: RuleMatcher { storage.matcher }

    public static func == (a: PermissionRule, b: PermissionRule) -> Bool {
        a.storage === b.storage || (a.effect == b.effect && a.text == b.text && a.source == b.source && a.matcher == b.matcher)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(effect)
        hasher.combine(text)
        hasher.combine(source)
    }

    /// The family a rule's tool names: the tools it applies to.
    public enum Scope: Sendable, Hashable {
        /// Every tool in `ToolFamily.reading`.
        case reading
        /// Every tool in `ToolFamily.editing`.
        case editing
        /// Exactly this tool.
        case tool(String)
        /// Every tool of an MCP server (`mcp__server`, `mcp__server__*`): the prefix `mcp__server__`.
        case mcpServer(String)
    }

    public var scope: Scope { storage.scope }

    /// Parses one rule.
    /// - Parameters:
    ///   - text: `Tool` or `Tool(specifier)`.
    ///   - effect: allow, ask or deny.
    ///   - source: where it was written (for messages).
    ///   - base: how relative paths in file rules resolve.
    /// - Throws: `ClawGuardError(.invalidRule)` saying what is wrong and where.
    public init(_ text: String, effect: RuleEffect, source: RuleSource, base: PathBase) throws(ClawGuardError) {
        let (tool, specifier, scope, matcher) = try PermissionRule.compile(text, source: source, base: base)
        storage = Storage(
            effect: effect, tool: tool, specifier: specifier, text: text.trimmingSpaces(), source: source, matcher: matcher,
            scope: scope)
    }

    static func compile(_ text: String, source: RuleSource, base: PathBase) throws(ClawGuardError)
        -> (tool: String, specifier: String?, scope: Scope, matcher: RuleMatcher)
    {
        var scope: Scope
        let matcher: RuleMatcher
        let parsed: (tool: String, specifier: String?)
        do { parsed = try PermissionRule.split(text) } catch {
            throw ClawGuardError(.invalidRule, "\(source): rule '\(text)': \(error.message)")
        }
        let tool = parsed.tool
        if tool.hasPrefix("mcp__") {
            let rest = tool.dropFirst(5)
            if let range = rest.firstRange(of: "__") {
                let server = rest[..<range.lowerBound]
                let toolName = rest[range.upperBound...]
                guard !server.isEmpty, !toolName.isEmpty else {
                    throw ClawGuardError(.invalidRule, "\(source): rule '\(text)': MCP rules are 'mcp__server' or 'mcp__server__tool'")
                }
                if toolName == "*" {
                    scope = .mcpServer("mcp__\(server)__")
                } else {
                    guard !toolName.contains("*") else {
                        throw ClawGuardError(.invalidRule, "\(source): rule '\(text)': '*' is only allowed as the whole tool part ('mcp__server__*')")
                    }
                    scope = .tool(tool)
                }
            } else {
                guard !rest.isEmpty, !rest.contains("*") else {
                    throw ClawGuardError(.invalidRule, "\(source): rule '\(text)': MCP rules are 'mcp__server', 'mcp__server__tool' or 'mcp__server__*'")
                }
                scope = .mcpServer("mcp__\(rest)__")
            }
            guard parsed.specifier == nil else {
                throw ClawGuardError(.invalidRule, "\(source): rule '\(text)': MCP rules take no '(…)' specifier")
            }
            matcher = .anyUse
            return (parsed.tool, parsed.specifier, scope, matcher)
        }
        if tool.contains("*") {
            throw ClawGuardError(.invalidRule, "\(source): rule '\(text)': '*' is not allowed in a tool name (only 'mcp__server__*')")
        }
        if ToolFamily.reading.contains(tool) {
            scope = .reading
        } else if ToolFamily.editing.contains(tool) {
            scope = .editing
        } else {
            scope = .tool(tool)
        }
        guard let spec = parsed.specifier, spec != "*" else {
            matcher = .anyUse
            return (parsed.tool, parsed.specifier, scope, matcher)
        }
        switch scope {
        case .reading, .editing:
            do { matcher = .path(try PathPattern(spec, base: base)) } catch {
                throw ClawGuardError(.invalidRule, "\(source): rule '\(text)': \(error.message)")
            }
        default:
            if tool == "Bash" {
                matcher = .bash(BashPattern(spec))
            } else if ToolFamily.fetching.contains(tool) {
                guard spec.hasPrefix("domain:") else {
                    throw ClawGuardError(.invalidRule, "\(source): rule '\(text)': WebFetch rules are 'WebFetch(domain:example.com)'")
                }
                do { matcher = .domain(try HostRule(String(spec.dropFirst(7)), source: source)) } catch {
                    throw ClawGuardError(.invalidRule, "\(source): rule '\(text)': \(error.message)")
                }
            } else {
                matcher = .other(BashPattern(spec))
            }
        }
        return (parsed.tool, parsed.specifier, scope, matcher)
    }

    /// True if this rule governs calls to the tool named `toolName`.
    public func applies(toTool toolName: String) -> Bool {
        switch scope {
        case .reading: return ToolFamily.reading.contains(toolName)
        case .editing: return ToolFamily.editing.contains(toolName)
        case .tool(let t): return t == toolName
        case .mcpServer(let prefix): return toolName.hasPrefix(prefix)
        }
    }

    /// For `Bash` rules: true if the rule matches one simple command (argv joined by single spaces).
    public func matches(command: String) -> Bool {
        switch matcher {
        case .anyUse: return true
        case .bash(let p): return p.matches(command)
        default: return false
        }
    }

    /// For file-tool rules: true if the rule matches the absolute, normalized path.
    public func matches(path: String) -> Bool {
        switch matcher {
        case .anyUse: return true
        case .path(let p): return p.matches(path)
        default: return false
        }
    }

    /// For `WebFetch` rules: true if the rule matches the host.
    public func matches(host: String) -> Bool {
        switch matcher {
        case .anyUse: return true
        case .domain(let rule):
            guard let h = NetworkRules.normalizeHost(host) else { return false }
            return rule.matches(host: h, ip: IPAddress(h))
        default: return false
        }
    }

    /// For other tools with a specifier: true if the specifier matches the tool's primary argument.
    public func matches(argument: String) -> Bool {
        switch matcher {
        case .anyUse: return true
        case .other(let p): return p.matches(argument)
        default: return false
        }
    }

    public var description: String { "\(effect.rawValue) \(text) (\(source))" }

    struct SyntaxError: Error {
        var message: String
    }

    /// Splits `Tool(specifier)`; checks balanced parentheses and a valid tool name.
    static func split(_ raw: String) throws(SyntaxError) -> (tool: String, specifier: String?) {
        let text = raw.trimmingSpaces()
        guard !text.isEmpty else { throw SyntaxError(message: "empty rule") }
        guard let open = text.firstIndex(of: "(") else {
            guard !text.contains(")") else { throw SyntaxError(message: "')' without '('") }
            try checkToolName(text)
            return (text, nil)
        }
        let tool = String(text[..<open])
        guard !tool.isEmpty else { throw SyntaxError(message: "empty tool name before '('") }
        try checkToolName(tool)
        guard text.hasSuffix(")") else {
            throw SyntaxError(message: "unbalanced parentheses: the rule must end with ')'")
        }
        let spec = text[text.index(after: open)..<text.index(before: text.endIndex)]
        var depth = 0
        var escaped = false
        for c in spec {
            if escaped { escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "(" { depth += 1 }
            if c == ")" {
                depth -= 1
                if depth < 0 { throw SyntaxError(message: "unbalanced parentheses: ')' closes the rule early") }
            }
        }
        guard depth == 0 else { throw SyntaxError(message: "unbalanced parentheses: '(' is never closed") }
        guard !spec.trimmingSpaces().isEmpty else {
            throw SyntaxError(message: "empty specifier '()'; write the bare tool name to match every use")
        }
        return (tool, String(spec))
    }

    private static func checkToolName(_ name: String) throws(SyntaxError) {
        for (index, c) in name.unicodeScalars.enumerated() {
            let ok = (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || c == "_" || c == "*" || c == "-"
                || (index > 0 && c >= "0" && c <= "9")
            guard ok else {
                throw SyntaxError(message: "'\(name)' is not a tool name (letters, digits, '_' and '-' only)")
            }
        }
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces, tabs and newlines.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
