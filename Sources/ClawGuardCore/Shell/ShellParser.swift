/// Bounds that keep parsing linear and finite. Input over a bound is refused (and so denied), never truncated.
public struct ShellParserLimits: Sendable, Hashable {
    /// Largest source accepted, in bytes.
    public var maxBytes: Int
    /// Deepest nesting of substitutions, subshells, groups and compound commands.
    public var maxDepth: Int
    /// Most simple commands in one script.
    public var maxCommands: Int
    /// Most words one brace expansion may produce.
    public var maxBraceExpansion: Int

    public init(maxBytes: Int = 1 << 20, maxDepth: Int = 64, maxCommands: Int = 10_000, maxBraceExpansion: Int = 1_024) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxCommands = maxCommands
        self.maxBraceExpansion = maxBraceExpansion
    }

    public static let `default` = ShellParserLimits()
}

/// A parser for the sh/bash syntax agents emit. It reads the source once, left to right (recursion only for
/// nesting, which is bounded), and reports every simple command that would run — including those inside
/// substitutions, here-documents with expansion, function bodies and every branch of compound commands.
public struct ShellParser: Sendable {
    public var limits: ShellParserLimits

    public init(limits: ShellParserLimits = .default) {
        self.limits = limits
    }

    /// Parses `source`.
    /// - Throws: `ClawGuardError` with code `.parseError` (with the byte offset and what was expected) or
    ///   `.limitExceeded` (which bound, and its value).
    public func parse(_ source: String) throws(ClawGuardError) -> ShellScript {
        let bytes = Array(source.utf8)
        if bytes.count > limits.maxBytes {
            throw ClawGuardError(
                .limitExceeded, "command is \(bytes.count) bytes, over the parser's limit of \(limits.maxBytes)")
        }
        var state = ParserState(bytes: bytes, limits: limits)
        do {
            try state.parseProgram()
        } catch let error as ShellSyntaxError {
            let code: ClawGuardError.Code = error.isLimit ? .limitExceeded : .parseError
            throw ClawGuardError(code, error.isLimit ? error.message : "\(error.message) at byte \(error.offset)")
        } catch {
            throw ClawGuardError(.internalError, "parser failed: \(error)")
        }
        return ShellScript(
            commands: state.commands, functions: state.functions,
            compoundRedirections: state.compoundRedirections, source: source)
    }
}

struct ShellSyntaxError: Error {
    var message: String
    var offset: Int
    var isLimit = false
}

private let reservedWords: Set<String> = [
    "if", "then", "elif", "else", "fi", "for", "in", "do", "done", "while", "until", "case", "esac", "function",
    "select", "{", "}", "!", "[[", "]]", "time", "coproc",
]

private enum Byte {
    static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    static let semicolon = UInt8(ascii: ";"), amp = UInt8(ascii: "&"), pipe = UInt8(ascii: "|")
    static let lparen = UInt8(ascii: "("), rparen = UInt8(ascii: ")"), lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">")
    static let backslash = UInt8(ascii: "\\"), squote = UInt8(ascii: "'"), dquote = UInt8(ascii: "\"")
    static let dollar = UInt8(ascii: "$"), backtick = UInt8(ascii: "`"), hash = UInt8(ascii: "#")
    static let lbrace = UInt8(ascii: "{"), rbrace = UInt8(ascii: "}"), tilde = UInt8(ascii: "~")
    static let equals = UInt8(ascii: "="), plus = UInt8(ascii: "+"), minus = UInt8(ascii: "-")
    static let colon = UInt8(ascii: ":"), slash = UInt8(ascii: "/"), lbracket = UInt8(ascii: "[")
    static let rbracket = UInt8(ascii: "]"), comma = UInt8(ascii: ","), dot = UInt8(ascii: ".")
    static let bang = UInt8(ascii: "!")

    static func isBlank(_ b: UInt8) -> Bool { b == space || b == tab || b == cr }
    static func isMeta(_ b: UInt8) -> Bool {
        b == space || b == tab || b == newline || b == cr || b == semicolon || b == amp || b == pipe || b == lparen
            || b == rparen || b == lt || b == gt
    }
    static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "_")
    }
    static func isNameChar(_ b: UInt8) -> Bool { isNameStart(b) || isDigit(b) }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
}

private struct PendingHereDocument {
    var commandIndex: Int?  // index into commands, or nil for a compound command's redirection
    var redirectionIndex: Int
    var delimiter: [UInt8]
    var stripTabs: Bool
    var expands: Bool
    var context: CommandContext
    var isCompound: Bool
}

struct ParserState {
    let bytes: [UInt8]
    let limits: ShellParserLimits
    var pos = 0
    var depth = 0
    var commands: [SimpleCommand] = []
    var functions: [ShellFunction] = []
    var compoundRedirections: [ShellRedirection] = []
    private var pendingHereDocuments: [PendingHereDocument] = []
    private var functionName: String?

    init(bytes: [UInt8], limits: ShellParserLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    // MARK: Helpers

    private var atEnd: Bool { pos >= bytes.count }
    private func peek(_ offset: Int = 0) -> UInt8? {
        let i = pos + offset
        return i < bytes.count ? bytes[i] : nil
    }
    private func error(_ message: String) -> ShellSyntaxError { ShellSyntaxError(message: message, offset: pos) }
    private func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    private mutating func enter() throws {
        depth += 1
        if depth > limits.maxDepth {
            throw ShellSyntaxError(
                message: "command nests deeper than the parser's limit of \(limits.maxDepth) levels", offset: pos,
                isLimit: true)
        }
    }
    private mutating func leave() { depth -= 1 }

    /// Skips spaces, tabs and line continuations (not newlines).
    private mutating func skipBlanks() {
        while let b = peek() {
            if Byte.isBlank(b) {
                pos += 1
            } else if b == Byte.backslash && peek(1) == Byte.newline {
                pos += 2
            } else {
                break
            }
        }
    }

    /// Skips blanks, comments and newlines (reading pending here-documents at each newline).
    private mutating func skipSeparatorsAndNewlines() throws {
        while true {
            skipBlanks()
            guard let b = peek() else { return }
            if b == Byte.hash {
                skipComment()
            } else if b == Byte.newline {
                try consumeNewline()
            } else {
                return
            }
        }
    }

    private mutating func skipComment() {
        while let b = peek(), b != Byte.newline { pos += 1 }
    }

    /// Consumes one newline and reads the bodies of here-documents started on the line it ends.
    private mutating func consumeNewline() throws {
        pos += 1
        guard !pendingHereDocuments.isEmpty else { return }
        let pending = pendingHereDocuments
        pendingHereDocuments = []
        for doc in pending { try readHereDocumentBody(doc) }
    }

    private mutating func readHereDocumentBody(_ doc: PendingHereDocument) throws {
        let bodyStart = pos
        var bodyEnd = bytes.count
        var after = bytes.count
        var lineStart = pos
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != Byte.newline { lineEnd += 1 }
            var contentStart = lineStart
            if doc.stripTabs { while contentStart < lineEnd && bytes[contentStart] == Byte.tab { contentStart += 1 } }
            if bytes[contentStart..<lineEnd].elementsEqual(doc.delimiter) {
                bodyEnd = lineStart
                after = min(lineEnd + 1, bytes.count)
                break
            }
            lineStart = lineEnd + 1
        }
        if bodyEnd > bytes.count { bodyEnd = bytes.count }
        let body = text(bodyStart..<max(bodyStart, bodyEnd))
        if let index = doc.commandIndex {
            if index < commands.count && doc.redirectionIndex < commands[index].redirections.count {
                commands[index].redirections[doc.redirectionIndex].hereDocumentBody = body
            }
        } else if doc.redirectionIndex < compoundRedirections.count {
            compoundRedirections[doc.redirectionIndex].hereDocumentBody = body
        }
        if doc.expands {
            // Substitutions in an unquoted here-document run when the redirection is performed.
            let saved = pos
            pos = bodyStart
            while pos < bodyEnd {
                let b = bytes[pos]
                if b == Byte.backslash {
                    pos += 2
                } else if b == Byte.dollar {
                    var sink = WordBuilder()
                    try parseDollar(into: &sink, quoted: true, context: doc.context.union(.hereDocument), limit: bodyEnd)
                } else if b == Byte.backtick {
                    var sink = WordBuilder()
                    try parseBacktick(into: &sink, context: doc.context.union(.hereDocument), limit: bodyEnd)
                } else {
                    pos += 1
                }
            }
            pos = saved
        }
        pos = after
    }

    /// Reads a reserved word at the current position without consuming it.
    private func peekReservedWord() -> String? {
        // Every reserved word starts with one of these bytes: most words are rejected here without allocating.
        guard let first = peek() else { return nil }
        switch first {
        case UInt8(ascii: "i"), UInt8(ascii: "t"), UInt8(ascii: "e"), UInt8(ascii: "f"), UInt8(ascii: "d"),
            UInt8(ascii: "w"), UInt8(ascii: "u"), UInt8(ascii: "c"), UInt8(ascii: "s"), Byte.lbrace, Byte.rbrace,
            Byte.bang, Byte.lbracket, Byte.rbracket:
            break
        default:
            return nil
        }
        var i = pos
        while i < bytes.count {
            let b = bytes[i]
            if Byte.isMeta(b) { break }
            if i - pos > 8 { return nil }
            if !(Byte.isNameChar(b) || b == Byte.lbrace || b == Byte.rbrace || b == Byte.bang || b == Byte.lbracket
                || b == Byte.rbracket)
            {
                return nil
            }
            i += 1
        }
        guard i > pos else { return nil }
        let word = text(pos..<i)
        return reservedWords.contains(word) ? word : nil
    }

    private mutating func expectReserved(_ word: String) throws {
        try skipSeparatorsAndNewlines()
        guard peekReservedWord() == word else { throw error("expected '\(word)'") }
        pos += word.utf8.count
    }

    // MARK: Lists

    mutating func parseProgram() throws {
        try parseList(context: [], stopWords: [], stopAtParen: false)
        try skipSeparatorsAndNewlines()
        if !atEnd {
            if peek() == Byte.rparen { throw error("unexpected ')'") }
            if let word = peekReservedWord() { throw error("unexpected '\(word)'") }
            throw error("unexpected input")
        }
        if !pendingHereDocuments.isEmpty {
            // A here-document with no body line at all: the body is empty (bash warns and continues).
            pendingHereDocuments = []
        }
    }

    /// Parses and-or lists separated by `;`, `&` or newlines until a stop word, `)` (when asked), a case
    /// terminator, or the end of input.
    private mutating func parseList(context: CommandContext, stopWords: Set<String>, stopAtParen: Bool) throws {
        while true {
            try skipSeparatorsAndNewlines()
            guard let b = peek() else { return }
            if b == Byte.rparen {
                if stopAtParen { return }
                throw error("unexpected ')'")
            }
            if b == Byte.semicolon {
                if peek(1) == Byte.semicolon || peek(1) == Byte.amp { return }  // case terminators
                throw error("unexpected ';'")
            }
            if let word = peekReservedWord(), stopWords.contains(word) { return }
            let start = commands.count
            try parseAndOr(context: context)
            skipBlanks()
            guard let next = peek() else { return }
            if next == Byte.semicolon {
                if peek(1) == Byte.semicolon || peek(1) == Byte.amp { return }
                pos += 1
            } else if next == Byte.amp {
                pos += 1
                for i in start..<commands.count { commands[i].context.insert(.background) }
            } else if next == Byte.newline || next == Byte.hash {
                continue
            } else if next == Byte.rparen {
                if stopAtParen { return }
                throw error("unexpected ')'")
            } else if let word = peekReservedWord(), stopWords.contains(word) {
                return
            } else {
                throw error("unexpected '\(Character(Unicode.Scalar(next)))'")
            }
        }
    }

    private mutating func parseAndOr(context: CommandContext) throws {
        try parsePipeline(context: context)
        while true {
            skipBlanks()
            if (peek() == Byte.amp && peek(1) == Byte.amp) || (peek() == Byte.pipe && peek(1) == Byte.pipe) {
                pos += 2
                try skipSeparatorsAndNewlines()
                try parsePipeline(context: context.union(.condition))
            } else {
                return
            }
        }
    }

    private mutating func parsePipeline(context: CommandContext) throws {
        var context = context
        skipBlanks()
        while true {
            if peek() == Byte.bang, let after = peek(1), Byte.isBlank(after) || after == Byte.newline {
                pos += 1
                context.insert(.negated)
                skipBlanks()
            } else if peekReservedWord() == "time" {
                pos += 4
                skipBlanks()
                if peek() == Byte.minus && peek(1) == UInt8(ascii: "p") { pos += 2 }
                skipBlanks()
            } else {
                break
            }
        }
        var elementStart = commands.count
        let start = commands.count
        try parseCommand(context: context)
        var elements = 1
        while true {
            skipBlanks()
            guard peek() == Byte.pipe, peek(1) != Byte.pipe else { break }
            pos += peek(1) == Byte.amp ? 2 : 1
            try skipSeparatorsAndNewlines()
            elementStart = commands.count
            try parseCommand(context: context.union(.pipeline))
            for i in elementStart..<commands.count where !commands[i].context.contains(.substitution) {
                commands[i].context.insert(.pipedInput)
            }
            elements += 1
        }
        if elements > 1 {
            for i in start..<commands.count { commands[i].context.insert(.pipeline) }
        }
    }

    // MARK: Commands

    private mutating func parseCommand(context: CommandContext) throws {
        skipBlanks()
        guard let b = peek() else { throw error("expected a command") }
        if b == Byte.lparen {
            if peek(1) == Byte.lparen {
                try parseArithmeticCommand(context: context)
            } else {
                pos += 1
                try enter()
                try parseList(context: context.union(.subshell), stopWords: [], stopAtParen: true)
                guard peek() == Byte.rparen else { throw error("expected ')' to close the subshell") }
                pos += 1
                leave()
            }
            try parseCompoundRedirections(context: context)
            return
        }
        if let word = peekReservedWord() {
            switch word {
            case "{":
                pos += 1
                try enter()
                try parseList(context: context, stopWords: ["}"], stopAtParen: false)
                try expectReserved("}")
                leave()
                try parseCompoundRedirections(context: context)
                return
            case "if":
                pos += 2
                try enter()
                try parseList(context: context.union(.condition), stopWords: ["then"], stopAtParen: false)
                try expectReserved("then")
                try parseList(context: context, stopWords: ["elif", "else", "fi"], stopAtParen: false)
                while true {
                    try skipSeparatorsAndNewlines()
                    let next = peekReservedWord()
                    if next == "elif" {
                        pos += 4
                        try parseList(context: context.union(.condition), stopWords: ["then"], stopAtParen: false)
                        try expectReserved("then")
                        try parseList(context: context, stopWords: ["elif", "else", "fi"], stopAtParen: false)
                    } else if next == "else" {
                        pos += 4
                        try parseList(context: context, stopWords: ["fi"], stopAtParen: false)
                    } else {
                        break
                    }
                }
                try expectReserved("fi")
                leave()
                try parseCompoundRedirections(context: context)
                return
            case "while", "until":
                pos += word.utf8.count
                try enter()
                try parseList(context: context.union([.condition, .loop]), stopWords: ["do"], stopAtParen: false)
                try parseDoGroup(context: context.union(.loop))
                leave()
                try parseCompoundRedirections(context: context)
                return
            case "for", "select":
                pos += word.utf8.count
                try enter()
                try parseFor(context: context)
                leave()
                try parseCompoundRedirections(context: context)
                return
            case "case":
                pos += 4
                try enter()
                try parseCase(context: context)
                leave()
                try parseCompoundRedirections(context: context)
                return
            case "function":
                pos += 8
                skipBlanks()
                let nameStart = pos
                while let c = peek(), !Byte.isMeta(c) { pos += 1 }
                guard pos > nameStart else { throw error("expected a function name") }
                let name = text(nameStart..<pos)
                skipBlanks()
                if peek() == Byte.lparen {
                    pos += 1
                    skipBlanks()
                    guard peek() == Byte.rparen else { throw error("expected ')' after '('") }
                    pos += 1
                }
                try parseFunctionBody(name: name, context: context)
                return
            case "[[":
                try parseConditional(context: context)
                try parseCompoundRedirections(context: context)
                return
            case "coproc":
                pos += 6
                skipBlanks()
                // `coproc NAME { …; }` or `coproc command`.
                if peekReservedWord() == nil, let c = peek(), Byte.isNameStart(c) {
                    var i = pos
                    while i < bytes.count && Byte.isNameChar(bytes[i]) { i += 1 }
                    var j = i
                    while j < bytes.count && Byte.isBlank(bytes[j]) { j += 1 }
                    if j < bytes.count && (bytes[j] == Byte.lbrace || bytes[j] == Byte.lparen) { pos = j }
                }
                try parseCommand(context: context.union([.coprocess, .background]))
                return
            case "}", "then", "elif", "else", "fi", "do", "done", "esac", "in", "]]":
                throw error("unexpected '\(word)'")
            default:
                break  // `!` and `time` are handled by the pipeline; `select` above.
            }
        }
        try parseSimpleCommand(context: context)
    }

    private mutating func parseDoGroup(context: CommandContext) throws {
        try skipSeparatorsAndNewlines()
        if peekReservedWord() == "{" {
            // bash accepts `for x in …; { …; }`.
            pos += 1
            try parseList(context: context, stopWords: ["}"], stopAtParen: false)
            try expectReserved("}")
            return
        }
        try expectReserved("do")
        try parseList(context: context, stopWords: ["done"], stopAtParen: false)
        try expectReserved("done")
    }

    private mutating func parseFor(context: CommandContext) throws {
        skipBlanks()
        if peek() == Byte.lparen && peek(1) == Byte.lparen {
            try parseArithmeticCommand(context: context, record: false)
        } else {
            let nameStart = pos
            while let c = peek(), Byte.isNameChar(c) { pos += 1 }
            guard pos > nameStart else { throw error("expected a variable name after 'for'") }
            let name = text(nameStart..<pos)
            try skipSeparatorsAndNewlines()
            if peekReservedWord() == "in" {
                pos += 2
                var words: [ShellWord] = []
                while true {
                    skipBlanks()
                    guard let c = peek() else { break }
                    if c == Byte.semicolon || c == Byte.newline { break }
                    if c == Byte.hash { skipComment(); break }
                    let before = pos
                    words.append(try readWord(context: context.union(.loop)))
                    if pos == before { throw error("unexpected character in the word list of 'for'") }
                }
                // The loop variable is reported as an assignment so the analyzer can resolve `$name`.
                commands.append(
                    SimpleCommand(
                        assignments: words.map { ShellAssignment(name: name, value: $0, isArray: false) },
                        words: [], redirections: [], context: context.union(.loop), range: nameStart..<pos,
                        function: functionName))
                try checkCommandCount()
            }
        }
        skipBlanks()
        if peek() == Byte.semicolon { pos += 1 }
        try parseDoGroup(context: context.union(.loop))
    }

    private mutating func parseCase(context: CommandContext) throws {
        skipBlanks()
        _ = try readWord(context: context)
        try skipSeparatorsAndNewlines()
        guard peekReservedWord() == "in" else { throw error("expected 'in' after the case word") }
        pos += 2
        while true {
            try skipSeparatorsAndNewlines()
            if peekReservedWord() == "esac" {
                pos += 4
                return
            }
            guard !atEnd else { throw error("expected 'esac'") }
            if peek() == Byte.lparen { pos += 1 }
            // Patterns separated by `|`, closed by `)`.
            while true {
                skipBlanks()
                guard let c = peek() else { throw error("expected ')' after a case pattern") }
                if c == Byte.rparen {
                    pos += 1
                    break
                }
                if c == Byte.pipe {
                    pos += 1
                    continue
                }
                let before = pos
                _ = try readWord(context: context)
                if pos == before { throw error("unexpected character in a case pattern") }
            }
            try parseList(context: context.union(.condition), stopWords: ["esac"], stopAtParen: false)
            try skipSeparatorsAndNewlines()
            if peek() == Byte.semicolon {
                pos += 1
                if peek() == Byte.semicolon { pos += 1 }
                if peek() == Byte.amp { pos += 1 }
            }
        }
    }

    private mutating func parseFunctionBody(name: String, context: CommandContext) throws {
        try skipSeparatorsAndNewlines()
        let start = commands.count
        let saved = functionName
        functionName = name
        try enter()
        try parseCommand(context: context.union(.functionBody))
        leave()
        functionName = saved
        let body = commands[start...]
        functions.append(
            ShellFunction(
                name: name,
                calls: body.compactMap { $0.words.first?.text },
                backgroundCalls: body.filter { $0.context.contains(.background) || $0.context.contains(.pipeline) }
                    .compactMap { $0.words.first?.text }))
    }

    /// `[[ … ]]`: words up to `]]`, with `<`, `>`, `(`, `)`, `&&`, `||` as operators.
    private mutating func parseConditional(context: CommandContext) throws {
        let start = pos
        pos += 2
        var words = [ShellWord(parts: [.literal("[[", quoted: false)], offset: start)]
        while true {
            try skipSeparatorsAndNewlines()
            guard let b = peek() else { throw error("expected ']]'") }
            if b == Byte.rbracket && peek(1) == Byte.rbracket && (peek(2).map { Byte.isMeta($0) } ?? true) {
                pos += 2
                break
            }
            if b == Byte.lt || b == Byte.gt || b == Byte.lparen || b == Byte.rparen || b == Byte.bang {
                words.append(ShellWord(parts: [.literal(String(UnicodeScalar(b)), quoted: false)], offset: pos))
                pos += 1
                continue
            }
            if (b == Byte.amp && peek(1) == Byte.amp) || (b == Byte.pipe && peek(1) == Byte.pipe) {
                pos += 2
                continue
            }
            let before = pos
            words.append(try readWord(context: context.union(.condition)))
            if pos == before { throw error("unexpected character in [[ ]]") }
        }
        words.append(ShellWord(parts: [.literal("]]", quoted: false)], offset: pos - 2))
        var command = SimpleCommand(
            assignments: [], words: words, redirections: [], context: context.union(.condition), range: start..<pos,
            function: functionName)
        command.isKeywordTest = true
        commands.append(command)
        try checkCommandCount()
    }

    /// `(( … ))` as a command (and the header of `for (( ; ; ))`): substitutions inside still run.
    private mutating func parseArithmeticCommand(context: CommandContext, record: Bool = true) throws {
        pos += 2
        try scanArithmetic(context: context)
    }

    /// Scans arithmetic text up to the closing `))`, parsing any substitutions inside. Returns the raw text.
    @discardableResult
    private mutating func scanArithmetic(context: CommandContext) throws -> String {
        let start = pos
        var parens = 0
        while true {
            guard let b = peek() else { throw error("expected '))' to close the arithmetic expression") }
            if b == Byte.rparen {
                if parens == 0 {
                    guard peek(1) == Byte.rparen else { throw error("expected '))'") }
                    let raw = text(start..<pos)
                    pos += 2
                    return raw
                }
                parens -= 1
                pos += 1
            } else if b == Byte.lparen {
                parens += 1
                pos += 1
            } else if b == Byte.dollar {
                var sink = WordBuilder()
                try parseDollar(into: &sink, quoted: true, context: context, limit: bytes.count)
            } else if b == Byte.backtick {
                var sink = WordBuilder()
                try parseBacktick(into: &sink, context: context, limit: bytes.count)
            } else if b == Byte.newline {
                try consumeNewline()
            } else {
                pos += 1
            }
        }
    }

    private mutating func parseCompoundRedirections(context: CommandContext) throws {
        while true {
            skipBlanks()
            guard isRedirectionStart() else { return }
            let redirection = try parseRedirection(context: context, commandIndex: nil)
            compoundRedirections.append(redirection)
        }
    }

    private mutating func checkCommandCount() throws {
        if commands.count > limits.maxCommands {
            throw ShellSyntaxError(
                message: "script has more than \(limits.maxCommands) commands, over the parser's limit", offset: pos,
                isLimit: true)
        }
    }

    // MARK: Simple commands

    private mutating func parseSimpleCommand(context: CommandContext) throws {
        let start = pos
        let index = commands.count
        commands.append(
            SimpleCommand(
                assignments: [], words: [], redirections: [], context: context, range: start..<start,
                function: functionName))
        try checkCommandCount()
        var assignments: [ShellAssignment] = []
        var words: [ShellWord] = []
        // Commands found inside this command's words (substitutions) are appended after `index`; the
        // command itself is completed in place at the end.
        while true {
            skipBlanks()
            guard let b = peek() else { break }
            if b == Byte.newline || b == Byte.semicolon || b == Byte.pipe || b == Byte.rparen || b == Byte.hash {
                if b == Byte.hash && !words.isEmpty && pos > 0 && !Byte.isBlank(bytes[pos - 1]) {
                    // `#` inside a word is not a comment; readWord handles it.
                } else {
                    break
                }
            }
            if b == Byte.amp && peek(1) != Byte.gt { break }
            if isRedirectionStart() {
                let redirection = try parseRedirection(context: context, commandIndex: index)
                commands[index].redirections.append(redirection)
                continue
            }
            if b == Byte.lparen {
                if words.count == 1 && assignments.isEmpty {
                    // `name () compound` — a function definition.
                    let name = words[0].text
                    pos += 1
                    skipBlanks()
                    guard peek() == Byte.rparen else { throw error("expected ')' in the function definition") }
                    pos += 1
                    commands.remove(at: index)
                    // Here-documents started in this (now removed) command belong to no command.
                    pendingHereDocuments = pendingHereDocuments.compactMap { doc in
                        guard let old = doc.commandIndex else { return doc }
                        if old == index { return nil }
                        var moved = doc
                        if old > index { moved.commandIndex = old - 1 }
                        return moved
                    }
                    try parseFunctionBody(name: name, context: context)
                    return
                }
                throw error("unexpected '('")
            }
            if words.isEmpty, let assignment = try readAssignment(context: context) {
                assignments.append(assignment)
                continue
            }
            let word = try readWord(context: context)
            if words.isEmpty && assignments.isEmpty && word.parts.isEmpty { throw error("expected a command") }
            // Most words have no unquoted `{`: appended as they are, without a one-element array.
            if ParserState.mayBraceExpand(word) {
                words.append(contentsOf: try braceExpand(word))
            } else {
                words.append(word)
            }
        }
        if words.isEmpty && assignments.isEmpty && commands[index].redirections.isEmpty {
            throw error("expected a command")
        }
        var command = commands.remove(at: index)
        command.assignments = assignments
        command.words = words
        command.range = start..<pos
        // The command runs after the substitutions in its words: move it behind them.
        commands.append(command)
        let newIndex = commands.count - 1
        for i in pendingHereDocuments.indices {
            guard let old = pendingHereDocuments[i].commandIndex else { continue }
            if old == index {
                pendingHereDocuments[i].commandIndex = newIndex
            } else if old > index {
                pendingHereDocuments[i].commandIndex = old - 1
            }
        }
    }

    /// Reads `NAME=value`, `NAME+=value`, `NAME[i]=value` or `NAME=(…)` if one starts here.
    private mutating func readAssignment(context: CommandContext) throws -> ShellAssignment? {
        guard let first = peek(), Byte.isNameStart(first) else { return nil }
        var i = pos
        while i < bytes.count && Byte.isNameChar(bytes[i]) { i += 1 }
        let nameEnd = i
        if i < bytes.count && bytes[i] == Byte.lbracket {
            while i < bytes.count && bytes[i] != Byte.rbracket && !Byte.isMeta(bytes[i]) { i += 1 }
            guard i < bytes.count && bytes[i] == Byte.rbracket else { return nil }
            i += 1
        }
        if i < bytes.count && bytes[i] == Byte.plus { i += 1 }
        guard i < bytes.count && bytes[i] == Byte.equals else { return nil }
        let name = text(pos..<nameEnd)
        pos = i + 1
        if peek() == Byte.lparen {
            // Array assignment: words up to `)`.
            pos += 1
            var elements: [WordPart] = []
            while true {
                try skipSeparatorsAndNewlines()
                guard let b = peek() else { throw error("expected ')' to close the array") }
                if b == Byte.rparen {
                    pos += 1
                    break
                }
                let word = try readWord(context: context)
                if word.parts.isEmpty { throw error("unexpected character in an array") }
                if !elements.isEmpty { elements.append(.literal(" ", quoted: true)) }
                elements.append(contentsOf: word.parts)
            }
            return ShellAssignment(name: name, value: ShellWord(parts: elements, offset: i + 1), isArray: true)
        }
        let value = try readWord(context: context, assignment: true)
        return ShellAssignment(name: name, value: value, isArray: false)
    }

    private func isRedirectionStart() -> Bool {
        guard let b = peek() else { return false }
        if b == Byte.lt || b == Byte.gt { return peek(1) != Byte.lparen }
        if b == Byte.amp { return peek(1) == Byte.gt }
        if Byte.isDigit(b) {
            var i = pos
            while i < bytes.count && Byte.isDigit(bytes[i]) { i += 1 }
            return i < bytes.count && (bytes[i] == Byte.lt || bytes[i] == Byte.gt)
                && !(i + 1 < bytes.count && bytes[i + 1] == Byte.lparen)
        }
        if b == Byte.lbrace {
            var i = pos + 1
            guard i < bytes.count && Byte.isNameStart(bytes[i]) else { return false }
            while i < bytes.count && Byte.isNameChar(bytes[i]) { i += 1 }
            return i + 1 < bytes.count && bytes[i] == Byte.rbrace && (bytes[i + 1] == Byte.lt || bytes[i + 1] == Byte.gt)
        }
        return false
    }

    private mutating func parseRedirection(context: CommandContext, commandIndex: Int?) throws -> ShellRedirection {
        let opStart = pos
        if let b = peek(), Byte.isDigit(b) {
            while let c = peek(), Byte.isDigit(c) { pos += 1 }
        } else if peek() == Byte.lbrace {
            while let c = peek(), c != Byte.rbrace { pos += 1 }
            pos += 1
        }
        var kind: RedirectionKind
        let rest = bytes[pos...]
        func starts(_ s: String) -> Bool { rest.starts(with: s.utf8) }
        if starts("<<<") {
            pos += 3
            kind = .hereString
        } else if starts("<<-") {
            pos += 3
            kind = .hereDocument
        } else if starts("<<") {
            pos += 2
            kind = .hereDocument
        } else if starts("<>") {
            pos += 2
            kind = .readWrite
        } else if starts("<&") {
            pos += 2
            kind = .duplicate
        } else if starts("<") {
            pos += 1
            kind = .read
        } else if starts("&>>") {
            pos += 3
            kind = .write
        } else if starts("&>") {
            pos += 2
            kind = .write
        } else if starts(">>") {
            pos += 2
            kind = .write
        } else if starts(">&") {
            pos += 2
            kind = .duplicate
        } else if starts(">|") {
            pos += 2
            kind = .write
        } else if starts(">") {
            pos += 1
            kind = .write
        } else {
            throw error("expected a redirection operator")
        }
        let op = text(opStart..<pos)
        skipBlanks()
        guard let next = peek(), !(Byte.isMeta(next) && !(next == Byte.lt || next == Byte.gt)) || next == Byte.lt
            || next == Byte.gt
        else {
            throw error("expected a file name after '\(op)'")
        }
        if next == Byte.newline || next == Byte.semicolon || next == Byte.pipe || next == Byte.amp
            || next == Byte.rparen
        {
            throw error("expected a file name after '\(op)'")
        }
        let target = try readWord(context: context)
        if target.parts.isEmpty { throw error("expected a file name after '\(op)'") }
        if kind == .duplicate {
            let value = target.text
            if !(value == "-" || value.utf8.allSatisfy(Byte.isDigit) || value.hasSuffix("-")) {
                kind = op.hasPrefix("<") ? .read : .write  // `>&file` writes to file
            }
        }
        var redirection = ShellRedirection(kind: kind, op: op, target: target)
        if kind == .hereDocument {
            // The delimiter is the word after quote removal; quoting any part of it disables expansion.
            let quoted = target.parts.contains { part in
                if case .literal(_, true) = part { return true }
                return false
            }
            redirection.hereDocumentExpands = !quoted
            let redirectionIndex: Int
            if let commandIndex {
                redirectionIndex = commands[commandIndex].redirections.count
            } else {
                redirectionIndex = compoundRedirections.count
            }
            pendingHereDocuments.append(
                PendingHereDocument(
                    commandIndex: commandIndex, redirectionIndex: redirectionIndex,
                    delimiter: Array(target.text.utf8), stripTabs: op.hasSuffix("-"), expands: !quoted,
                    context: context, isCompound: commandIndex == nil))
        }
        return redirection
    }

    // MARK: Words

    /// Reads one word (up to an unquoted metacharacter), handling every quoting and expansion form.
    mutating func readWord(context: CommandContext, assignment: Bool = false) throws -> ShellWord {
        var builder = WordBuilder()
        let start = pos
        // Process substitution at the start of a word.
        if (peek() == Byte.lt || peek() == Byte.gt) && peek(1) == Byte.lparen {
            try parseProcessSubstitution(into: &builder, context: context)
        }
        if peek() == Byte.tilde {
            readTilde(into: &builder)
        }
        while let b = peek() {
            if Byte.isMeta(b) {
                if (b == Byte.lt || b == Byte.gt) && peek(1) == Byte.lparen && pos == start {
                    try parseProcessSubstitution(into: &builder, context: context)
                    continue
                }
                break
            }
            switch b {
            case Byte.backslash:
                if peek(1) == Byte.newline {
                    pos += 2
                } else if let escaped = peek(1) {
                    builder.appendQuoted(escaped)
                    pos += 2
                } else {
                    builder.appendQuoted(b)
                    pos += 1
                }
            case Byte.squote:
                pos += 1
                let s = pos
                while let c = peek(), c != Byte.squote { pos += 1 }
                guard !atEnd else { throw ShellSyntaxError(message: "unterminated single quote", offset: s - 1) }
                builder.appendQuoted(bytes[s..<pos])
                builder.markQuoted()
                pos += 1
            case Byte.dquote:
                try parseDoubleQuoted(into: &builder, context: context)
            case Byte.dollar:
                try parseDollar(into: &builder, quoted: false, context: context, limit: bytes.count)
            case Byte.backtick:
                try parseBacktick(into: &builder, context: context, limit: bytes.count)
            case Byte.tilde where assignment && pos > start && (bytes[pos - 1] == Byte.equals || bytes[pos - 1] == Byte.colon):
                readTilde(into: &builder)
            default:
                builder.appendLiteral(b)
                pos += 1
            }
        }
        return builder.finish(offset: start)
    }

    private mutating func readTilde(into builder: inout WordBuilder) {
        var i = pos + 1
        while i < bytes.count && (Byte.isNameChar(bytes[i]) || bytes[i] == Byte.minus || bytes[i] == Byte.dot) { i += 1 }
        if i < bytes.count && !(bytes[i] == Byte.slash || Byte.isMeta(bytes[i]) || bytes[i] == Byte.colon) {
            // `~foo"bar"` etc.: not a tilde prefix.
            builder.appendLiteral(Byte.tilde)
            pos += 1
            return
        }
        builder.append(.tilde(user: text(pos + 1..<i)))
        pos = i
    }

    private mutating func parseDoubleQuoted(into builder: inout WordBuilder, context: CommandContext) throws {
        let open = pos
        pos += 1
        builder.markQuoted()
        while true {
            guard let b = peek() else { throw ShellSyntaxError(message: "unterminated double quote", offset: open) }
            switch b {
            case Byte.dquote:
                pos += 1
                return
            case Byte.backslash:
                if let next = peek(1) {
                    if next == Byte.newline {
                        pos += 2
                    } else if next == Byte.dollar || next == Byte.backtick || next == Byte.dquote
                        || next == Byte.backslash
                    {
                        builder.appendQuoted(next)
                        pos += 2
                    } else {
                        builder.appendQuoted(b)
                        pos += 1
                    }
                } else {
                    throw ShellSyntaxError(message: "unterminated double quote", offset: open)
                }
            case Byte.dollar:
                try parseDollar(into: &builder, quoted: true, context: context, limit: bytes.count)
            case Byte.backtick:
                try parseBacktick(into: &builder, context: context, limit: bytes.count)
            default:
                builder.appendQuoted(b)
                pos += 1
            }
        }
    }

    /// Parses what follows a `$`: `$(…)`, `$((…))`, `${…}`, `$'…'`, `$"…"`, `$name`, `$1`, `$@`…
    private mutating func parseDollar(
        into builder: inout WordBuilder, quoted: Bool, context: CommandContext, limit: Int
    ) throws {
        let start = pos
        guard let next = peek(1), pos + 1 < limit else {
            builder.appendLiteral(Byte.dollar, quoted: quoted)
            pos += 1
            return
        }
        switch next {
        case Byte.lparen:
            if peek(2) == Byte.lparen {
                pos += 3
                try enter()
                let raw = try scanArithmetic(context: context.union(.substitution))
                leave()
                builder.append(.arithmetic(raw: "$((" + raw + "))"))
            } else {
                pos += 2
                try enter()
                try parseList(context: context.union(.substitution), stopWords: [], stopAtParen: true)
                guard peek() == Byte.rparen else {
                    throw ShellSyntaxError(message: "unterminated command substitution '$('", offset: start)
                }
                pos += 1
                leave()
                builder.append(.commandSubstitution(raw: text(start..<pos)))
            }
        case Byte.lbrace:
            pos += 2
            try enter()
            let nameStart = pos
            if peek() == Byte.bang || peek() == Byte.hash { pos += 1 }
            var nameEnd = pos
            while let c = peek(), Byte.isNameChar(c) { pos += 1 }
            nameEnd = pos
            if nameEnd == nameStart || (nameEnd == nameStart + 1 && !Byte.isNameChar(bytes[nameStart])) {
                // Special parameters: ${@}, ${#}, ${?}…
                if let c = peek(), c != Byte.rbrace { pos += 1 }
                nameEnd = pos
            }
            var name = text(nameStart..<nameEnd)
            if name.hasPrefix("!") || (name.hasPrefix("#") && name.count > 1) { name.removeFirst() }
            // The rest of the expansion (operators and words) up to the matching `}`.
            var operand = WordBuilder()
            while true {
                guard let c = peek() else {
                    throw ShellSyntaxError(message: "unterminated parameter expansion '${'", offset: start)
                }
                if c == Byte.rbrace {
                    pos += 1
                    break
                }
                switch c {
                case Byte.backslash:
                    pos += min(2, bytes.count - pos)
                case Byte.squote where !quoted:
                    pos += 1
                    while let d = peek(), d != Byte.squote { pos += 1 }
                    guard !atEnd else { throw ShellSyntaxError(message: "unterminated single quote", offset: start) }
                    pos += 1
                case Byte.dquote:
                    try parseDoubleQuoted(into: &operand, context: context)
                case Byte.dollar:
                    try parseDollar(into: &operand, quoted: true, context: context, limit: bytes.count)
                case Byte.backtick:
                    try parseBacktick(into: &operand, context: context, limit: bytes.count)
                case Byte.newline:
                    pos += 1
                default:
                    pos += 1
                }
            }
            leave()
            builder.append(.parameter(name: name, raw: text(start..<pos)))
        case Byte.squote:
            pos += 2
            try readANSIC(into: &builder, open: start)
        case Byte.dquote:
            pos += 1
            try parseDoubleQuoted(into: &builder, context: context)
        default:
            if Byte.isNameStart(next) {
                pos += 1
                let s = pos
                while pos < limit, let c = peek(), Byte.isNameChar(c) { pos += 1 }
                builder.append(.parameter(name: text(s..<pos), raw: text(start..<pos)))
            } else if Byte.isDigit(next) || "@*#?-$!".utf8.contains(next) {
                pos += 2
                builder.append(.parameter(name: text(start + 1..<pos), raw: text(start..<pos)))
            } else {
                builder.appendLiteral(Byte.dollar, quoted: quoted)
                pos += 1
            }
        }
    }

    /// `$'…'`: ANSI-C quoting with backslash escapes.
    private mutating func readANSIC(into builder: inout WordBuilder, open: Int) throws {
        builder.markQuoted()
        while true {
            guard let b = peek() else { throw ShellSyntaxError(message: "unterminated $'…' string", offset: open) }
            if b == Byte.squote {
                pos += 1
                return
            }
            if b != Byte.backslash {
                builder.appendQuoted(b)
                pos += 1
                continue
            }
            guard let e = peek(1) else { throw ShellSyntaxError(message: "unterminated $'…' string", offset: open) }
            pos += 2
            switch e {
            case UInt8(ascii: "n"): builder.appendQuoted(0x0A)
            case UInt8(ascii: "t"): builder.appendQuoted(0x09)
            case UInt8(ascii: "r"): builder.appendQuoted(0x0D)
            case UInt8(ascii: "a"): builder.appendQuoted(0x07)
            case UInt8(ascii: "b"): builder.appendQuoted(0x08)
            case UInt8(ascii: "f"): builder.appendQuoted(0x0C)
            case UInt8(ascii: "v"): builder.appendQuoted(0x0B)
            case UInt8(ascii: "e"), UInt8(ascii: "E"): builder.appendQuoted(0x1B)
            case UInt8(ascii: "x"):
                builder.appendScalar(readHex(maxDigits: 2))
            case UInt8(ascii: "u"):
                builder.appendScalar(readHex(maxDigits: 4))
            case UInt8(ascii: "U"):
                builder.appendScalar(readHex(maxDigits: 8))
            case UInt8(ascii: "c"):
                if let c = peek() {
                    builder.appendQuoted(c & 0x1F)
                    pos += 1
                }
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = UInt32(e - 0x30)
                var digits = 1
                while digits < 3, let c = peek(), c >= 0x30 && c <= 0x37 {
                    value = value * 8 + UInt32(c - 0x30)
                    pos += 1
                    digits += 1
                }
                builder.appendQuoted(UInt8(truncatingIfNeeded: value))
            default:
                // \\, \', \", \? and unknown escapes keep the character (unknown ones keep the backslash).
                if e == Byte.backslash || e == Byte.squote || e == Byte.dquote || e == UInt8(ascii: "?") {
                    builder.appendQuoted(e)
                } else {
                    builder.appendQuoted(Byte.backslash)
                    builder.appendQuoted(e)
                }
            }
        }
    }

    private mutating func readHex(maxDigits: Int) -> UInt32 {
        var value: UInt32 = 0
        var digits = 0
        while digits < maxDigits, let c = peek() {
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 0x41 + 10)
            default: return value
            }
            value = value &* 16 &+ d
            pos += 1
            digits += 1
        }
        return value
    }

    /// `` `…` ``: the text up to the closing backtick, unescaped, parsed as a nested script.
    private mutating func parseBacktick(into builder: inout WordBuilder, context: CommandContext, limit: Int) throws {
        let start = pos
        pos += 1
        var inner: [UInt8] = []
        while true {
            guard pos < limit, let b = peek() else {
                throw ShellSyntaxError(message: "unterminated backquote substitution", offset: start)
            }
            if b == Byte.backtick {
                pos += 1
                break
            }
            if b == Byte.backslash, let next = peek(1),
                next == Byte.backtick || next == Byte.backslash || next == Byte.dollar
            {
                inner.append(next)
                pos += 2
                continue
            }
            inner.append(b)
            pos += 1
        }
        try enter()
        var nested = ParserState(bytes: inner, limits: limits)
        nested.depth = depth
        nested.functionName = functionName
        do {
            try nested.parseList(context: context.union(.substitution), stopWords: [], stopAtParen: false)
            try nested.skipSeparatorsAndNewlines()
            if !nested.atEnd { throw nested.error("unexpected input in backquote substitution") }
        } catch var error as ShellSyntaxError {
            error.offset += start + 1
            throw error
        }
        leave()
        for var command in nested.commands {
            command.range = (command.range.lowerBound + start + 1)..<(command.range.upperBound + start + 1)
            commands.append(command)
        }
        functions.append(contentsOf: nested.functions)
        try checkCommandCount()
        builder.append(.commandSubstitution(raw: text(start..<pos)))
    }

    private mutating func parseProcessSubstitution(into builder: inout WordBuilder, context: CommandContext) throws {
        let start = pos
        pos += 2
        try enter()
        try parseList(context: context.union(.processSubstitution), stopWords: [], stopAtParen: true)
        guard peek() == Byte.rparen else {
            throw ShellSyntaxError(message: "unterminated process substitution", offset: start)
        }
        pos += 1
        leave()
        builder.append(.processSubstitution(raw: text(start..<pos)))
    }

    // MARK: Brace expansion

    /// Expands unquoted `{a,b}` and `{1..3}` in a fully literal word (`{rm,-rf,~}` is `rm -rf ~`).
    /// True when some unquoted literal part of `word` has a `{` (only then can brace expansion apply).
    static func mayBraceExpand(_ word: ShellWord) -> Bool {
        word.parts.contains { part in
            if case .literal(let text, false) = part { return text.utf8.contains(Byte.lbrace) }
            return false
        }
    }

    private func braceExpand(_ word: ShellWord) throws -> [ShellWord] {
        // Only words made of literal parts are expanded; a mask marks which bytes were unquoted.
        guard ParserState.mayBraceExpand(word) else { return [word] }
        var chars: [UInt8] = []
        var unquoted: [Bool] = []
        var sawBrace = false
        for part in word.parts {
            guard case .literal(let text, let quoted) = part else { return [word] }
            for b in text.utf8 {
                chars.append(b)
                unquoted.append(!quoted)
                if !quoted && b == Byte.lbrace { sawBrace = true }
            }
        }
        guard sawBrace else { return [word] }
        var results: [[(UInt8, Bool)]] = []
        let input = Array(zip(chars, unquoted))
        try expandBraces(input, into: &results)
        if results.count == 1 { return [word] }
        return results.map { item in
            var builder = WordBuilder()
            for (b, u) in item {
                if u { builder.appendLiteral(b) } else { builder.appendQuoted(b) }
            }
            return builder.finish(offset: word.offset)
        }
    }

    private func expandBraces(_ input: [(UInt8, Bool)], into results: inout [[(UInt8, Bool)]]) throws {
        // Find the first unquoted `{` with a matching `}` that contains a top-level `,` or `..`.
        var i = 0
        while i < input.count {
            if input[i].0 == Byte.lbrace && input[i].1 {
                var depth = 0
                var commas: [Int] = []
                var j = i
                var close: Int?
                while j < input.count {
                    let (c, u) = input[j]
                    if u && c == Byte.lbrace {
                        depth += 1
                    } else if u && c == Byte.rbrace {
                        depth -= 1
                        if depth == 0 {
                            close = j
                            break
                        }
                    } else if u && c == Byte.comma && depth == 1 {
                        commas.append(j)
                    }
                    j += 1
                }
                if let close {
                    let prefix = Array(input[..<i])
                    let suffix = Array(input[(close + 1)...])
                    var alternatives: [[(UInt8, Bool)]] = []
                    if !commas.isEmpty {
                        var from = i + 1
                        for comma in commas + [close] {
                            alternatives.append(Array(input[from..<comma]))
                            from = comma + 1
                        }
                    } else if let sequence = braceSequence(Array(input[(i + 1)..<close])) {
                        alternatives = sequence
                    }
                    if !alternatives.isEmpty {
                        for alternative in alternatives {
                            try expandBraces(prefix + alternative + suffix, into: &results)
                            if results.count > limits.maxBraceExpansion {
                                throw ShellSyntaxError(
                                    message:
                                        "brace expansion produces more than \(limits.maxBraceExpansion) words, over the parser's limit",
                                    offset: pos, isLimit: true)
                            }
                        }
                        return
                    }
                }
            }
            i += 1
        }
        results.append(input)
    }

    /// `{1..5}`, `{a..e}`, `{1..10..2}`.
    private func braceSequence(_ body: [(UInt8, Bool)]) -> [[(UInt8, Bool)]]? {
        guard body.allSatisfy(\.1) else { return nil }
        let text = String(decoding: body.map(\.0), as: UTF8.self)
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        // "1..5" splits into ["1", "", "5"].
        guard pieces.count == 3 || pieces.count == 5, pieces[1].isEmpty else { return nil }
        let step = pieces.count == 5 ? Int(pieces[4]).map { Swift.max(1, Swift.abs($0)) } : 1
        guard let step else { return nil }
        if let a = Int(pieces[0]), let b = Int(pieces[2]) {
            guard Swift.abs(b - a) / step < limits.maxBraceExpansion else { return nil }
            let values = a <= b ? Array(stride(from: a, through: b, by: step)) : Array(stride(from: a, through: b, by: -step))
            return values.map { Array(String($0).utf8).map { ($0, true) } }
        }
        if pieces[0].utf8.count == 1, pieces[2].utf8.count == 1, let a = pieces[0].utf8.first,
            let b = pieces[2].utf8.first
        {
            let range = a <= b ? Array(stride(from: Int(a), through: Int(b), by: step)) : Array(stride(from: Int(a), through: Int(b), by: -step))
            return range.map { [(UInt8($0), true)] }
        }
        return nil
    }
}

/// Accumulates the parts of a word.
struct WordBuilder {
    private var parts: [WordPart] = []
    private var buffer: [UInt8] = []
    private var bufferQuoted = false
    private var sawQuote = false

    mutating func appendLiteral(_ b: UInt8, quoted: Bool = false) {
        if !buffer.isEmpty && bufferQuoted != quoted { flush() }
        bufferQuoted = quoted
        buffer.append(b)
    }
    mutating func appendQuoted(_ b: UInt8) { appendLiteral(b, quoted: true) }
    mutating func appendQuoted(_ bytes: ArraySlice<UInt8>) {
        if !buffer.isEmpty && !bufferQuoted { flush() }
        bufferQuoted = true
        buffer.append(contentsOf: bytes)
    }
    mutating func appendScalar(_ value: UInt32) {
        if let scalar = Unicode.Scalar(value) {
            for b in String(Character(scalar)).utf8 { appendQuoted(b) }
        }
    }
    /// Records that the word contained quotes (so `''` is an empty word, not no word).
    mutating func markQuoted() { sawQuote = true }
    mutating func append(_ part: WordPart) {
        flush()
        parts.append(part)
    }
    private mutating func flush() {
        if !buffer.isEmpty {
            parts.append(.literal(String(decoding: buffer, as: UTF8.self), quoted: bufferQuoted))
            buffer.removeAll(keepingCapacity: true)
        }
    }
    mutating func finish(offset: Int) -> ShellWord {
        flush()
        if parts.isEmpty && sawQuote { parts.append(.literal("", quoted: true)) }
        return ShellWord(parts: parts, offset: offset)
    }
}
