import Foundation

/// Decides tool calls against a policy: allow, ask or deny, with the rule, the part of the input responsible,
/// and why. A value: build once, call `decide` from any thread. It never throws: anything that cannot be
/// judged (bad input, an unparseable command, a bound exceeded) is a deny with the reason.
public struct DecisionEngine: Sendable {
    public let rules: any DecisionRules
    /// The user's home directory, for `~` in rules and paths.
    public let home: String
    public let analyzer: CommandAnalyzer
    /// The Bash rules, compiled and indexed once.
    let bashIndex: BashRuleIndex
    /// Resolved paths kept for a short time (nil: resolve every time). See `ResolvedPathCache` for the trade-off.
    public let pathCache: ResolvedPathCache?

    /// - Parameters:
    ///   - rules: the policy.
    ///   - home: the user's home directory.
    ///   - analyzer: the shell analyzer.
    ///   - pathCacheValidity: seconds a resolved path (symbolic links followed) is reused; nil (the default)
    ///     resolves every path on every call. For long-running processes that reuse one engine; see
    ///     `ResolvedPathCache` for what a cached resolution can miss.
    public init(
        rules: any DecisionRules, home: String, analyzer: CommandAnalyzer = CommandAnalyzer(), pathCacheValidity: Double? = nil
    ) {
        self.rules = rules
        self.home = home
        self.analyzer = analyzer
        self.bashIndex = BashRuleIndex(rules.bashRuleList())
        self.pathCache = pathCacheValidity.flatMap { $0 > 0 ? ResolvedPathCache(validitySeconds: $0) : nil }
    }

    /// Resolves a path named by a command (through the cache when there is one).
    func resolvePath(_ raw: String, cwd: String) -> String {
        guard let pathCache else { return rules.resolvePath(raw, cwd: cwd) }
        return pathCache.resolve(raw, cwd: cwd) { rules.resolvePath($0, cwd: $1) }
    }

    /// True when running the analysed command may create, move or remove links or directories, so cached
    /// resolutions may no longer hold.
    static func mayChangeLinks(_ analysis: CommandAnalyzer.Analysis) -> Bool {
        for invocation in analysis.invocations {
            if invocation.dynamicName { return true }
            if ResolvedPathCache.linkChangingPrograms.contains(invocation.program) {
                // `git status`, `git diff`…: read-only subcommands leave the working tree alone.
                let isReadOnlyGit = invocation.program == "git" && invocation.words.count > 1
                    && ResolvedPathCache.readOnlyGitCommands.contains(invocation.words[1].text)
                if !isReadOnlyGit { return true }
            }
            for path in invocation.paths where path.access == .write || path.access == .delete { return true }
            for code in invocation.code {
                if case .other = code.language { return true }
                if code.source == nil { return true }
            }
        }
        return false
    }

    /// Decides one tool call.
    public func decide(_ call: ToolCall) -> Verdict {
        let cwd = call.cwd.flatMap { $0.hasPrefix("/") ? PathResolver.normalize($0) : nil } ?? home
        switch call.tool {
        case "Bash", "bash", "shell", "exec_command", "local_shell":
            guard let command = ToolInput.command(call.input) else {
                return .failClosed("the \(call.tool) call has no `command` string in its input", kind: .parseError)
            }
            return decideBash(command, cwd: cwd)
        default:
            return ToolJudge(engine: self, cwd: cwd).decide(call)
        }
    }

    /// Decides a shell command.
    public func decideBash(_ command: String, cwd: String) -> Verdict {
        if command.utf8.contains(0) {
            return .failClosed("the command contains a NUL byte, which no shell passes on intact", kind: .obfuscation)
        }
        let analysis: CommandAnalyzer.Analysis
        do {
            analysis = try analyzer.analyze(command, cwd: cwd, home: home)
        } catch {
            let kind: RiskKind = error.code == .limitExceeded ? .limit : .parseError
            let reason = error.code == .limitExceeded
                ? "the command is beyond ClawGuard's analysis bounds: \(error.message)"
                : "the command cannot be parsed (\(error.message)); ClawGuard does not allow what it cannot read"
            return Verdict(decision: .deny, reason: reason, rule: nil, risks: [Risk(kind, error.message)])
        }
        var judge = BashJudge(engine: self, cwd: cwd)
        let verdict = judge.judge(analysis, source: command)
        if let pathCache, DecisionEngine.mayChangeLinks(analysis) { pathCache.removeAll() }
        return verdict
    }

    /// What the mode says for a call no rule matched.
    func unmatchedDecision() -> Decision {
        switch rules.mode {
        case .default, .acceptEdits, .plan: .ask
        case .dontAsk: .deny
        case .bypassPermissions: .allow
        }
    }

    /// Applies the mode to a decision: in `dontAsk` every ask is a deny.
    func finalize(_ decision: Decision) -> Decision {
        rules.mode == .dontAsk && decision == .ask ? .deny : decision
    }

    /// What a protected path means for an access. A data table: category × access → decision.
    static func protectedDecision(_ category: ProtectedPathHit.Category, _ access: PathAccessKind) -> (Decision, RiskKind)? {
        switch (category, access) {
        case (.credential, .read), (.credential, .execute): (.ask, .secretRead)
        case (.credential, .write), (.credential, .delete): (.deny, .protectedWrite)
        case (.agentConfig, .read), (.agentConfig, .execute): (.ask, .secretRead)
        case (.agentConfig, .write), (.agentConfig, .delete): (.deny, .protectedWrite)
        case (.persistence, .write), (.persistence, .delete): (.ask, .protectedWrite)
        case (.persistence, .execute): (.ask, .exec)
        case (.persistence, .read): nil
        case (_, .list): nil
        }
    }
}

/// Programs that only change the shell's own state or print their arguments: they need no rule when
/// nothing else about them is risky (their redirections and assignments are still judged).
let shellPlumbing: Set<String> = [
    "cd", "pushd", "popd", "dirs", "true", "false", ":", "[[", "test", "[", "echo", "printf", "pwd", "export",
    "unset", "set", "shift", "return", "exit", "break", "continue", "local", "declare", "typeset", "readonly", "let",
    "read", "wait", "sleep", "type", "which", "hash", "shopt", "umask", "getopts", "command", "builtin", "times",
    "jobs", "", "seq", "date", "basename", "dirname", "whoami", "id", "uname", "nproc", "trap",
]

/// Extracts fields of tool inputs.
enum ToolInput {
    static func command(_ input: JSONValue) -> String? {
        if let command = input["command"]?.stringValue { return command }
        // Codex sends argv arrays: ["bash", "-lc", "…"].
        if case .array(let items)? = input["command"] {
            let argv = items.compactMap(\.stringValue)
            guard argv.count == items.count, !argv.isEmpty else { return nil }
            if argv.count >= 3, ["bash", "sh", "zsh", "/bin/bash", "/bin/sh", "/bin/zsh"].contains(argv[0]),
                argv[1] == "-c" || argv[1] == "-lc" || argv[1] == "-ic"
            {
                return argv[2]
            }
            return argv.map(ShellQuote.quote).joined(separator: " ")
        }
        return nil
    }
}

/// Quotes a word for display or re-parsing.
enum ShellQuote {
    static func quote(_ word: String) -> String {
        if !word.isEmpty && word.utf8.allSatisfy({ b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || "-_./=:,+@%".utf8.contains(b)
        }) {
            return word
        }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}


/// Judges the invocations of one Bash command.
struct BashJudge {
    let engine: DecisionEngine
    let cwd: String
    var risks: [Risk] = []

    init(engine: DecisionEngine, cwd: String) {
        self.engine = engine
        self.cwd = cwd
    }

    struct Judgement {
        var decision: Decision
        var rule: RuleReference?
        var reason: String
        var risks: [Risk]
    }

    mutating func judge(_ analysis: CommandAnalyzer.Analysis, source: String) -> Verdict {
        var reports: [CommandReport] = []
        // The strictest judgement so far, with the index of its invocation (nil: a script-wide finding); an index
        // rather than a copy of the invocation (a copy retains its eight arrays).
        var worst: (Judgement, Int?)?
        let bypass = engine.rules.mode == .bypassPermissions
        for finding in analysis.findings {
            let decision = bypass && finding.floor != .deny ? .allow : finding.floor
            let judgement = Judgement(decision: decision, rule: nil, reason: finding.detail, risks: [Risk(finding.kind, finding.detail)])
            if worst == nil || decision > worst!.0.decision { worst = (judgement, nil) }
            risks.append(Risk(finding.kind, finding.detail))
        }
        for (index, invocation) in analysis.invocations.enumerated() {
            var judgement = judgeInvocation(invocation)
            judgement.decision = engine.finalize(judgement.decision)
            risks += judgement.risks
            reports.append(
                CommandReport(
                    argv: invocation.argv.isEmpty ? invocation.assignments.map { "\($0.name)=\($0.value.text)" } : invocation.argv,
                    context: invocation.context, decision: judgement.decision, rule: judgement.rule?.text,
                    reason: judgement.reason))
            if worst == nil || judgement.decision > worst!.0.decision { worst = (judgement, index) }
        }
        guard let (judgement, worstIndex) = worst else {
            return Verdict(decision: engine.finalize(.allow), reason: "the command runs nothing", rule: nil, risks: [], commands: [])
        }
        var uniqueRisks: [Risk] = []
        for risk in risks where !uniqueRisks.contains(risk) { uniqueRisks.append(risk) }
        let decision = engine.finalize(judgement.decision)
        var reason = judgement.reason
        if let worstIndex, case let invocation = analysis.invocations[worstIndex],
            analysis.invocations.count > 1 || invocation.context != "top"
        {
            let shown = invocation.argv.isEmpty ? "(redirection or assignment)" : "`\(invocation.argv.joined(separator: " "))`"
            reason = "\(shown) [\(invocation.context)]: \(reason)"
        }
        if decision == .deny && judgement.decision == .ask && engine.rules.mode == .dontAsk {
            reason += " (dontAsk mode turns every ask into a deny)"
        }
        return Verdict(decision: decision, reason: reason, rule: judgement.rule?.description, risks: uniqueRisks, commands: reports)
    }

    func judgeInvocation(_ invocation: Invocation) -> Judgement {
        let rules = engine.rules
        let mode = rules.mode
        let bypass = mode == .bypassPermissions
        var risks: [Risk] = []
        // Each floor: a decision with the reason and (optionally) the rule that set it.
        var floors: [(Decision, String, RuleReference?)] = []
        func floor(_ decision: Decision, _ kind: RiskKind, _ reason: String, rule: RuleReference? = nil, holdsInBypass: Bool = false) {
            risks.append(Risk(kind, reason))
            let effective = bypass && !holdsInBypass && decision != .deny ? Decision.allow : decision
            floors.append((effective, reason, rule))
        }

        // 1. Rules on the command line.
        var ruleDecision: Decision?
        var ruleRef: RuleReference?
        var ruleReason = ""
        if !invocation.program.isEmpty && !invocation.dynamicName {
            if let (decision, ref, reason) = engine.bashIndex.match(invocation) {
                ruleDecision = decision
                ruleRef = ref
                ruleReason = reason
            }
        }
        // 2. Findings from the capability table.
        for finding in invocation.findings {
            if finding.floor == .allow {
                risks.append(Risk(finding.kind, finding.detail))
            } else {
                floor(finding.floor, finding.kind, finding.detail, holdsInBypass: finding.floor == .deny)
            }
        }
        if invocation.dynamicName { floor(.ask, .obfuscation, "the program name `\(invocation.argv.first ?? "")` is only known at run time") }
        // 3. Code it runs.
        for code in invocation.code {
            switch code.language {
            case .shell:
                if code.source == nil {
                    floor(.ask, .exec, "\(code.via) runs shell code that is only known at run time")
                } else {
                    risks.append(Risk(.exec, "\(code.via) runs shell code (judged on its own)"))
                }
            case .other(let language):
                let shown = code.source.map { $0.count > 60 ? String($0.prefix(57)) + "..." : $0 }
                floor(.ask, .inlineCode, "\(code.via) runs \(language) code\(shown.map { ": \($0)" } ?? "") that ClawGuard cannot judge")
            }
        }
        if !invocation.inner.isEmpty {
            for inner in invocation.inner {
                risks.append(Risk(.exec, "\(invocation.program) runs `\(inner.map(\.text).joined(separator: " "))` (judged on its own)"))
            }
        }
        // 4. Paths.
        var writesOutsideWorkspace = false
        var writes = false
        for path in invocation.paths {
            guard let value = path.value else {
                if path.access != .list {
                    floor(.ask, .obfuscation, "the path `\(path.raw)` (\(path.origin)) is only known at run time, so ClawGuard cannot check it")
                }
                continue
            }
            let absolute = engine.resolvePath(value, cwd: cwd)
            if path.access == .write || path.access == .delete { writes = true }
            if let hit = protectedHit(absolute, isPattern: path.isPattern || ShellWord.containsGlob(value)) {
                if hit.protectsReads || (path.access != .read && path.access != .execute),
                    let (decision, kind) = DecisionEngine.protectedDecision(hit.category, path.access)
                {
                    let verb = path.access == .read ? "reads" : path.access == .execute ? "runs" : path.access == .delete ? "deletes" : "writes"
                    floor(decision, kind, "\(verb) \(path.raw) (\(path.origin)), a protected path: \(hit.why)",
                          rule: RuleReference(text: "protected \(hit.pattern)", source: "built-in protected paths"), holdsInBypass: true)
                }
            }
            if path.access != .list {
                // Read(…)/Edit(…) deny and ask rules hold for the shell too: `cat` reads what `Read` reads.
                let tool = path.access == .read || path.access == .execute ? "Read" : "Edit"
                let toolMatches = rules.toolRules(tool: tool, paths: [absolute], domain: nil, cwd: cwd)
                if let deny = toolMatches.deny {
                    floor(.deny, tool == "Read" ? .secretRead : .protectedWrite, "\(path.raw) (\(path.origin)) matches deny rule \(deny)", rule: deny, holdsInBypass: true)
                } else if let ask = toolMatches.ask {
                    floor(.ask, tool == "Read" ? .secretRead : .protectedWrite, "\(path.raw) (\(path.origin)) matches ask rule \(ask)", rule: ask)
                }
            }
            if let verdict = rules.filesystem(absolute, access: path.access, cwd: cwd), verdict.decision != .allow {
                floor(verdict.decision, path.access == .read ? .secretRead : .protectedWrite,
                      "\(path.raw) (\(path.origin)): \(verdict.reason)", rule: verdict.rule, holdsInBypass: verdict.decision == .deny)
            }
            let inside = insideWorkspace(absolute)
            if (path.access == .write || path.access == .delete) && !inside {
                writesOutsideWorkspace = true
                floor(.ask, .protectedWrite, "\(path.access == .delete ? "deletes" : "writes") \(path.raw) (\(path.origin)), outside the working directories")
            } else if path.incidental && (path.access == .write || path.access == .delete) {
                // Writing through an option or a redirection is an edit: an allow rule for the program does not
                // cover it; an Edit rule, filesystem.write or acceptEdits mode does.
                let covered = rules.toolRules(tool: "Edit", paths: [absolute], domain: nil, cwd: cwd).allow != nil
                    || rules.filesystem(absolute, access: path.access, cwd: cwd)?.decision == .allow
                    || mode == .acceptEdits
                if !covered {
                    floor(.ask, .protectedWrite, "\(path.access == .delete ? "deletes" : "writes") \(path.raw) through \(path.origin): file edits need approval (an Edit rule, filesystem.write, or acceptEdits mode)")
                }
            }
            if path.access == .read && !inside && !Self.systemReadable(absolute) {
                floor(.ask, .secretRead, "reads \(path.raw) (\(path.origin)), outside the working directories")
            }
        }
        // 5. Network.
        for target in invocation.network {
            guard let host = target.host else {
                floor(.ask, .network, "connects to `\(target.raw)` (\(target.origin)), a destination only known at run time")
                continue
            }
            let shown = target.port.map { "\(host):\($0)" } ?? host
            switch rules.network(host: host, port: target.port) {
            case .allowed:
                risks.append(Risk(.network, "connects to \(shown) (allowed)"))
            case .denied(let ref, let reason):
                floor(.deny, .network, "connects to \(shown) (\(target.origin)): \(reason)", rule: ref, holdsInBypass: true)
            case .unlisted(let reason):
                floor(.ask, .network, "connects to \(shown) (\(target.origin)): \(reason)")
            }
        }

        // Combine: a deny rule wins; otherwise the strictest of the rule (or the mode's default) and the floors.
        let strictestFloor = floors.max { $0.0 < $1.0 }
        if ruleDecision == .deny, let ruleRef {
            return Judgement(decision: .deny, rule: ruleRef, reason: ruleReason, risks: risks)
        }
        var base: Decision
        var baseReason: String
        if let ruleDecision, let ruleRef {
            base = ruleDecision
            baseReason = ruleReason  // `BashRuleIndex.reason`: "matches ask rule …" / "allowed by rule …"
        } else if shellPlumbing.contains(invocation.program) || invocation.program.isEmpty {
            base = .allow
            baseReason = invocation.program.isEmpty ? "no program runs" : "`\(invocation.program)` only changes the shell's own state or prints"
        } else if mode == .acceptEdits && ["mkdir", "touch", "cp", "mv", "rm", "rmdir", "sed", "tee"].contains(invocation.program)
            && writes && !writesOutsideWorkspace
        {
            base = .allow
            baseReason = "acceptEdits mode accepts file changes inside the working directories"
        } else {
            base = engine.unmatchedDecision()
            baseReason = base == .allow
                ? "no rule matches; \(mode.rawValue) mode allows it"
                : "no rule allows `\(invocation.program)`; \(mode.rawValue) mode \(base == .deny ? "denies" : "asks for") what no rule covers"
        }
        if mode == .plan && (writes || !invocation.network.isEmpty || !invocation.code.isEmpty) {
            return Judgement(decision: .deny, rule: nil, reason: "plan mode is read-only, and this command changes files, reaches the network or runs code", risks: risks)
        }
        if let (decision, reason, ref) = strictestFloor, decision > base {
            return Judgement(decision: decision, rule: ref ?? (base == .allow ? nil : ruleRef), reason: reason + (ruleRef != nil && base == .allow ? " — the allow rule \(ruleRef!.text) does not extend to this" : ""), risks: risks)
        }
        return Judgement(decision: base, rule: ruleRef, reason: baseReason, risks: risks)
    }

    func protectedHit(_ absolute: String, isPattern: Bool) -> ProtectedPathHit? {
        if let hit = engine.rules.protectedPath(absolute) { return hit }
        guard isPattern else { return nil }
        // A glob: check the fixed directory prefix, and sample names the pattern could match.
        var prefix = Substring(absolute)
        if let firstGlob = absolute.firstIndex(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
            prefix = absolute[..<firstGlob]
            if let slash = prefix.lastIndex(of: "/") { prefix = prefix[...slash] }
        }
        let directory = String(prefix.hasSuffix("/") && prefix.count > 1 ? prefix.dropLast() : prefix)
        if let hit = engine.rules.protectedPath(directory) { return hit }
        // Sample names: the candidate is built in one reusable byte buffer, and a String only for a name the
        // pattern matches.
        let pattern = Array(absolute.utf8)
        var candidate = Array(directory.utf8)
        if candidate.last != UInt8(ascii: "/") { candidate.append(UInt8(ascii: "/")) }
        let base = candidate.count
        for sample in Self.globSamples {
            candidate.removeSubrange(base...)
            candidate.append(contentsOf: sample)
            if GlobSample.matches(pattern: pattern, candidate: candidate),
                let hit = engine.rules.protectedPath(String(decoding: candidate, as: UTF8.self))
            {
                return hit
            }
        }
        return nil
    }

    /// Names a glob is tried against for protected paths (`cat ~/.ssh/*`, `cp *.pem /tmp`).
    static let globSamples: [[UInt8]] = [
        ".env", "id_rsa", "id_ed25519", "server.pem", "private.key", "credentials", ".netrc", ".bashrc", "config.json",
        "settings.json",
    ].map { Array($0.utf8) }

    /// System locations an agent may read without asking (protected paths among them are still caught).
    static let systemReadablePrefixes = ["/usr/", "/opt/", "/etc/", "/lib/", "/lib64/", "/bin/", "/sbin/", "/sys/", "/proc/self/", "/proc/cpuinfo", "/proc/meminfo", "/proc/version", "/dev/null", "/dev/urandom", "/dev/zero"]

    static func systemReadable(_ absolute: String) -> Bool {
        systemReadablePrefixes.contains { prefix in
            // `absolute` starts with `prefix`, or is `prefix` without its trailing slash (`/usr` for `/usr/`).
            absolute.hasPrefix(prefix)
                || (prefix.utf8.last == UInt8(ascii: "/") && absolute.utf8.count + 1 == prefix.utf8.count && prefix.hasPrefix(absolute))
        }
    }

    func insideWorkspace(_ absolute: String) -> Bool {
        func under(_ root: String) -> Bool {
            // `absolute` is `root` or below it (compared without building `root + "/"`).
            if absolute == root { return true }
            guard absolute.hasPrefix(root) else { return false }
            if root.utf8.last == UInt8(ascii: "/") { return true }
            return absolute.utf8.dropFirst(root.utf8.count).first == UInt8(ascii: "/")
        }
        return under(cwd) || under("/tmp") || under("/var/tmp") || under("/dev/null")
            || engine.rules.additionalDirectories.contains(where: under)
    }
}

/// Minimal glob matching for sampling (`*`, `?`, no classes): does `candidate` fit `pattern`?
enum GlobSample {
    static func matches(pattern: String, candidate: String) -> Bool {
        matches(pattern: Array(pattern.utf8), candidate: Array(candidate.utf8))
    }

    static func matches(pattern p: [UInt8], candidate c: [UInt8]) -> Bool {
        var pi = 0, ci = 0, star = -1, mark = 0
        while ci < c.count {
            if pi < p.count && (p[pi] == UInt8(ascii: "?") || p[pi] == c[ci]) {
                pi += 1
                ci += 1
            } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = ci
                pi += 1
            } else if pi < p.count && p[pi] == UInt8(ascii: "[") {
                // Treat a class as matching any one character.
                while pi < p.count && p[pi] != UInt8(ascii: "]") { pi += 1 }
                pi += 1
                ci += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ci = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
