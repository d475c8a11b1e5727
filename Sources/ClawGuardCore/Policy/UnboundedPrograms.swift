/// Programs that, allowed with arbitrary arguments, allow everything: shells, interpreters, and programs that
/// run other programs. `policy validate` reports `Bash(python:*)`, `Bash(sudo *)`, `Bash(env *)` and the like.
///
/// A data table (`name: why`) so it can grow one line at a time, or later be fed from the analyzer's
/// capability table. Names are matched after stripping a directory and a version suffix (`/usr/bin/python3.12`
/// → `python`).
public enum UnboundedPrograms {
    public static let table: [String: String] = [
        // Shells
        "sh": "a shell runs any command (-c)",
        "bash": "a shell runs any command (-c)",
        "zsh": "a shell runs any command (-c)",
        "dash": "a shell runs any command (-c)",
        "ksh": "a shell runs any command (-c)",
        "fish": "a shell runs any command (-c)",
        "csh": "a shell runs any command (-c)",
        "tcsh": "a shell runs any command (-c)",
        "busybox": "busybox runs any applet, including sh",
        "pwsh": "PowerShell runs any command",
        // Interpreters
        "python": "an interpreter runs arbitrary code (-c, scripts)",
        "node": "an interpreter runs arbitrary code (-e, scripts)",
        "nodejs": "an interpreter runs arbitrary code (-e, scripts)",
        "deno": "an interpreter runs arbitrary code (eval, run)",
        "bun": "an interpreter runs arbitrary code (-e, run)",
        "ruby": "an interpreter runs arbitrary code (-e)",
        "perl": "an interpreter runs arbitrary code (-e)",
        "php": "an interpreter runs arbitrary code (-r)",
        "lua": "an interpreter runs arbitrary code (-e)",
        "tclsh": "an interpreter runs arbitrary code",
        "expect": "an interpreter runs arbitrary code",
        "osascript": "runs arbitrary AppleScript/JavaScript",
        "awk": "awk's system() runs commands",
        "gawk": "awk's system() runs commands",
        "sed": "GNU sed's 'e' command runs commands; -i edits any file",
        "vim": "':!cmd' runs commands",
        "vi": "':!cmd' runs commands",
        "nvim": "':!cmd' runs commands",
        "emacs": "runs arbitrary Lisp and commands",
        // Programs that run the program named in their arguments
        "env": "runs any program given as an argument",
        "xargs": "runs any program with arguments read from input",
        "find": "-exec/-execdir/-ok run commands and -delete deletes files",
        "sudo": "runs any command as root",
        "doas": "runs any command as root",
        "su": "runs any command as another user",
        "pkexec": "runs any command as root",
        "timeout": "runs the program given as its argument",
        "nice": "runs the program given as its argument",
        "nohup": "runs the program given as its argument",
        "ionice": "runs the program given as its argument",
        "stdbuf": "runs the program given as its argument",
        "time": "runs the program given as its argument",
        "command": "runs the program given as its argument",
        "exec": "runs the program given as its argument",
        "eval": "evaluates its arguments as shell code",
        "watch": "runs its argument as a shell command",
        "setsid": "runs the program given as its argument",
        "chroot": "runs the program given as its argument",
        "unshare": "runs the program given as its argument",
        "nsenter": "runs the program given as its argument",
        "taskset": "runs the program given as its argument",
        "strace": "runs the program given as its argument",
        "ltrace": "runs the program given as its argument",
        "gdb": "runs and controls any program",
        "parallel": "runs any command",
        "script": "runs any command (-c)",
        "flock": "runs the program given as its argument",
        "ssh": "runs any command on the remote host",
        "npx": "downloads and runs any package",
        "pnpx": "downloads and runs any package",
        "uvx": "downloads and runs any package",
        "pipx": "'pipx run' downloads and runs any package",
        "make": "runs arbitrary recipes (-f names any makefile)",
        "docker": "'docker run/exec' runs any program; -v mounts the host filesystem",
        "podman": "'podman run/exec' runs any program; -v mounts the host filesystem",
        "kubectl": "'kubectl exec/run' runs commands in the cluster",
        "git": "git -c, aliases and hooks run programs; 'git:*' also allows push, reset, clean and config",
    ]

    /// Programs whose later arguments are themselves a command or an action (`sudo … CMD`, `find … -exec`):
    /// a wildcard anywhere after them is unbounded. For the others, only a wildcard right after the program
    /// and its options is (`Bash(git *)` is, `Bash(git diff *)` is not).
    public static let wildcardAnywhere: Set<String> = [
        "env", "xargs", "find", "sudo", "doas", "su", "pkexec", "timeout", "nice", "nohup", "ionice", "stdbuf",
        "time", "command", "exec", "eval", "watch", "setsid", "chroot", "unshare", "nsenter", "taskset", "strace",
        "ltrace", "parallel", "flock", "ssh", "busybox",
    ]

    /// The table key for `program`: base name, without a version suffix (`/usr/bin/python3.12` → `python`).
    public static func canonicalName(_ program: String) -> String? {
        var name = Substring(program)
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        if table[String(name)] != nil { return String(name) }
        while let last = name.last, last.isNumber || last == "." || last == "-" { name = name.dropLast() }
        return table[String(name)] != nil ? String(name) : nil
    }

    /// The reason `program` is unbounded, matched by base name without a version suffix.
    public static func reason(for program: String) -> String? {
        canonicalName(program).flatMap { table[$0] }
    }

    /// Why a Bash pattern allowing `program` with this fixed text before its first wildcard allows everything,
    /// or nil. `fixedWords` are the words between the program and the wildcard.
    public static func reason(for program: String, fixedWords: [Substring]) -> String? {
        guard let name = canonicalName(program), let why = table[name] else { return nil }
        if wildcardAnywhere.contains(name) { return why }
        return fixedWords.allSatisfy { $0.hasPrefix("-") } ? why : nil
    }
}

/// One lint finding of `policy validate`: a rule that is valid but wider than it looks.
public struct LintFinding: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The rule or entry as written.
    public var rule: String
    public var source: String
    public var message: String

    public var description: String { "\(source): \(rule): \(message)" }
}

/// Reports allow rules that in effect allow (almost) everything.
public enum PolicyLint {
    /// Findings for a loaded policy.
    public static func findings(_ policy: Policy) -> [LintFinding] {
        var out: [LintFinding] = []
        for rule in policy.rules(.allow) {
            if let message = message(for: rule) {
                out.append(LintFinding(rule: rule.text, source: rule.source.description, message: message))
            }
        }
        for host in policy.network.allow where host.pattern == .any {
            out.append(LintFinding(rule: host.text, source: host.source?.description ?? "", message: "allows every host on the network"))
        }
        for path in policy.filesystem.write where path.pattern.matches("/") || path.pattern.matches(PathResolver.normalize(policy.home)) {
            out.append(LintFinding(rule: path.text, source: path.source?.description ?? "",
                message: "allows writing the whole filesystem or the whole home directory"))
        }
        if policy.mode == .bypassPermissions {
            out.append(LintFinding(rule: "mode: bypassPermissions", source: policy.sources.joined(separator: ", "),
                message: "every call is allowed without a prompt; only deny rules and protected paths still hold"))
        }
        return out
    }

    /// Why one allow rule is too wide, or nil.
    public static func message(for rule: PermissionRule) -> String? {
        switch rule.matcher {
        case .anyUse:
            switch rule.scope {
            case .tool("Bash"): return "allows every shell command"
            case .editing: return "allows editing any file (write a path: Edit(./src/**))"
            case .tool("WebFetch"): return "allows fetching from any host (write WebFetch(domain:…))"
            default: return nil
            }
        case .bash(let p):
            if p.kind == .any { return "allows every shell command" }
            guard let program = p.program else {
                return "a leading wildcard matches every program"
            }
            if p.admitsArbitraryArguments {
                let fixed = fixedPart(p)
                let words = fixed.split(separator: " ", omittingEmptySubsequences: true).dropFirst()
                if let why = UnboundedPrograms.reason(for: program, fixedWords: Array(words)) {
                    return "allows \(program) with any arguments, which allows everything: \(why)"
                }
            }
            if p.kind == .wildcard, let star = firstUnescapedStar(p.text), star < p.text.count - 1 {
                return "a wildcard before the end of the pattern admits any subcommand or option in its place"
            }
            return nil
        case .path(let pattern):
            if case .editing = rule.scope, pattern.matches("/") { return "allows editing every file" }
            return nil
        case .domain(let host):
            return host.pattern == .any ? "allows fetching from any host" : nil
        case .other:
            return nil
        }
    }

    /// The text before the first wildcard (the prefix of a `:*` rule).
    static func fixedPart(_ p: BashPattern) -> String {
        if p.kind == .prefix { return p.prefix }
        guard let star = firstUnescapedStar(p.text) else { return p.text }
        return String(p.text.prefix(star))
    }

    static func firstUnescapedStar(_ s: String) -> Int? {
        var escaped = false
        for (i, c) in s.enumerated() {
            if escaped { escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "*" { return i }
        }
        return nil
    }
}
