/// Turns a shell command string into every program invocation that would run, unwrapped: wrappers (`sudo`,
/// `env`, `timeout`, `xargs`, `find -exec`…) yield their inner command, shell strings (`sh -c`, `eval`, git
/// pagers, `PAGER=`…) are parsed and analysed in turn, and each invocation carries the paths, hosts and
/// capabilities found in its arguments, options and redirections.
public struct CommandAnalyzer: Sendable {
    public var parser: ShellParser
    /// How deep shell strings may nest (`sh -c "sh -c '…'"`) before the analysis gives up (and so asks).
    public var maxNesting: Int
    /// Most invocations one command may produce.
    public var maxInvocations: Int

    public init(parser: ShellParser = ShellParser(), maxNesting: Int = 8, maxInvocations: Int = 2_000) {
        self.parser = parser
        self.maxNesting = maxNesting
        self.maxInvocations = maxInvocations
    }

    /// The result of analysing one command string.
    public struct Analysis: Sendable {
        public var invocations: [Invocation]
        /// Findings about the script as a whole (a fork bomb, a limit reached).
        public var findings: [CommandFinding]
    }

    /// Analyses `source` as run from `cwd` by a user whose home is `home`.
    /// - Throws: `ClawGuardError` (`.parseError`, `.limitExceeded`) when the command cannot be parsed.
    public func analyze(_ source: String, cwd: String, home: String) throws(ClawGuardError) -> Analysis {
        var state = AnalyzerState(cwd: cwd, home: home, analyzer: self)
        try state.analyzeScript(source, context: "top", nesting: 0)
        return Analysis(invocations: state.invocations, findings: state.findings)
    }
}

/// Program directories whose binaries are known by their base name (`/usr/bin/rm` is `rm`).
let systemBinaryDirectories: Set<String> = [
    "/bin", "/usr/bin", "/usr/local/bin", "/sbin", "/usr/sbin", "/usr/local/sbin", "/opt/homebrew/bin",
    "/usr/libexec", "/snap/bin",
]

struct AnalyzerState {
    var cwd: String
    let home: String
    let analyzer: CommandAnalyzer
    var invocations: [Invocation] = []
    var findings: [CommandFinding] = []
    /// Variables with values known before running; several values for loop variables.
    var variables: [String: [String]] {
        didSet { cachedResolver = nil }
    }
    /// The resolver for the current variables, rebuilt only when they change.
    private var cachedResolver: (@Sendable (ShellWord) -> String?)?
    /// What the previous command of the current pipeline writes to its output, when ClawGuard can tell
    /// (`echo a b` → `a b`; `find ROOT` → paths under ROOT), for `… | xargs CMD`.
    var pipelineOutput: [ShellWord]?

    init(cwd: String, home: String, analyzer: CommandAnalyzer) {
        self.cwd = cwd
        self.home = home
        self.analyzer = analyzer
        self.variables = ["HOME": [home], "PWD": [cwd]]
    }

    mutating func analyzeScript(_ source: String, context: String, nesting: Int) throws(ClawGuardError) {
        if nesting > analyzer.maxNesting {
            findings.append(
                CommandFinding(.limit, "shell code nests more than \(analyzer.maxNesting) levels (\(context)); not analysed", floor: .deny))
            return
        }
        let script = try analyzer.parser.parse(source)
        // Fork bombs: a function that calls itself in the background or in a pipeline.
        for function in script.functions where function.backgroundCalls.contains(function.name) {
            findings.append(
                CommandFinding(.limit, "function `\(function.name)` calls itself in the background (a fork bomb)", floor: .deny))
        }
        let functionNames = Set(script.functions.map(\.name))
        for command in script.commands {
            try analyzeCommand(command, context: context, nesting: nesting, functions: functionNames)
        }
        for redirection in script.compoundRedirections {
            var invocation = Invocation(
                words: [], program: "", dynamicName: false, context: context + ", compound command",
                shellContext: [])
            addRedirection(redirection, to: &invocation)
            if !invocation.paths.isEmpty { invocations.append(invocation) }
        }
    }

    private mutating func analyzeCommand(
        _ command: SimpleCommand, context: String, nesting: Int, functions: Set<String>
    ) throws(ClawGuardError) {
        let where_ = command.context.isEmpty ? context : (context == "top" ? command.context.summary : "\(context), \(command.context.summary)")
        // Assignments: remember static values; a loop header binds its variable to each word.
        if command.words.isEmpty {
            var invocation = Invocation(
                words: [], program: "", dynamicName: false, context: where_, shellContext: command.context)
            if command.context.contains(.loop), let name = command.assignments.first?.name,
                command.assignments.allSatisfy({ $0.name == name })
            {
                let values = command.assignments.map { resolveAll($0.value) }
                variables[name] = values.allSatisfy({ $0 != nil }) ? values.flatMap { $0! } : nil
                return
            }
            for assignment in command.assignments {
                variables[assignment.name] = assignment.isArray ? nil : resolveAll(assignment.value)
                var analysis = ProgramAnalysis(words: [], program: "", resolve: resolver())
                Environment.check(
                    name: assignment.name, value: assignment.value.text, isStatic: assignment.value.isStatic, into: &analysis)
                invocation.findings += analysis.findings
                invocation.code += analysis.code
            }
            for redirection in command.redirections { addRedirection(redirection, to: &invocation) }
            if !invocation.findings.isEmpty || !invocation.paths.isEmpty || !invocation.code.isEmpty {
                invocation.assignments = command.assignments
                try emit(invocation, nesting: nesting)
            }
            return
        }
        let pipedOutput = command.context.contains(.pipedInput) ? pipelineOutput : nil
        if !command.context.contains(.substitution) && !command.context.contains(.processSubstitution) {
            pipelineOutput = command.context.contains(.pipeline) ? PipelineOutput.describe(command.words, resolve: resolver()) : nil
        }
        // Loop variables with several values: judge the command once per value (bounded). Most commands have none:
        // judged once, without building the list of variants.
        if !variables.values.contains(where: { $0.count > 1 }) {
            try analyzeWords(
                command.words, assignments: command.assignments, redirections: command.redirections,
                context: where_, shellContext: command.context, nesting: nesting, functions: functions,
                isKeywordTest: command.isKeywordTest, pipedOutput: pipedOutput)
        } else {
            try analyzeVariants(command, context: where_, nesting: nesting, functions: functions, pipedOutput: pipedOutput)
        }
        // `cd DIR` changes where later relative paths point.
        if command.words.first?.text == "cd" || command.words.first?.text == "pushd" {
            if command.words.count >= 2, let dir = resolver()(command.words[1]), command.words.count == 2 {
                cwd = PathText.absolute(dir, cwd: cwd, home: home)
                variables["PWD"] = [cwd]
            } else if command.words.count == 1 {
                cwd = home
            }
        }
    }

    /// Judges `command` once per combination of the values of the multi-valued variables it uses.
    private mutating func analyzeVariants(
        _ command: SimpleCommand, context where_: String, nesting: Int, functions: Set<String>, pipedOutput: [ShellWord]?
    ) throws(ClawGuardError) {
        for bindings in variants(of: command) {
            // Only a loop variable's value is bound for the variant (rebinding invalidates the cached resolver).
            let saved = bindings.isEmpty ? nil : variables
            for (name, value) in bindings { variables[name] = [value] }
            try analyzeWords(
                command.words, assignments: command.assignments, redirections: command.redirections,
                context: where_, shellContext: command.context, nesting: nesting, functions: functions,
                isKeywordTest: command.isKeywordTest, pipedOutput: pipedOutput)
            if let saved { variables = saved }
        }
    }

    /// Combinations of multi-valued variables referenced by the command (at most 16).
    private func variants(of command: SimpleCommand) -> [[String: String]] {
        if !variables.values.contains(where: { $0.count > 1 }) { return [[:]] }
        var names: [String] = []
        for word in command.words + command.redirections.map(\.target) {
            for part in word.parts {
                if case .parameter(let name, _) = part, let values = variables[name], values.count > 1, !names.contains(name) {
                    names.append(name)
                }
            }
        }
        var result: [[String: String]] = [[:]]
        for name in names {
            guard let values = variables[name] else { continue }
            var next: [[String: String]] = []
            for partial in result {
                for value in values {
                    var copy = partial
                    copy[name] = value
                    next.append(copy)
                }
            }
            result = Array(next.prefix(16))
        }
        return result
    }

    mutating func resolver() -> @Sendable (ShellWord) -> String? {
        if let cachedResolver { return cachedResolver }
        let built = buildResolver()
        cachedResolver = built
        return built
    }

    private func buildResolver() -> @Sendable (ShellWord) -> String? {
        // Only variables with exactly one known value resolve (a loop variable has several).
        let known = variables
        return { word in word.resolved { name in known[name].flatMap { $0.count == 1 ? $0[0] : nil } } }
    }

    private mutating func resolveAll(_ word: ShellWord) -> [String]? {
        guard let value = resolver()(word) else { return nil }
        return [value]
    }

    // MARK: One invocation

    mutating func analyzeWords(
        _ words: [ShellWord], assignments: [ShellAssignment], redirections: [ShellRedirection], context: String,
        shellContext: CommandContext, nesting: Int, functions: Set<String> = [], isKeywordTest: Bool = false,
        pipedOutput: [ShellWord]? = nil
    ) throws(ClawGuardError) {
        guard let nameWord = words.first else { return }
        let resolve = resolver()
        var invocation = Invocation(
            words: words, program: "", dynamicName: false, context: context, shellContext: shellContext)
        invocation.assignments = assignments
        for redirection in redirections { addRedirection(redirection, to: &invocation) }

        // The command name.
        if !nameWord.isStatic, let known = resolve(nameWord) {
            // Built from variables whose values are known: judge the program it names, but never auto-allow it.
            invocation.findings.append(
                CommandFinding(.obfuscation, "the command name `\(nameWord.text)` is built from variables (it runs `\(known)`)"))
        }
        guard let name = resolve(nameWord) ?? (nameWord.isStatic ? nameWord.text : nil), !name.isEmpty, !ShellWord.containsGlob(name)
        else {
            invocation.program = nameWord.text
            invocation.dynamicName = true
            invocation.findings.append(
                CommandFinding(.obfuscation, "the command name `\(nameWord.text)` is computed at run time, so what runs cannot be known"))
            try emit(invocation, nesting: nesting)
            return
        }
        let quotedName = nameWord.parts.contains { part in
            if case .literal(_, true) = part { return true }
            return false
        }
        var program = name
        var baseName = name
        // Paths are bytes: a `/` followed by a combining mark is one Character, so look for the byte.
        if let slash = name.utf8.lastIndex(of: UInt8(ascii: "/")) {
            baseName = String(name[name.utf8.index(after: slash)...])
            let directory = String(name[..<slash])
            if systemBinaryDirectories.contains(directory) { program = baseName }
        }
        invocation.program = program
        if quotedName && (ProgramTable.spec(for: baseName) != nil) && nameWord.text != name {
            invocation.findings.append(CommandFinding(.obfuscation, "the command name `\(name)` is written with quotes or escapes", floor: .allow))
        }
        if isKeywordTest {
            invocation.program = "[["
            try emit(invocation, nesting: nesting)
            return
        }
        // Expansions of variables named like secrets (`$GITHUB_TOKEN`) put the secret on a command line.
        for word in words.dropFirst() {
            for part in word.parts {
                if case .parameter(let variable, _) = part, SecretNames.isSecretLike(variable) {
                    invocation.findings.append(
                        CommandFinding(.secretRead, "`$\(variable)` expands a variable named like a credential into the command"))
                }
            }
        }
        // Assignment prefixes that change what the program runs (`PAGER=… git log`).
        if !assignments.isEmpty {
            var assignmentAnalysis = ProgramAnalysis(words: [], program: program, resolve: resolve)
            for assignment in assignments {
                Environment.check(
                    name: assignment.name, value: assignment.value.text, isStatic: assignment.value.isStatic,
                    into: &assignmentAnalysis)
            }
            invocation.findings += assignmentAnalysis.findings
            invocation.code += assignmentAnalysis.code
        }

        if functions.contains(name) {
            // A call of a function defined in the script: its body is judged where it is defined.
            try emit(invocation, nesting: nesting)
            return
        }
        if let slash = name.utf8.lastIndex(of: UInt8(ascii: "/")), !systemBinaryDirectories.contains(String(name[..<slash])) {
            var access = ProgramAnalysis(words: words, program: program, resolve: resolve)
            access.addPath(0, .execute, origin: "program")
            invocation.paths += access.paths
        }

        var analysis = ProgramAnalysis(words: words, program: baseName, resolve: resolve)
        let spec = ProgramTable.spec(for: baseName)
        if let spec {
            scanOptions(spec, &analysis)
            applyPositionals(spec.positional, &analysis)
            analysis.findings += spec.base
            spec.custom?(&analysis)
            if case .joinedShell = spec.wrapper {
                let rest = analysis.positionals.first.map { Array(words[$0...]) } ?? []
                if !rest.isEmpty {
                    analysis.code.append(
                        InnerCode(
                            language: .shell,
                            source: rest.allSatisfy(\.isStatic) ? rest.map { resolve($0) ?? $0.text }.joined(separator: " ") : nil,
                            via: baseName))
                }
            } else if case .afterOptions(let skip) = spec.wrapper, analysis.inner.isEmpty, analysis.code.isEmpty,
                baseName != "command" || !analysis.has("-v", "-V")
            {
                if analysis.positionals.count > skip {
                    analysis.inner.append(Array(words[analysis.positionals[skip]...]))
                } else if baseName == "xargs" {
                    analysis.inner.append([ShellWord(parts: [.literal("echo", quoted: false)])])
                }
            }
        } else {
            applyPositionals(.generic, &analysis)
        }
        if analysis.readsScriptFromStandardInput {
            if let doc = redirections.first(where: { $0.kind == .hereDocument || $0.kind == .hereString }) {
                let body = doc.kind == .hereDocument ? doc.hereDocumentBody : (doc.target.isStatic ? doc.target.text : nil)
                if case .shell = shellLanguage(baseName) {
                    analysis.code.append(InnerCode(language: .shell, source: body, via: "\(baseName) reading a here-document"))
                } else {
                    analysis.code.append(InnerCode(language: .other(baseName), source: body, via: "\(baseName) reading a here-document"))
                }
            } else if let input = redirections.first(where: { $0.kind == .read }) {
                analysis.findings.append(
                    CommandFinding(.exec, "\(baseName) runs the code in \(input.target.text)"))
            } else if shellContext.contains(.pipedInput) {
                analysis.code.append(
                    InnerCode(language: shellLanguage(baseName), source: nil, via: "\(baseName) reading code from a pipe"))
            }
        }
        if baseName == "xargs" {
            // xargs appends what it reads to its command: the previous command's output when known,
            // otherwise arguments only known at run time.
            let appended = pipedOutput ?? [ShellWord(parts: [.parameter(name: "xargs-input", raw: "<input of xargs>")])]
            analysis.inner = analysis.inner.map { $0.isEmpty ? $0 : $0 + appended }
        }
        if baseName == "find" {
            // `{}` in -exec stands for each path found under the search roots.
            let roots = analysis.paths.filter { $0.origin == "search root" }
            let name = PipelineOutput.findNameFilter(words)
            let replacement: [ShellWord] = roots.isEmpty ? [ShellWord(parts: [.literal("./", quoted: true), .literal(name, quoted: false)])] : roots.map { root in
                guard let value = root.value else { return ShellWord(parts: [.parameter(name: "find-result", raw: "<paths found by find>")]) }
                let base = value.hasSuffix("/") ? value : value + "/"
                return ShellWord(parts: [.literal(base, quoted: true), .literal(name, quoted: false)])
            }
            analysis.inner = analysis.inner.map { words in
                words.flatMap { $0.text == "{}" ? replacement : [$0] }
            }
        }
        invocation.paths += analysis.paths
        invocation.network += analysis.network
        invocation.findings += analysis.findings
        invocation.inner += analysis.inner
        invocation.code += analysis.code
        try emit(invocation, nesting: nesting)
    }

    private func shellLanguage(_ program: String) -> InnerCode.Language {
        ProgramTable.shells.contains { $0.names.contains(program) } ? .shell : .other(program)
    }

    /// Records the invocation, then analyses what it runs: inner commands and shell code.
    /// `consuming`: the caller's last use of its invocation moves it here, so making its paths absolute does
    /// not copy the arrays.
    private mutating func emit(_ invocation: consuming Invocation, nesting: Int) throws(ClawGuardError) {
        if invocations.count >= analyzer.maxInvocations {
            if !findings.contains(where: { $0.kind == .limit }) {
                findings.append(
                    CommandFinding(.limit, "command expands to more than \(analyzer.maxInvocations) program invocations", floor: .deny))
            }
            return
        }
        for i in invocation.paths.indices {
            if let value = invocation.paths[i].value, !value.hasPrefix("/"), !value.hasPrefix("~") {
                invocation.paths[i].value = PathText.absolute(value, cwd: cwd, home: home)
            }
        }
        // What the nested analysis needs, taken before the invocation moves into the list.
        let label = invocation.program.isEmpty ? "assignment" : invocation.program
        let context = invocation.context
        let shellContext = invocation.shellContext
        let innerCommands = invocation.inner
        let innerCode = invocation.code
        invocations.append(invocation)
        for inner in innerCommands {
            try analyzeWords(
                inner, assignments: [], redirections: [], context: "\(context) → run by \(label)",
                shellContext: shellContext, nesting: nesting + 1)
        }
        for code in innerCode {
            guard case .shell = code.language, let source = code.source else { continue }
            let savedCwd = cwd
            let savedVariables = variables
            do {
                try analyzeScript(source, context: "\(context) → \(code.via)", nesting: nesting + 1)
            } catch {
                findings.append(
                    CommandFinding(.parseError, "the shell code run by \(code.via) cannot be parsed: \(error.message)"))
            }
            cwd = savedCwd
            variables = savedVariables
        }
    }

    private mutating func addRedirection(_ redirection: ShellRedirection, to invocation: inout Invocation) {
        let access: PathAccessKind
        switch redirection.kind {
        case .read: access = .read
        case .write: access = .write
        case .readWrite: access = .write
        default: return
        }
        let word = redirection.target
        let value = resolver()(word)
        if value == "/dev/null" || value == "/dev/stdout" || value == "/dev/stderr" || value == "/dev/stdin" || value == "/dev/tty" {
            return
        }
        invocation.paths.append(
            PathAccess(raw: word.text, value: value, access: access, origin: "redirection \(redirection.op)", isPattern: word.hasGlob,
                       incidental: access != .read))
    }

    // MARK: Generic option scan

    /// Walks the words with the spec's option syntax, recording options (with value words) and positionals,
    /// and applying option effects.
    private func scanOptions(_ spec: ProgramSpec, _ a: inout ProgramAnalysis) {
        var i = 1
        var optionsEnded = false
        let words = a.words
        while i < words.count {
            let word = words[i]
            let text = word.text
            if optionsEnded || text == "-" || !text.hasPrefix("-") || text.count < 2 || spec.wordOptions && !text.hasPrefix("-") {
                if text == "--" && !optionsEnded {
                    optionsEnded = true
                    if let effect = spec.effects["--"], effect == .restIsCommand, i + 1 < words.count {
                        a.inner.append(Array(words[(i + 1)...]))
                        return
                    }
                    i += 1
                    continue
                }
                a.positionals.append(i)
                if spec.optionsStopAtPositional { optionsEnded = true }
                i += 1
                continue
            }
            if text.hasPrefix("--") || spec.wordOptions {
                var name = text
                var value: ShellWord?
                var valueIndex: Int?
                if let eq = text.firstIndex(of: "=") {
                    name = String(text[..<eq])
                    value = suffixWord(word, dropping: name.count + 1)
                } else if spec.valueOptions.contains(text), i + 1 < words.count {
                    value = words[i + 1]
                    valueIndex = i + 1
                    i += 1
                }
                a.options.append((name, valueIndex))
                apply(spec.effects[name], option: name, value: value, &a)
                i += 1
                continue
            }
            // Short options, possibly clustered: `-sSLo FILE`, `-oFILE`.
            // Walked in place (no array of scalars); `-x` names are small strings (no allocation).
            let scalars = text.unicodeScalars.dropFirst()
            let textTakesValue = spec.valueOptions.contains(text)
            var position = scalars.startIndex
            var j = 0
            var consumedNext = false
            while position != scalars.endIndex {
                let name = "-" + String(scalars[position])
                let next = scalars.index(after: position)
                if spec.valueOptions.contains(name) || (j == 0 && textTakesValue) {
                    if j == 0 && textTakesValue && text.count > 2 {
                        // Multi-letter single-dash options (`-ex`, `-TT`, `-connect`).
                        if i + 1 < words.count {
                            a.options.append((text, i + 1))
                            apply(spec.effects[text], option: text, value: words[i + 1], &a)
                            consumedNext = true
                        }
                        break
                    }
                    if next != scalars.endIndex {
                        let attached = suffixWord(word, dropping: j + 2)
                        a.options.append((name, nil))
                        apply(spec.effects[name], option: name, value: attached, &a)
                    } else if i + 1 < words.count {
                        a.options.append((name, i + 1))
                        apply(spec.effects[name], option: name, value: words[i + 1], &a)
                        consumedNext = true
                    } else {
                        a.options.append((name, nil))
                    }
                    break
                }
                a.options.append((name, nil))
                apply(spec.effects[name], option: name, value: nil, &a)
                j += 1
                position = next
            }
            if j == 0 && !consumedNext && !textTakesValue && spec.effects[text] != nil {
                apply(spec.effects[text], option: text, value: nil, &a)
            }
            i += consumedNext ? 2 : 1
        }
    }

    /// The part of a word after its first `count` characters, keeping whether it was static.
    private func suffixWord(_ word: ShellWord, dropping count: Int) -> ShellWord {
        var builder = WordBuilder()
        let text = word.text
        for b in text.dropFirst(count).utf8 { builder.appendQuoted(b) }
        if !word.isStatic {
            return ShellWord(parts: [.parameter(name: "?", raw: String(text.dropFirst(count)))], offset: word.offset)
        }
        var result = builder.finish(offset: word.offset)
        // Keep a leading `~` meaning home (`--file=~/x`).
        if text.dropFirst(count).hasPrefix("~/") {
            result = ShellWord(parts: [.tilde(user: ""), .literal(String(text.dropFirst(count + 1)), quoted: true)], offset: word.offset)
        }
        return result
    }

    private func apply(_ effect: OptionEffect?, option: String, value: ShellWord?, _ a: inout ProgramAnalysis) {
        guard let effect else { return }
        switch effect {
        case .read:
            if let value { a.addPath(word: value, .read, origin: "option \(option)") }
        case .write:
            if let value { a.addPath(word: value, .write, origin: "option \(option)", incidental: true) }
        case .directory:
            if let value { a.addPath(word: value, .list, origin: "option \(option)") }
        case .readIfAt:
            guard let value else { return }
            let text = value.text
            if text.hasPrefix("@") && text != "@-" {
                a.addPath(word: value, .read, origin: "option \(option) @file", stripPrefix: 1)
            } else if let eq = text.firstIndex(of: "="), text[text.index(after: eq)...].hasPrefix("@") || text[text.index(after: eq)...].hasPrefix("<") {
                let skip = text.distance(from: text.startIndex, to: eq) + 2
                a.addPath(word: value, .read, origin: "option \(option) file upload", stripPrefix: skip)
            } else if let at = text.firstIndex(of: "@"), option.contains("urlencode"), text[..<at].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                a.addPath(word: value, .read, origin: "option \(option) name@file", stripPrefix: text.distance(from: text.startIndex, to: at) + 1)
            }
        case .url, .host:
            if let value { a.addNetwork(word: value, origin: "option \(option)") }
        case .command:
            if let value { a.addShell(value, via: "\(a.program) \(option)") }
        case .code(let language):
            a.code.append(InnerCode(language: .other(language), source: value?.text, via: "\(a.program) \(option)"))
        case .restIsCommand:
            break
        case .finding(let kind, let detail, let floor):
            a.add(kind, detail, floor: floor)
        case .ignored:
            break
        }
    }

    private func applyPositionals(_ role: PositionalRole, _ a: inout ProgramAnalysis) {
        let positionals = a.positionals
        switch role {
        case .text:
            break
        case .read, .write, .delete, .list:
            let access: PathAccessKind = role == .read ? .read : role == .write ? .write : role == .delete ? .delete : .list
            for index in positionals { a.addPath(index, access, origin: "argument") }
        case .patternThenRead:
            for index in positionals.dropFirst() { a.addPath(index, .read, origin: "argument") }
        case .copy, .move:
            guard positionals.count >= 2 else {
                for index in positionals { a.addPath(index, .read, origin: "argument") }
                return
            }
            let hasTarget = a.has("-t", "--target-directory")
            let sources = hasTarget ? positionals : Array(positionals.dropLast())
            for index in sources { a.addPath(index, role == .copy ? .read : .delete, origin: "source") }
            if !hasTarget, let last = positionals.last { a.addPath(last, .write, origin: "destination") }
        case .url:
            for index in positionals { a.addNetwork(word: a.words[index], origin: "argument") }
        case .hostThenCommand:
            break  // handled by the program's own analysis
        case .script:
            break  // handled by the interpreter analysis
        case .generic:
            for index in positionals {
                let word = a.words[index]
                let text = word.text
                if ByteSearch.contains(text, "://") {
                    a.addNetwork(word: word, origin: "argument")
                } else if PathText.looksLikePath(text) {
                    a.addPath(index, .read, origin: "argument")
                }
            }
            // Option values that look like paths (`--config=~/.aws/credentials`, `-o/etc/x`).
            for word in a.words.dropFirst() where word.text.hasPrefix("-") {
                let text = word.text
                if let eq = text.firstIndex(of: "=") {
                    let value = String(text[text.index(after: eq)...])
                    if PathText.looksLikePath(value) {
                        a.addPath(word: word, .read, origin: "option value", stripPrefix: text.distance(from: text.startIndex, to: eq) + 1)
                    }
                }
            }
        }
    }
}

/// What a pipeline element writes to its output, for `… | xargs CMD`.
enum PipelineOutput {
    /// The name pattern every path `find` prints matches: the value of a single `-name`/`-iname` test
    /// (with no `-o`), else `*`.
    static func findNameFilter(_ words: [ShellWord]) -> String {
        let texts = words.map(\.text)
        if texts.contains("-o") || texts.contains("-or") { return "*" }
        let tests = texts.indices.filter { texts[$0] == "-name" || texts[$0] == "-iname" }
        guard tests.count == 1, tests[0] + 1 < words.count, words[tests[0] + 1].isStatic || !words[tests[0] + 1].hasExpansion else { return "*" }
        let value = texts[tests[0] + 1]
        return value.contains("/") || value.isEmpty ? "*" : value
    }

    static func describe(_ words: [ShellWord], resolve: @Sendable (ShellWord) -> String?) -> [ShellWord]? {
        guard let name = words.first?.text else { return nil }
        let args = Array(words.dropFirst())
        switch name {
        case "echo", "printf":
            let values = args.filter { !($0.text.hasPrefix("-") && $0.text.count <= 3) }
            return values.allSatisfy(\.isStatic) ? values : nil
        case "find":
            var roots: [ShellWord] = []
            let name = findNameFilter(words)
            for word in args {
                let text = word.text
                if text.hasPrefix("-") || text == "(" || text == "!" { break }
                guard let value = resolve(word) else { return nil }
                roots.append(ShellWord(parts: [.literal(value.hasSuffix("/") ? value : value + "/", quoted: true), .literal(name, quoted: false)]))
            }
            return roots.isEmpty ? [ShellWord(parts: [.literal("./", quoted: true), .literal(name, quoted: false)])] : roots
        case "ls", "git", "grep", "rg", "fd":
            // Listings of the working tree.
            if name == "git", args.first?.text != "ls-files", args.first?.text != "diff" { return nil }
            if (name == "grep" || name == "rg") && !args.contains(where: { $0.text == "-l" || $0.text == "--files-with-matches" || $0.text == "--files" || $0.text == "-rl" || $0.text == "-lr" }) {
                return nil
            }
            let dirs = args.filter { !$0.text.hasPrefix("-") && name == "ls" }
            if !dirs.isEmpty {
                return dirs.allSatisfy(\.isStatic) ? dirs.map { ShellWord(parts: [.literal(resolve($0).map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? "", quoted: true), .literal("*", quoted: false)]) } : nil
            }
            return [ShellWord(parts: [.literal("./*", quoted: false)])]
        default:
            return nil
        }
    }
}

/// Variable names that conventionally hold credentials.
enum SecretNames {
    static let markers = ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "API_KEY", "APIKEY", "ACCESS_KEY", "PRIVATE_KEY", "CREDENTIAL", "AUTH"]
    static func isSecretLike(_ name: String) -> Bool {
        guard name.utf8.allSatisfy({ $0 < 0x80 }) else {
            let upper = name.uppercased()
            if upper.hasSuffix("_KEY") || upper == "KEY" { return true }
            return markers.contains { upper.contains($0) }
        }
        // ASCII (every shell variable name): compare bytes, upper-casing on the fly.
        var copy = name
        return copy.withUTF8 { hay in
            func upper(_ b: UInt8) -> UInt8 { b >= 0x61 && b <= 0x7A ? b - 0x20 : b }
            func has(_ needle: StaticString, suffixOnly: Bool = false) -> Bool {
                needle.withUTF8Buffer { n in
                    guard hay.count >= n.count else { return false }
                    let starts = suffixOnly ? (hay.count - n.count)...(hay.count - n.count) : 0...(hay.count - n.count)
                    for i in starts {
                        var k = 0
                        while k < n.count && upper(hay[i + k]) == n[k] { k += 1 }
                        if k == n.count { return true }
                    }
                    return false
                }
            }
            if has("_KEY", suffixOnly: true) || (hay.count == 3 && has("KEY")) { return true }
            return has("TOKEN") || has("SECRET") || has("PASSWORD") || has("PASSWD") || has("API_KEY") || has("APIKEY")
                || has("ACCESS_KEY") || has("PRIVATE_KEY") || has("CREDENTIAL") || has("AUTH")
        }
    }
}

/// Lexical path helpers (no file-system access).
public enum PathText {
    /// Heuristic: does an argument name a path?
    public static func looksLikePath(_ text: String) -> Bool {
        guard let first = text.utf8.first, first != UInt8(ascii: "-") else { return false }
        if ByteSearch.contains(text, "://") { return false }
        if first == UInt8(ascii: "/") || first == UInt8(ascii: "~") || text.hasPrefix("./") || text.hasPrefix("../")
            || text.hasPrefix("$HOME") || text.hasPrefix("${HOME}")
        {
            return true
        }
        if ByteSearch.contains(text, byte: UInt8(ascii: "/")) { return true }
        // Names of secrets (ASCII needles: a byte search answers as `String.contains` would).
        return ByteSearch.contains(text, ".env") || ByteSearch.contains(text, "id_rsa") || ByteSearch.contains(text, "id_ed25519")
            || ByteSearch.contains(text, "id_ecdsa") || ByteSearch.contains(text, ".pem") || ByteSearch.contains(text, ".key")
            || ByteSearch.contains(text, ".netrc") || ByteSearch.contains(text, "credentials") || ByteSearch.contains(text, ".npmrc")
            || ByteSearch.contains(text, ".pypirc") || ByteSearch.contains(text, "shadow")
    }

    /// Makes `path` absolute against `cwd`, expanding a leading `~` or `$HOME`, and removes `.` and `..`
    /// lexically (the policy's `PathResolver` does the work).
    public static func absolute(_ path: String, cwd: String, home: String) -> String {
        PathResolver(home: home, followSymlinks: false).lexicalPath(path, cwd: cwd)
    }
}
