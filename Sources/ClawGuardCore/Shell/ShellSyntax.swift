/// The syntax the shell parser produces: every simple command that would run, with its words, assignments,
/// redirections and the context it sits in. ClawGuard does not keep a full AST: what it judges is the set of
/// commands a shell would execute, so the parser flattens compound commands into that list as it goes.

/// One piece of a shell word, after quote removal.
public enum WordPart: Sendable, Hashable {
    /// Literal text. `quoted` is true for text inside any quotes or escaped by a backslash.
    case literal(String, quoted: Bool)
    /// A parameter expansion: `$name`, `${name}`, `${name:-x}`, `$1`, `$@`… `name` is the parameter, `raw` the source.
    case parameter(name: String, raw: String)
    /// A command substitution `$(…)` or `` `…` ``; its commands are reported separately.
    case commandSubstitution(raw: String)
    /// An arithmetic expansion `$((…))`.
    case arithmetic(raw: String)
    /// A process substitution `<(…)` or `>(…)`; its commands are reported separately.
    case processSubstitution(raw: String)
    /// An unquoted `~` or `~user` at the start of a word (or after `=`/`:` in an assignment).
    case tilde(user: String)
}

/// A shell word: the parts it is made of and where it started in the source.
public struct ShellWord: Sendable, Hashable {
    public var parts: [WordPart] {
        didSet { text = ShellWord.render(parts) }
    }
    /// Byte offset of the word in the source it was parsed from.
    public var offset: Int
    /// The word after quote removal, with run-time parts shown as written (`$HOME/x`, `$(pwd)`).
    public private(set) var text: String

    public init(parts: [WordPart], offset: Int = 0) {
        self.parts = parts
        self.offset = offset
        self.text = ShellWord.render(parts)
    }

    /// True when the word's value is known before the command runs: no expansions, substitutions or globs.
    /// A leading tilde counts as static (it resolves to a home directory).
    public var isStatic: Bool {
        for part in parts {
            switch part {
            case .literal(let text, let quoted):
                if !quoted && ShellWord.containsGlob(text) { return false }
            case .tilde: continue
            default: return false
            }
        }
        return true
    }

    /// True when the word contains an unquoted glob character (`*`, `?`, `[`).
    public var hasGlob: Bool {
        parts.contains { part in
            if case .literal(let text, false) = part { return ShellWord.containsGlob(text) }
            return false
        }
    }

    /// True when any part is an expansion or substitution whose value is only known at run time.
    public var hasExpansion: Bool {
        parts.contains { part in
            switch part {
            case .literal, .tilde: false
            default: true
            }
        }
    }

    static func render(_ parts: [WordPart]) -> String {
        if parts.count == 1, case .literal(let text, _) = parts[0] { return text }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text, _): out += text
            case .parameter(_, let raw), .commandSubstitution(let raw), .arithmetic(let raw),
                .processSubstitution(let raw):
                out += raw
            case .tilde(let user): out += "~" + user
            }
        }
        return out
    }

    /// The word's value when it can be computed from `variables` (names to values; `HOME` resolves `~`).
    /// Returns nil when some part is only known at run time.
    public func resolved(variables: [String: String]) -> String? {
        resolved { variables[$0] }
    }

    /// The word's value when it can be computed with `lookup` (a variable's value, nil when unknown).
    func resolved(_ lookup: (String) -> String?) -> String? {
        // One literal part (most words): its text is the value.
        if parts.count == 1, case .literal(let text, _) = parts[0] { return text }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text, _): out += text
            case .tilde(let user):
                if user.isEmpty {
                    guard let home = lookup("HOME") else { return nil }
                    out += home
                } else if user == "root" {
                    out += "/root"
                } else {
                    out += "/home/" + user
                }
            case .parameter(let name, let raw):
                // Only plain references resolve: `$NAME` or `${NAME}`.
                guard Self.isPlainReference(raw, name), let value = lookup(name) else { return nil }
                out += value
            default: return nil
            }
        }
        return out
    }

    /// True when `raw` is `$NAME` or `${NAME}` (compared without building either string).
    static func isPlainReference(_ raw: String, _ name: String) -> Bool {
        let r = raw.utf8, n = name.utf8
        guard r.first == UInt8(ascii: "$") else { return false }
        if r.count == n.count + 1 { return r.dropFirst().elementsEqual(n) }
        if r.count == n.count + 3 {
            return r.dropFirst().first == UInt8(ascii: "{") && r.last == UInt8(ascii: "}") && r.dropFirst(2).dropLast().elementsEqual(n)
        }
        return false
    }

    /// True for `*`, `?`, or a `[` with a `]` after it (a lone `[`, as in `[ -f x ]`, is not a pattern).
    static func containsGlob(_ text: String) -> Bool {
        var sawBracket = false
        for b in text.utf8 {
            if b == UInt8(ascii: "*") || b == UInt8(ascii: "?") { return true }
            if b == UInt8(ascii: "[") { sawBracket = true } else if b == UInt8(ascii: "]") && sawBracket { return true }
        }
        return false
    }
}

/// A variable assignment in front of a command (`A=1 cmd`) or on its own (`A=1`).
public struct ShellAssignment: Sendable, Hashable {
    public var name: String
    public var value: ShellWord
    /// True for array assignments `a=(…)`.
    public var isArray: Bool
}

/// The kind of a redirection.
public enum RedirectionKind: String, Sendable, Hashable {
    /// `<`: reads a file.
    case read
    /// `>`, `>>`, `>|`, `&>`, `&>>`: writes a file.
    case write
    /// `<>`: opens a file for reading and writing.
    case readWrite
    /// `<<`, `<<-`: a here-document (no file).
    case hereDocument
    /// `<<<`: a here-string (no file).
    case hereString
    /// `>&N`, `<&N`, `N>&-`: duplicates or closes a descriptor (no file).
    case duplicate
}

/// A redirection of a simple or compound command.
public struct ShellRedirection: Sendable, Hashable {
    public var kind: RedirectionKind
    /// The operator as written (`>`, `2>>`, `<<-`…).
    public var op: String
    /// The target word (a path for read/write; the delimiter for here-documents; the text for here-strings).
    public var target: ShellWord
    /// The body of a here-document, as written.
    public var hereDocumentBody: String?
    /// True when the here-document's body is subject to expansion (its delimiter was not quoted).
    public var hereDocumentExpands: Bool = false
}

/// Where a simple command sits in the script.
public struct CommandContext: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let pipeline = CommandContext(rawValue: 1 << 0)
    public static let substitution = CommandContext(rawValue: 1 << 1)
    public static let processSubstitution = CommandContext(rawValue: 1 << 2)
    public static let background = CommandContext(rawValue: 1 << 3)
    public static let subshell = CommandContext(rawValue: 1 << 4)
    public static let functionBody = CommandContext(rawValue: 1 << 5)
    public static let condition = CommandContext(rawValue: 1 << 6)
    public static let loop = CommandContext(rawValue: 1 << 7)
    public static let negated = CommandContext(rawValue: 1 << 8)
    public static let hereDocument = CommandContext(rawValue: 1 << 9)
    public static let coprocess = CommandContext(rawValue: 1 << 10)
    /// Reads its standard input from the previous command of a pipeline.
    public static let pipedInput = CommandContext(rawValue: 1 << 11)

    /// A short human-readable description (`top`, `pipeline`, `substitution, background`…).
    public var summary: String {
        // One flag (most commands in a pipeline, a substitution…): its name, without building a list.
        switch rawValue {
        case 0: return "top"
        case CommandContext.pipeline.rawValue, CommandContext.pipeline.rawValue | CommandContext.pipedInput.rawValue: return "pipeline"
        case CommandContext.substitution.rawValue: return "substitution"
        case CommandContext.loop.rawValue: return "loop"
        case CommandContext.condition.rawValue: return "condition"
        case CommandContext.subshell.rawValue: return "subshell"
        case CommandContext.background.rawValue: return "background"
        default: break
        }
        let names: [(CommandContext, String)] = [
            (.pipeline, "pipeline"), (.substitution, "substitution"), (.processSubstitution, "process-substitution"),
            (.background, "background"), (.subshell, "subshell"), (.functionBody, "function"),
            (.condition, "condition"), (.loop, "loop"), (.negated, "negated"), (.hereDocument, "here-document"),
            (.coprocess, "coprocess"),
        ]
        let parts = names.filter { contains($0.0) }.map(\.1)
        return parts.isEmpty ? "top" : parts.joined(separator: ", ")
    }
}

/// One simple command that would run.
public struct SimpleCommand: Sendable, Hashable {
    public var assignments: [ShellAssignment]
    /// The command name and its arguments, before expansion.
    public var words: [ShellWord]
    public var redirections: [ShellRedirection]
    public var context: CommandContext
    /// Byte range of the command in the source.
    public var range: Range<Int>
    /// The name of the function this command is defined in, if any.
    public var function: String?
    /// True when this is the `[[ … ]]` or `(( … ))` of a compound command rather than a program.
    public var isKeywordTest: Bool = false

    /// The argv as text after quote removal (dynamic parts as written).
    public var argv: [String] { words.map(\.text) }
}

/// A function defined in the script.
public struct ShellFunction: Sendable, Hashable {
    public var name: String
    /// Names of commands called in the body (to detect recursion such as fork bombs).
    public var calls: [String]
    /// True when the body runs something in the background.
    public var backgroundCalls: [String]
}

/// The result of parsing a script.
public struct ShellScript: Sendable, Hashable {
    /// Every simple command that could run, in source order (substitutions before the command using them).
    public var commands: [SimpleCommand]
    /// Functions the script defines.
    public var functions: [ShellFunction]
    /// Redirections on compound commands (`{ …; } > file`, `for … done < list`), which apply to their bodies.
    public var compoundRedirections: [ShellRedirection]
    /// The source that was parsed.
    public var source: String
}
