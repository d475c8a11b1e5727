/// How a program touches a path.
public enum PathAccessKind: String, Sendable, Hashable, Codable {
    /// Reads the file's contents.
    case read
    /// Creates or modifies it.
    case write
    /// Removes it.
    case delete
    /// Runs it (a script or program file).
    case execute
    /// Lists or inspects metadata only (`ls`, `stat`).
    case list
}

/// A path named by a command, with what the command does to it.
public struct PathAccess: Sendable, Hashable {
    /// The word as written (after quote removal).
    public var raw: String
    /// The value when known before running (`~` and `$HOME` resolved); nil when computed at run time.
    public var value: String?
    public var access: PathAccessKind
    /// Where it came from: `argument`, `redirection`, `option --output`, `if=`…
    public var origin: String
    /// True when the word contains glob characters: `value` is a pattern.
    public var isPattern: Bool = false
    /// True when writing is not what the program is for but a side channel of an option or a redirection
    /// (`sed -i`, `sort -o`, `> file`): an allow rule for the program does not cover it.
    public var incidental: Bool = false
}

/// A network destination named by a command.
public struct NetworkTarget: Sendable, Hashable {
    /// The word as written.
    public var raw: String
    /// The host (name or IP literal); nil when computed at run time.
    public var host: String?
    public var port: Int?
    /// Where it came from: `url`, `host argument`, `ssh destination`…
    public var origin: String
}

/// Code a command runs that is not a plain program invocation: a shell string (`sh -c`, `eval`, `watch`, a git
/// pager), which ClawGuard parses and judges in turn, or inline code in another language, which it cannot judge.
public struct InnerCode: Sendable, Hashable {
    public enum Language: Sendable, Hashable {
        /// Shell source: parsed and judged recursively when static.
        case shell
        /// Code in another language (`python -c`, `node -e`, an awk program calling `system`…).
        case other(String)
    }
    public var language: Language
    /// The code, when static.
    public var source: String?
    /// What runs it (`sh -c`, `git -c core.pager`, `PAGER=`…), for explanations.
    public var via: String
}

/// One finding about a command (a capability that matters to the decision), naming the part responsible.
public struct CommandFinding: Sendable, Hashable {
    public var kind: RiskKind
    public var detail: String
    /// How strict this finding makes the decision on its own, before rules (ask for most; deny for a few).
    public var floor: Decision

    public init(_ kind: RiskKind, _ detail: String, floor: Decision = .ask) {
        self.kind = kind
        self.detail = detail
        self.floor = floor
    }
}

/// A program invocation found in a command, after unwrapping: `sudo env FOO=1 timeout 5 rm -rf x` yields
/// `sudo …` wrapping `env …` wrapping `timeout …` wrapping `rm -rf x`. Each is judged on its own.
public struct Invocation: Sendable, Hashable {
    /// The words of this invocation (command name first).
    public var words: [ShellWord]
    /// The program's name as used for rules and the capability table (`/usr/bin/rm` becomes `rm`).
    public var program: String
    /// True when the command name is computed at run time or obfuscated.
    public var dynamicName: Bool
    /// Where it sits: `top`, `pipeline`, `substitution`, `wrapped by sudo`, `sh -c`, …
    public var context: String
    /// The parser context of the simple command this came from.
    public var shellContext: CommandContext
    public var paths: [PathAccess] = []
    public var network: [NetworkTarget] = []
    public var findings: [CommandFinding] = []
    /// Commands this one runs directly (a wrapper's inner command, `find -exec`, `xargs`).
    public var inner: [[ShellWord]] = []
    /// Code this one runs (shell strings are judged recursively).
    public var code: [InnerCode] = []
    /// Variable assignments that change how the program behaves (`PAGER=…`, `LD_PRELOAD=…`).
    public var assignments: [ShellAssignment] = []

    /// The command line used to match `Bash(…)` rules: the argv joined by single spaces, with the program
    /// name normalized.
    public var ruleText: String {
        var length = program.utf8.count
        for word in words.dropFirst() { length += 1 + word.text.utf8.count }
        var line = ""
        line.reserveCapacity(length)
        line.append(program)
        for word in words.dropFirst() {
            line.append(" ")
            line.append(word.text)
        }
        return line
    }

    /// The argv as text.
    public var argv: [String] { words.map(\.text) }
}
