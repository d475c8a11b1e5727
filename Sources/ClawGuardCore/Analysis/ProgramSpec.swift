/// What an option of a program does with its value (or, for flags, by being present).
public enum OptionEffect: Sendable, Hashable {
    /// The value is a path the program reads.
    case read
    /// The value is a path the program writes.
    case write
    /// The value is a path the program reads when it starts with `@` (`curl -d @file`), or `<` (`-F x=<file`).
    case readIfAt
    /// The value is a URL the program connects to.
    case url
    /// The value is a host the program connects to.
    case host
    /// The value is a shell command line the program runs.
    case command
    /// The value is code in another language that the program runs.
    case code(String)
    /// The value is a directory the program changes into (`-C dir`).
    case directory
    /// The rest of the arguments after this option form a command the program runs (`--` in `kubectl exec`).
    case restIsCommand
    /// The flag itself is a finding.
    case finding(RiskKind, String, Decision)
    /// The value is text that does not matter to the decision.
    case ignored
}

/// What a program's positional (non-option) arguments are.
public enum PositionalRole: Sendable, Hashable {
    /// Not paths or hosts (`echo`, `printf`): never resolved.
    case text
    /// Paths read.
    case read
    /// Paths written.
    case write
    /// Paths deleted.
    case delete
    /// Paths listed (metadata only).
    case list
    /// The first positional is a pattern or expression, the rest are paths read (`grep PATTERN FILE…`).
    case patternThenRead
    /// Sources read, the last one written (`cp SRC… DEST`).
    case copy
    /// Sources deleted, the last one written (`mv SRC… DEST`).
    case move
    /// URLs (or hosts) connected to.
    case url
    /// The first positional is a host, the rest are a command run there (`ssh host cmd`).
    case hostThenCommand
    /// The first positional is a script file executed, the rest its arguments.
    case script
    /// Anything that looks like a path is checked as read (unknown programs).
    case generic
}

/// Where a wrapper's inner command starts.
public enum WrapperStyle: Sendable, Hashable {
    /// After the options and `skip` more positional arguments (`timeout DURATION cmd`, `chroot DIR cmd`).
    case afterOptions(skip: Int)
    /// The arguments are joined into shell source (`eval`, `watch`).
    case joinedShell
}

/// Everything ClawGuard knows about one program: a row of the capability table.
public struct ProgramSpec: Sendable {
    public var names: [String]
    /// Options that take a value as the next argument (`-o FILE`) or attached (`-oFILE`, `--output=FILE`).
    public var valueOptions: Set<String>
    /// Options whose value or presence matters.
    public var effects: [String: OptionEffect]
    public var positional: PositionalRole
    /// Findings whenever the program runs.
    public var base: [CommandFinding]
    public var wrapper: WrapperStyle?
    /// Analysis for programs with a syntax of their own (find, dd, git, awk…), run after the generic scan.
    public var custom: (@Sendable (inout ProgramAnalysis) -> Void)?
    /// Options are spelled with one dash and are words (`find -name`, `-exec`): no short-option clustering.
    public var wordOptions: Bool = false
    /// Options stop at the first positional argument (POSIX order; true for wrappers, whose inner command's
    /// options are not theirs).
    public var optionsStopAtPositional: Bool = false

    public init(
        _ names: [String], values: String = "", effects: [String: OptionEffect] = [:],
        positional: PositionalRole? = nil, base: [CommandFinding] = [], wrapper: WrapperStyle? = nil,
        wordOptions: Bool = false, custom: (@Sendable (inout ProgramAnalysis) -> Void)? = nil
    ) {
        self.names = names
        self.valueOptions = Set(values.split(separator: " ").map(String.init))
        self.effects = effects
        // Programs with their own analysis interpret their arguments themselves unless told otherwise.
        self.positional = positional ?? (custom != nil || wrapper != nil ? .text : .generic)
        self.base = base
        self.wrapper = wrapper
        self.custom = custom
        self.wordOptions = wordOptions
        self.optionsStopAtPositional = wrapper != nil
    }
}

/// The state of analysing one invocation: its words, the options and positionals found, and what the
/// analysis concluded. Custom analyzers in the capability table read and extend it.
public struct ProgramAnalysis: Sendable {
    public var words: [ShellWord]
    public var program: String
    /// Positional arguments (index into `words`).
    public var positionals: [Int] = []
    /// Options seen, with their value word index if any.
    public var options: [(name: String, value: Int?)] = []
    public var paths: [PathAccess] = []
    public var network: [NetworkTarget] = []
    public var findings: [CommandFinding] = []
    public var inner: [[ShellWord]] = []
    public var code: [InnerCode] = []
    /// True when the program reads a script from its standard input (`sh` with no arguments, `python -`).
    public var readsScriptFromStandardInput = false
    /// Resolves a word to a value (`~`, `$HOME`, known variables); nil when dynamic.
    public let resolve: @Sendable (ShellWord) -> String?

    public init(words: [ShellWord], program: String, resolve: @escaping @Sendable (ShellWord) -> String?) {
        self.words = words
        self.program = program
        self.resolve = resolve
    }

    /// True when an option with this name was given.
    public func has(_ names: String...) -> Bool { options.contains { names.contains($0.name) } }

    /// The text of the value words of an option.
    public func values(_ name: String) -> [String] {
        options.filter { $0.name == name }.compactMap { $0.value.map { words[$0].text } }
    }

    /// Records a path access for word `index`.
    public mutating func addPath(_ index: Int, _ access: PathAccessKind, origin: String, stripPrefix: Int = 0, incidental: Bool = false) {
        let word = words[index]
        addPath(word: word, access, origin: origin, stripPrefix: stripPrefix, incidental: incidental)
    }

    /// Records a path access for a word, optionally skipping a prefix of its text (`@file`, `if=file`).
    public mutating func addPath(word: ShellWord, _ access: PathAccessKind, origin: String, stripPrefix: Int = 0, incidental: Bool = false) {
        // A process substitution (`<(cmd)`) is a pipe, not a file; its commands are judged on their own.
        if word.parts.count == 1, case .processSubstitution = word.parts[0] { return }
        var value = resolve(word)
        var raw = word.text
        if stripPrefix > 0 {
            raw = String(raw.dropFirst(stripPrefix))
            if let v = value { value = String(v.dropFirst(stripPrefix)) }
        }
        if raw.isEmpty { return }
        paths.append(PathAccess(raw: raw, value: value, access: access, origin: origin, isPattern: word.hasGlob, incidental: incidental))
    }

    /// Records a network destination from a URL or `host[:port]` word.
    public mutating func addNetwork(word: ShellWord, origin: String) {
        let raw = word.text
        guard let value = resolve(word) else {
            network.append(NetworkTarget(raw: raw, host: nil, port: nil, origin: origin))
            return
        }
        if let target = NetworkTarget.parse(value, origin: origin) { network.append(target) }
    }

    public mutating func add(_ kind: RiskKind, _ detail: String, floor: Decision = .ask) {
        findings.append(CommandFinding(kind, detail, floor: floor))
    }

    /// Treats the value as shell source the program runs.
    public mutating func addShell(_ word: ShellWord, via: String) {
        code.append(InnerCode(language: .shell, source: resolve(word) ?? (word.isStatic ? word.text : nil), via: via))
    }
}

extension NetworkTarget {
    /// Default ports of URL schemes.
    static let defaultPorts: [String: Int] = ["http": 80, "https": 443, "ftp": 21, "ssh": 22, "git": 9418, "ws": 80, "wss": 443]

    /// How many characters of `text` are `:` (a `:` byte followed by a combining mark is another character).
    static func colonCount(_ text: Substring) -> Int {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var count = 0
            for b in text.utf8 where b == UInt8(ascii: ":") { count += 1 }
            return count
        }
        return text.reduce(0) { $0 + ($1 == ":" ? 1 : 0) }
    }

    /// Parses a URL (`https://host:port/…`), `user@host`, `host:port` or a bare host.
    public static func parse(_ text: String, origin: String) -> NetworkTarget? {
        var rest = Substring(text)
        var defaultPort: Int?
        // ASCII text (nearly every URL): one byte scan finds what the grapheme-aware search would, without its
        // allocations. Other text goes through the grapheme-aware search.
        let isASCII = text.utf8.allSatisfy { $0 < 0x80 }
        let schemeEnd: Range<Substring.Index>?
        if isASCII {
            schemeEnd = ByteSearch.firstOffset(text, "://").map { offset in
                let start = text.utf8.index(text.startIndex, offsetBy: offset)
                return start..<text.utf8.index(start, offsetBy: 3)
            }
        } else {
            schemeEnd = rest.firstRange(of: "://")
        }
        if let schemeEnd {
            let scheme = rest[..<schemeEnd.lowerBound].lowercased()
            defaultPort = defaultPorts[scheme]
            rest = rest[schemeEnd.upperBound...]
        }
        if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<slash] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        var host = rest
        var port = defaultPort
        if rest.hasPrefix("[") {
            // [v6]:port
            if let close = rest.firstIndex(of: "]") {
                host = rest[rest.index(after: rest.startIndex)..<close]
                let after = rest[rest.index(after: close)...]
                if after.hasPrefix(":"), let p = Int(after.dropFirst()) { port = p }
            }
        } else if Self.colonCount(rest) == 1, let colon = rest.firstIndex(of: ":") {
            host = rest[..<colon]
            let portText = rest[rest.index(after: colon)...]
            if let p = Int(portText) { port = p } else if !portText.isEmpty && defaultPort == nil {
                // scp-style `host:path`
                port = nil
            }
        }
        guard !host.isEmpty else { return nil }
        return NetworkTarget(raw: text, host: host.lowercased(), port: port, origin: origin)
    }
}
