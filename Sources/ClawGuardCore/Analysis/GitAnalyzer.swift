/// git: global options, `-c key=value` configuration that names programs, and subcommands that reach the
/// network, run programs, or destroy work.
enum Git {
    /// Configuration keys whose values are programs or shell commands git runs. A data table.
    static let commandKeys: [String: String] = [
        "core.pager": "the pager", "core.editor": "the editor", "core.sshcommand": "the ssh command",
        "core.askpass": "the password prompt", "core.fsmonitor": "the file-system monitor hook",
        "core.hookspath": "where hooks are run from", "core.gitproxy": "the proxy command",
        "diff.external": "the external diff program", "sequence.editor": "the rebase editor",
        "credential.helper": "the credential helper", "gpg.program": "the signing program",
        "gpg.ssh.program": "the signing program", "uploadpack.packobjectshook": "a pack hook",
        "pager.log": "the log pager", "pager.diff": "the diff pager", "pager.show": "the show pager",
        "interactive.difffilter": "the diff filter", "web.browser": "the browser", "merge.tool": "the merge tool",
        "diff.tool": "the diff tool", "man.viewer": "the man viewer", "protocol.ext.allow": "the ext:: transport",
        "safe.directory": "which repositories are trusted", "core.worktree": "the work tree",
        "include.path": "an included configuration file", "init.templatedir": "hook templates",
    ]
    static let commandKeySuffixes: [(String, String)] = [
        (".clean", "a clean filter"), (".smudge", "a smudge filter"), (".process", "a filter process"),
        (".textconv", "a diff text converter"), (".command", "a driver command"), (".cmd", "a tool command"),
        (".path", "a tool path"), (".helper", "a credential helper"), (".sshcommand", "the ssh command"),
        (".pager", "a pager"), (".proxy", "a proxy"),
    ]

    static let networkSubcommands: Set<String> = ["push", "pull", "fetch", "clone", "ls-remote", "remote", "submodule", "archive", "request-pull", "send-email", "svn", "p4", "daemon", "http-push", "http-fetch", "upload-pack", "receive-pack"]
    static let readOnlySubcommands: Set<String> = ["status", "diff", "log", "show", "blame", "branch", "tag", "describe", "rev-parse", "ls-files", "grep", "shortlog", "reflog", "cat-file", "rev-list", "name-rev", "whatchanged", "ls-tree", "show-ref", "for-each-ref", "merge-base", "count-objects", "help", "version", "var", "check-ignore", "stash"]

    /// Subcommands git has built in besides the read-only and network ones (anything else may be an alias or an
    /// external `git-NAME` program).
    static let builtinSubcommands: Set<String> = ["add", "commit", "checkout", "switch", "merge", "stash", "init", "mv", "rm", "restore", "am", "apply", "cherry-pick", "revert", "tag", "worktree", "notes", "gc", "fsck", "prune", "repack", "sparse-checkout", "maintenance", "rerere", "bundle", "format-patch", "range-diff", "fast-export", "fast-import", "mailinfo", "mailsplit", "update-index", "update-ref", "write-tree", "read-tree", "commit-tree", "hash-object", "symbolic-ref", "check-attr", "check-ref-format", "credential", "lfs", "bisect", "rebase", "filter-branch", "mergetool", "difftool", "config", "hook", "clean", "reset", "branch"]
    /// Subcommands whose plain arguments may be paths (`git add src/x`), and those of them that write.
    static let pathSubcommands: Set<String> = ["add", "rm", "mv", "checkout", "restore", "diff", "log", "show", "blame"]
    static let writingPathSubcommands: Set<String> = ["add", "rm", "mv", "checkout", "restore"]
    /// Network subcommands that talk to a remote without naming it.
    static let remoteSubcommands: Set<String> = ["push", "pull", "fetch", "clone", "ls-remote", "send-email"]
    /// `git config` arguments that make it read rather than write.
    static let configReadingArguments: Set<String> = ["--get", "--get-all", "--list", "-l", "--get-regexp", "get", "list", "--show-origin"]

    /// Global options that take a value (`git -C DIR`, `git -c key=value`).
    static let globalValueOptions: Set<String> = ["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path", "--config-env", "--super-prefix", "--list-cmds"]

    static let analyze: @Sendable (inout ProgramAnalysis) -> Void = { a in
        var i = 1
        let globalValue = globalValueOptions
        while i < a.words.count {
            let text = a.words[i].text
            guard text.hasPrefix("-") else { break }
            var name = text
            var value: ShellWord?
            if let eq = text.firstIndex(of: "="), text.hasPrefix("--") {
                name = String(text[..<eq])
                var builder = WordBuilder()
                for b in text[text.index(after: eq)...].utf8 { builder.appendQuoted(b) }
                value = a.words[i].isStatic ? builder.finish(offset: 0) : nil
            } else if globalValue.contains(text), i + 1 < a.words.count {
                value = a.words[i + 1]
                i += 1
            }
            switch name {
            case "-c":
                if let value { config(value, &a) }
            case "--config-env":
                a.add(.exec, "git --config-env sets configuration from an environment variable")
            case "--exec-path":
                if value != nil { a.add(.exec, "git --exec-path changes where git finds its programs") }
            case "-C":
                if let value { a.addPath(word: value, .list, origin: "git -C") }
            case "--git-dir", "--work-tree":
                if let value { a.addPath(word: value, .list, origin: "git \(name)") }
            default:
                break
            }
            i += 1
        }
        guard i < a.words.count else { return }
        let sub = a.words[i].text
        let args = Array(a.words[(i + 1)...])
        let argText = args.map(\.text)
        if !a.words[i].isStatic {
            a.add(.obfuscation, "git subcommand is computed at run time")
            return
        }
        if networkSubcommands.contains(sub) {
            for word in args where word.text.contains("://") || word.text.contains("@") && word.text.contains(":") {
                a.addNetwork(word: word, origin: "git \(sub) URL")
            }
            if !args.contains(where: { $0.text.contains("://") || ($0.text.contains("@") && $0.text.contains(":")) }),
                remoteSubcommands.contains(sub)
            {
                a.add(.network, "git \(sub) talks to a remote repository", floor: .allow)
            }
            for word in args where word.text.hasPrefix("ext::") {
                a.code.append(InnerCode(language: .shell, source: word.isStatic ? String(word.text.dropFirst(5)) : nil, via: "git ext:: transport"))
            }
        }
        switch sub {
        case "diff", "log", "show", "difftool", "blame", "grep":
            if argText.contains("--ext-diff") || sub == "difftool" {
                a.add(.exec, "git \(sub) \(sub == "difftool" ? "" : "--ext-diff ")runs an external diff program from git's configuration")
            }
            if argText.contains(where: { $0.hasPrefix("--textconv") }) {
                a.add(.exec, "git \(sub) --textconv runs text converters from git's configuration", floor: .allow)
            }
            for (n, word) in args.enumerated() where word.text == "--output" || word.text.hasPrefix("--output=") {
                if word.text == "--output", n + 1 < args.count {
                    a.addPath(word: args[n + 1], .write, origin: "git --output", incidental: true)
                } else {
                    a.addPath(word: word, .write, origin: "git --output", stripPrefix: 9, incidental: true)
                }
            }
            if sub == "grep", argText.contains(where: { $0 == "-O" || $0.hasPrefix("--open-files-in-pager") }) {
                a.add(.exec, "git grep -O opens files in a pager program")
            }
        case "config":
            let writing = !argText.contains(where: configReadingArguments.contains)
                && args.filter({ !$0.text.hasPrefix("-") }).count >= 2
            if writing {
                let positional = args.filter { !$0.text.hasPrefix("-") }
                let key = positional.first?.text.lowercased() ?? ""
                if isCommandKey(key) != nil || key.hasPrefix("alias.") {
                    a.add(.protectedWrite, "git config \(key) sets a program git will run later")
                } else {
                    a.add(.protectedWrite, "git config changes the repository's configuration", floor: .allow)
                }
                if argText.contains("--global") || argText.contains("--system") {
                    a.add(.protectedWrite, "git config --global/--system changes configuration outside the project")
                }
            }
        case "submodule":
            if let n = argText.firstIndex(of: "foreach") {
                let rest = args[(n + 1)...].filter { !$0.text.hasPrefix("--") }
                if let first = rest.first { a.addShell(first, via: "git submodule foreach") }
            }
        case "rebase":
            for (n, word) in args.enumerated() {
                if (word.text == "-x" || word.text == "--exec"), n + 1 < args.count {
                    a.addShell(args[n + 1], via: "git rebase --exec")
                } else if word.text.hasPrefix("--exec=") {
                    a.code.append(InnerCode(language: .shell, source: String(word.text.dropFirst(7)), via: "git rebase --exec"))
                }
            }
        case "bisect":
            if argText.first == "run", args.count > 1 { a.inner.append(Array(args[1...])) }
        case "filter-branch":
            for (n, word) in args.enumerated() where word.text.hasSuffix("-filter") && n + 1 < args.count {
                a.addShell(args[n + 1], via: "git filter-branch \(word.text)")
            }
        case "mergetool":
            a.add(.exec, "git mergetool runs a merge program from git's configuration")
        case "push":
            if argText.contains(where: { $0 == "--force" || $0 == "-f" || $0.hasPrefix("--force-with-lease") || ($0.hasPrefix("+") && $0.count > 1) || $0 == "--mirror" || $0 == "--delete" || $0 == "-d" }) {
                a.add(.destructive, "git push with force/delete/mirror rewrites or removes remote history")
            }
            if let receive = argText.first(where: { $0.hasPrefix("--receive-pack") || $0.hasPrefix("--exec") }) {
                a.add(.exec, "git push \(receive) names a program to run on the remote side")
            }
        case "fetch", "pull", "clone", "ls-remote", "archive":
            if let upload = argText.first(where: { $0.hasPrefix("--upload-pack") || $0.hasPrefix("-u") && sub == "clone" || $0.hasPrefix("--exec") }) {
                a.add(.exec, "git \(sub) \(upload) names a program to run")
            }
            if sub == "clone", argText.contains(where: { $0.hasPrefix("--template") || $0 == "-c" || $0.hasPrefix("--config") }) {
                a.add(.exec, "git clone with --template/--config can install hooks or programs")
            }
        case "reset":
            if argText.contains("--hard") { a.add(.destructive, "git reset --hard discards uncommitted changes", floor: .allow) }
        case "clean":
            if argText.contains(where: { $0.hasPrefix("-") && $0.contains("f") }) {
                a.add(.destructive, "git clean -f deletes untracked files", floor: .allow)
            }
        case "checkout", "restore":
            if argText.contains(".") || argText.contains("--") && argText.last == "." {
                a.add(.destructive, "git \(sub) . discards uncommitted changes", floor: .allow)
            }
        case "branch":
            if argText.contains("-D") { a.add(.destructive, "git branch -D deletes a branch even when unmerged", floor: .allow) }
        case "commit", "merge", "am", "cherry-pick", "revert", "tag":
            if argText.contains("--no-verify") || argText.contains("-n") && sub == "commit" {
                a.add(.exec, "git \(sub) --no-verify skips the repository's hooks", floor: .allow)
            }
        case "hook":
            a.add(.exec, "git hook runs the repository's hooks")
        default:
            if !readOnlySubcommands.contains(sub) && !builtinSubcommands.contains(sub) && !networkSubcommands.contains(sub) {
                a.add(.exec, "`git \(sub)` is not a built-in subcommand: it may be an alias or an external git-\(sub) program")
            }
        }
        // Paths after `--` or plain file arguments of file-reading subcommands.
        if pathSubcommands.contains(sub) {
            for word in args where !word.text.hasPrefix("-") && (word.text.contains("/") || word.text.hasPrefix(".")) {
                let access: PathAccessKind = writingPathSubcommands.contains(sub) ? .write : .read
                a.addPath(word: word, sub == "rm" ? .delete : access, origin: "git \(sub) path")
            }
        }
    }

    static func isCommandKey(_ key: String) -> String? {
        let lower = key.lowercased()
        if let what = commandKeys[lower] { return what }
        for (suffix, what) in commandKeySuffixes where lower.hasSuffix(suffix) { return what }
        if lower.hasPrefix("pager.") { return "a pager" }
        return nil
    }

    /// `git -c key=value`.
    static func config(_ word: ShellWord, _ a: inout ProgramAnalysis) {
        guard word.isStatic else {
            a.add(.obfuscation, "git -c configuration is computed at run time")
            return
        }
        let text = word.text
        guard let eq = text.firstIndex(of: "=") else { return }
        let key = String(text[..<eq]).lowercased()
        let value = String(text[text.index(after: eq)...])
        if key.hasPrefix("alias.") {
            if value.hasPrefix("!") {
                a.code.append(InnerCode(language: .shell, source: String(value.dropFirst()), via: "git -c \(key) (shell alias)"))
            } else {
                a.add(.exec, "git -c \(key) defines an alias that changes what a subcommand means")
            }
            return
        }
        if let what = isCommandKey(key) {
            if key == "core.hookspath" || key == "include.path" || key == "init.templatedir" || key == "safe.directory" || key == "core.worktree" {
                a.add(.exec, "git -c \(key)=\(value) changes \(what)")
            } else if key == "protocol.ext.allow" {
                a.add(.exec, "git -c protocol.ext.allow enables the ext:: transport, which runs commands")
            } else {
                a.code.append(InnerCode(language: .shell, source: value, via: "git -c \(key) (\(what))"))
            }
        }
    }
}
