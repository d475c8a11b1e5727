import Foundation

/// Analyses for programs whose arguments have a syntax of their own. Each is referenced from one row of the
/// capability table; they only read words and record findings, paths, hosts and inner commands.
enum Custom {
    // MARK: Wrappers

    static let envValueFlags: Set<String> = ["-u", "--unset", "-C", "--chdir"]

    /// `env [-i] [-u NAME] [-C DIR] [-S STRING] [NAME=VALUE]… [COMMAND…]`
    static let env: @Sendable (inout ProgramAnalysis) -> Void = { a in
        var i = 1
        while i < a.words.count {
            let text = a.words[i].text
            if text == "--" {
                i += 1
                break
            }
            if text == "-S" || text == "--split-string" || text.hasPrefix("--split-string=") || (text.hasPrefix("-S") && text.count > 2) {
                // -S splits a string into a command line: judge it as shell source.
                if text == "-S" || text == "--split-string", i + 1 < a.words.count {
                    a.addShell(a.words[i + 1], via: "env -S")
                } else {
                    let raw = text.hasPrefix("-S") ? String(text.dropFirst(2)) : String(text.dropFirst("--split-string=".count))
                    a.code.append(InnerCode(language: .shell, source: a.words[i].isStatic ? raw : nil, via: "env -S"))
                }
                return
            }
            if Custom.envValueFlags.contains(text) {
                i += 2
                continue
            }
            if text.hasPrefix("-") && text.count > 1 {
                i += 1
                continue
            }
            if let eq = text.firstIndex(of: "="), eq != text.startIndex,
                text[..<eq].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
            {
                let name = String(text[..<eq])
                let value = String(text[text.index(after: eq)...])
                Environment.check(name: name, value: value, isStatic: a.words[i].isStatic, into: &a)
                i += 1
                continue
            }
            break
        }
        if i < a.words.count {
            a.inner.append(Array(a.words[i...]))
        } else {
            a.add(.secretRead, "env with no command prints environment variables, which often hold credentials")
        }
    }

    /// `command -v name` only looks a name up; `command name …` runs it.
    static let command: @Sendable (inout ProgramAnalysis) -> Void = { a in
        if a.has("-v", "-V") { a.inner.removeAll() }
    }

    /// `xargs` runs its command (default `echo`) with arguments read from standard input.
    static let xargs: @Sendable (inout ProgramAnalysis) -> Void = { a in
        if a.inner.isEmpty { return }
        a.add(.exec, "xargs runs `\(a.inner[0].first?.text ?? "")` with arguments read from its input at run time", floor: .allow)
    }

    /// `parallel [options] COMMAND ::: args` or with input from stdin; the command is shell source.
    static let parallel: @Sendable (inout ProgramAnalysis) -> Void = { a in
        var parts: [String] = []
        var i = 1
        while i < a.words.count, a.words[i].text.hasPrefix("-") { i += 1 }
        while i < a.words.count, !a.words[i].text.hasPrefix(":::") {
            parts.append(a.words[i].text)
            i += 1
        }
        if !parts.isEmpty {
            a.code.append(InnerCode(language: .shell, source: parts.joined(separator: " "), via: "parallel"))
        }
    }

    /// `flock FILE -c COMMAND` (the command string comes after the lock file).
    static let flock: @Sendable (inout ProgramAnalysis) -> Void = { a in
        guard a.code.isEmpty, let first = a.positionals.first else { return }
        if first + 2 < a.words.count, ["-c", "--command"].contains(a.words[first + 1].text) {
            a.addShell(a.words[first + 2], via: "flock -c")
        }
    }

    static let gdb: @Sendable (inout ProgramAnalysis) -> Void = { a in
        if let index = a.words.firstIndex(where: { $0.text == "--args" }), index + 1 < a.words.count {
            a.inner.append(Array(a.words[(index + 1)...]))
        }
    }

    /// `sudo -s`/`sudo -i` without a command start a root shell; `sudo -e` edits files as root.
    static let sudo: @Sendable (inout ProgramAnalysis) -> Void = { a in
        if a.inner.isEmpty && (a.has("-s", "-i", "--shell", "--login")) {
            a.add(.privilege, "sudo opens a root shell", floor: .deny)
        }
        if a.has("-e", "--edit") {
            for index in a.positionals { a.addPath(index, .write, origin: "sudo -e") }
        }
    }

    // MARK: Shells and interpreters

    static let shellValueFlags: Set<String> = ["-o", "+o", "-O", "+O", "--rcfile", "--init-file"]

    /// `sh -c SCRIPT`, `sh FILE`, or `sh` reading a script from standard input.
    static let shell: @Sendable (inout ProgramAnalysis) -> Void = { a in
        var i = 1
        var commandMode = false
        while i < a.words.count {
            let text = a.words[i].text
            if text == "--" || text == "-" {
                i += 1
                break
            }
            if Custom.shellValueFlags.contains(text) {
                if text == "--rcfile" || text == "--init-file", i + 1 < a.words.count {
                    a.addPath(i + 1, .execute, origin: text)
                }
                i += 2
                continue
            }
            if (text.hasPrefix("-") || text.hasPrefix("+")) && text.count > 1 && !text.hasPrefix("--") {
                if text.dropFirst().contains("c") { commandMode = true }
                i += 1
                continue
            }
            if text.hasPrefix("--") {
                i += 1
                continue
            }
            break
        }
        if commandMode {
            if i < a.words.count {
                a.addShell(a.words[i], via: "\(a.program) -c")
            } else {
                a.add(.parseError, "\(a.program) -c has no command string")
            }
            return
        }
        if i < a.words.count {
            a.addPath(i, .execute, origin: "script")
            a.add(.exec, "runs the shell script \(a.words[i].text)")
        } else {
            a.readsScriptFromStandardInput = true
        }
    }

    static let pythonNetworkModules: Set<String> = ["http.server", "SimpleHTTPServer", "smtpd", "ftplib", "pip", "ensurepip", "venv", "webbrowser"]

    /// Interpreters: inline code (`-c`, `-e`), a script file, or a script read from standard input.
    static let interpreter: @Sendable (inout ProgramAnalysis) -> Void = { a in
        let hasCode = a.options.contains { option in
            if case .code = a.effect(of: option.name) { return true }
            return false
        }
        if hasCode { return }
        if let module = a.values("-m").first {
            if Custom.pythonNetworkModules.contains(module) {
                a.add(.network, "\(a.program) -m \(module) can reach the network or install code")
            }
            return
        }
        if let first = a.positionals.first {
            let text = a.words[first].text
            if text != "-" {
                a.addPath(first, .execute, origin: "script")
                return
            }
        }
        if a.has("-r", "--require", "-M", "-I", "-jar") { return }
        a.readsScriptFromStandardInput = true
    }

    /// awk: the program text is code; `system()`, pipes to commands and `getline` from commands run programs.
    static let awk: @Sendable (inout ProgramAnalysis) -> Void = { a in
        var programIndex: Int?
        var fileArgs = a.positionals
        if a.has("-f", "--file") || a.has("-e", "--source") {
            for value in a.values("-f") + a.values("--file") {
                a.code.append(InnerCode(language: .other("awk"), source: nil, via: "awk -f \(value)"))
            }
            for value in a.options where value.name == "-e" || value.name == "--source" {
                if let v = value.value { checkAwk(a.words[v], &a) }
            }
        } else if let first = fileArgs.first {
            programIndex = first
            fileArgs.removeFirst()
        }
        if let programIndex { checkAwk(a.words[programIndex], &a) }
        for index in fileArgs where !a.words[index].text.contains("=") {
            a.addPath(index, .read, origin: "argument")
        }
    }

    private static func checkAwk(_ word: ShellWord, _ a: inout ProgramAnalysis) {
        guard word.isStatic else {
            a.code.append(InnerCode(language: .other("awk"), source: nil, via: "awk program computed at run time"))
            return
        }
        let program = word.text
        let execMarkers = ["system(", "system (", "| getline", "|getline", "|&", "\" |", "\"|", "') |"]
        if execMarkers.contains(where: program.contains) || program.range(of: #"print[^;}]*\|"#, options: .regularExpression) != nil {
            a.code.append(InnerCode(language: .other("awk"), source: program, via: "awk program running commands"))
        }
        if program.range(of: #"(print|printf)[^;}]*>"#, options: .regularExpression) != nil {
            a.add(.protectedWrite, "awk program writes to a file", floor: .allow)
        }
    }

    /// sed: `-i` edits files in place; the `e` command and the `e` flag of `s` run commands; `w` writes files.
    static let sed: @Sendable (inout ProgramAnalysis) -> Void = { a in
        var scripts: [ShellWord] = []
        var files = a.positionals
        let explicitScripts = a.options.filter { $0.name == "-e" || $0.name == "--expression" }.compactMap(\.value)
        if !explicitScripts.isEmpty || a.has("-f", "--file") {
            scripts = explicitScripts.map { a.words[$0] }
            for value in a.values("-f") + a.values("--file") {
                a.code.append(InnerCode(language: .other("sed"), source: nil, via: "sed -f \(value)"))
            }
        } else if let first = files.first {
            scripts = [a.words[first]]
            files.removeFirst()
        }
        let inPlace = a.options.contains { $0.name == "-i" || $0.name.hasPrefix("-i") || $0.name.hasPrefix("--in-place") }
            || a.words.contains { word in
                let t = word.text
                return t.hasPrefix("-") && !t.hasPrefix("--") && t.dropFirst().contains("i") && t.count < 8
            }
        for index in files { a.addPath(index, inPlace ? .write : .read, origin: inPlace ? "sed -i" : "argument", incidental: inPlace) }
        for script in scripts {
            guard script.isStatic else {
                a.code.append(InnerCode(language: .other("sed"), source: nil, via: "sed script computed at run time"))
                continue
            }
            let text = script.text
            if SedScript.runsCommands(text) {
                a.code.append(InnerCode(language: .other("sed"), source: text, via: "sed `e` command runs shell commands"))
            }
            if SedScript.mayWrite(text), let match = text.range(of: #"(^|[;\n}/])\s*[wW]\s+\S+"#, options: .regularExpression) {
                let target = text[match].split(whereSeparator: { $0 == " " || $0 == "\t" }).last.map(String.init) ?? ""
                a.paths.append(PathAccess(raw: target, value: target.hasPrefix("/") || target.hasPrefix("~") ? nil : target,
                                          access: .write, origin: "sed w command"))
            }
        }
    }

    /// `vim +cmd`, `less +cmd`: initial commands can run shell commands (`:!cmd`, `!cmd`).
    static let plusCommands: @Sendable (inout ProgramAnalysis) -> Void = { a in
        for word in a.words.dropFirst() where word.text.hasPrefix("+") && word.text.count > 1 {
            let command = String(word.text.dropFirst())
            if command.contains("!") || command.contains("|") || command.contains("system") || command.contains("sh") {
                a.code.append(InnerCode(language: .other(a.program), source: command, via: "\(a.program) +command"))
            }
        }
    }

    // MARK: Files

    /// `pytest -p NAME` loads a plugin module (code); `-p no:NAME` disables one.
    static let pytest: @Sendable (inout ProgramAnalysis) -> Void = { a in
        for value in a.values("-p") where !value.hasPrefix("no:") {
            a.code.append(InnerCode(language: .other("python"), source: value, via: "pytest -p (loads the plugin module \(value))"))
        }
        for word in a.words.dropFirst() where word.text.hasPrefix("-p") && word.text.count > 2 && !word.text.hasPrefix("-pno:") {
            a.code.append(InnerCode(language: .other("python"), source: String(word.text.dropFirst(2)), via: "pytest -p (loads a plugin module)"))
        }
    }

    static let curl: @Sendable (inout ProgramAnalysis) -> Void = { a in
        if a.has("-K", "--config") {
            a.add(.exec, "curl -K/--config reads further options (URLs, uploads, output files) from a file ClawGuard cannot see")
        }
    }

    static let readerExtras: @Sendable (inout ProgramAnalysis) -> Void = { a in
        // `uniq INPUT OUTPUT`: the second positional is written.
        if a.program == "uniq", a.positionals.count >= 2 {
            let output = a.positionals[1]
            a.paths.removeAll { $0.raw == a.words[output].text && $0.access == .read }
            a.addPath(output, .write, origin: "uniq output", incidental: true)
        }
        // `jq`/`yq`: the first positional is a filter, not a file.
        if ["jq", "yq", "gojq"].contains(a.program), let first = a.positionals.first,
            !a.has("-f", "--from-file"), let index = a.paths.firstIndex(where: { $0.raw == a.words[first].text })
        {
            a.paths.remove(at: index)
        }
        // `tr SET1 SET2`, `seq`, `base64 -d` are not files beyond their positionals.
        if a.program == "tr" { a.paths.removeAll { $0.origin == "argument" } }
    }

    static let grep: @Sendable (inout ProgramAnalysis) -> Void = { a in
        // With -e/-f the pattern is an option and every positional is a file.
        if a.has("-e", "--regexp", "-f", "--file"), let first = a.positionals.first {
            a.addPath(first, .read, origin: "argument")
        }
        if a.positionals.count <= 1 && a.has("-r", "-R", "--recursive", "-d") == false && a.program != "rg" && a.program != "ag" {
            return
        }
    }

    static let findValueTests: Set<String> = [
            "-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex", "-type", "-xtype",
            "-size", "-perm", "-user", "-group", "-uid", "-gid", "-mtime", "-mmin", "-atime", "-amin", "-ctime",
            "-cmin", "-newer", "-anewer", "-cnewer", "-maxdepth", "-mindepth", "-links", "-inum", "-samefile",
            "-printf", "-fstype", "-context", "-used", "-lname", "-ilname", "-regextype", "-newerXY", "-D", "-O",
        ]

    /// `find ROOT… [tests] [-exec CMD {} ;] [-delete] [-fprint FILE]`
    static let find: @Sendable (inout ProgramAnalysis) -> Void = { a in
        var i = 1
        var roots: [Int] = []
        // Leading options (-H -L -P) and roots come before the first expression word.
        while i < a.words.count {
            let text = a.words[i].text
            if text == "-H" || text == "-L" || text == "-P" {
                i += 1
                continue
            }
            if text.hasPrefix("-") || text == "(" || text == "!" || text == ")" || text == "," { break }
            roots.append(i)
            i += 1
        }
        var deletes = false
        while i < a.words.count {
            let text = a.words[i].text
            switch text {
            case "-exec", "-execdir", "-ok", "-okdir":
                var j = i + 1
                var command: [ShellWord] = []
                while j < a.words.count, a.words[j].text != ";", a.words[j].text != "+" {
                    command.append(a.words[j])
                    j += 1
                }
                if command.isEmpty {
                    a.add(.parseError, "find \(text) has no command")
                } else {
                    a.inner.append(command)
                }
                i = j + 1
            case "-delete":
                deletes = true
                i += 1
            case "-fprint", "-fprint0", "-fls", "-fprintf":
                if i + 1 < a.words.count { a.addPath(i + 1, .write, origin: text) }
                i += text == "-fprintf" ? 3 : 2
            default:
                i += Custom.findValueTests.contains(text) ? 2 : 1
            }
        }
        if roots.isEmpty {
            a.paths.append(PathAccess(raw: ".", value: ".", access: deletes ? .delete : .list, origin: "search root", incidental: deletes))
        }
        for index in roots { a.addPath(index, deletes ? .delete : .list, origin: "search root", incidental: deletes) }
        if deletes { a.add(.destructive, "find -delete removes every file that matches", floor: .allow) }
    }

    /// `dd if=FILE of=FILE`
    static let dd: @Sendable (inout ProgramAnalysis) -> Void = { a in
        for word in a.words.dropFirst() {
            let text = word.text
            if text.hasPrefix("if=") {
                a.addPath(word: word, .read, origin: "if=", stripPrefix: 3)
            } else if text.hasPrefix("of=") {
                a.addPath(word: word, .write, origin: "of=", stripPrefix: 3)
                if text.hasPrefix("of=/dev/") && !text.hasPrefix("of=/dev/null") && !text.hasPrefix("of=/dev/std") {
                    a.add(.destructive, "dd writes directly to the device \(text.dropFirst(3))", floor: .deny)
                }
            }
        }
    }

    /// `ln -s TARGET LINK`: a link to a protected file is as good as reading it.
    static let ln: @Sendable (inout ProgramAnalysis) -> Void = { a in
        let positionals = a.positionals
        guard !positionals.isEmpty else { return }
        if positionals.count == 1 {
            a.addPath(positionals[0], .read, origin: "link target")
            return
        }
        for index in positionals.dropLast() { a.addPath(index, .read, origin: "link target") }
        if let last = positionals.last { a.addPath(last, .write, origin: "link name") }
    }

    /// `rm -rf` on a home directory, the root, or everything in a directory.
    static let rm: @Sendable (inout ProgramAnalysis) -> Void = { a in
        let recursive = a.words.contains { w in
            let t = w.text
            return t == "--recursive" || (t.hasPrefix("-") && !t.hasPrefix("--") && (t.contains("r") || t.contains("R")))
        }
        guard recursive || a.program == "shred" else { return }
        for index in a.positionals {
            let raw = a.words[index].text
            let value = a.resolve(a.words[index]) ?? raw
            if Destructive.isBroadTarget(value, raw: raw) {
                // The root, a home directory or a system directory: deny. The current directory or `*`: ask.
                let local = [".", "./", "*", "./*", "..", "../", ".*"].contains(raw)
                a.add(.destructive, "\(a.program) -r on \(raw) deletes everything below it", floor: local ? .ask : .deny)
            }
        }
    }

    /// `chmod MODE FILE…`: setuid/setgid bits and world-writable trees.
    static let chmod: @Sendable (inout ProgramAnalysis) -> Void = { a in
        var positionals = a.positionals
        // `chmod -R 777 x`: the mode may look like an option (`-x`, `-w`); take the first positional as the mode.
        guard !positionals.isEmpty else { return }
        let modeIndex = positionals.removeFirst()
        let mode = a.words[modeIndex].text
        if mode.contains("s") || (mode.count == 4 && (mode.first == "4" || mode.first == "2" || mode.first == "6")) {
            a.add(.privilege, "chmod \(mode) sets the setuid/setgid bit")
        }
        let recursive = a.has("-R", "--recursive")
        for index in positionals {
            a.addPath(index, .write, origin: "chmod")
            if recursive && (mode.hasSuffix("777") || mode.contains("o+w") || mode.contains("a+w")),
                Destructive.isBroadTarget(a.resolve(a.words[index]) ?? a.words[index].text, raw: a.words[index].text)
            {
                a.add(.destructive, "chmod -R \(mode) makes a whole tree writable by everyone")
            }
        }
    }

    static let chown: @Sendable (inout ProgramAnalysis) -> Void = { a in
        var positionals = a.positionals
        guard !positionals.isEmpty else { return }
        if !a.has("--reference") {
            let owner = a.words[positionals.removeFirst()].text
            if owner.hasPrefix("root") || owner.hasPrefix("0:") || owner == "0" {
                a.add(.privilege, "\(a.program) gives files to root")
            }
        }
        for index in positionals { a.addPath(index, .write, origin: a.program) }
    }

    static let tarValueLong: Set<String> = [
            "--file", "--directory", "--to-command", "--use-compress-program", "--rsh-command", "--info-script",
            "--new-volume-script", "--exclude", "--exclude-from", "--files-from", "--transform", "--owner", "--group",
            "--mode", "--checkpoint-action", "--index-file", "--listed-incremental", "--newer", "--after-date",
        ]

    /// tar: `--to-command`, `--checkpoint-action=exec=`, `-I`/`--use-compress-program`, `--rsh-command`,
    /// `-F`/`--info-script` run programs; `-f` names the archive.
    static let tar: @Sendable (inout ProgramAnalysis) -> Void = { a in
        var creating = false
        var extracting = false
        var i = 1
        var archive: Int?
        var pendingF = false
        func handle(long name: String, value: ShellWord?, valueText: String?) {
            switch name {
            case "--file":
                if let value { a.addPath(word: value, .read, origin: "tar --file") }
            case "--to-command", "--use-compress-program", "--rsh-command", "--info-script", "--new-volume-script":
                if let value { a.addShell(value, via: "tar \(name)") }
            case "--checkpoint-action":
                if let valueText, valueText.hasPrefix("exec=") {
                    a.code.append(InnerCode(language: .shell, source: value?.isStatic == true ? String(valueText.dropFirst(5)) : nil,
                                            via: "tar --checkpoint-action=exec"))
                }
            case "--files-from", "--exclude-from":
                if let value { a.addPath(word: value, .read, origin: "tar \(name)") }
            case "--directory":
                if let value { a.addPath(word: value, .write, origin: "tar -C") }
            default: break
            }
        }
        while i < a.words.count {
            let word = a.words[i]
            let text = word.text
            if text.hasPrefix("--") {
                if let eq = text.firstIndex(of: "=") {
                    let name = String(text[..<eq])
                    let valueText = String(text[text.index(after: eq)...])
                    var builder = WordBuilder()
                    for b in valueText.utf8 { builder.appendQuoted(b) }
                    let valueWord = word.isStatic ? builder.finish(offset: word.offset) : ShellWord(parts: [.parameter(name: "?", raw: valueText)])
                    handle(long: name, value: valueWord, valueText: valueText)
                } else if Custom.tarValueLong.contains(text), i + 1 < a.words.count {
                    handle(long: text, value: a.words[i + 1], valueText: a.words[i + 1].text)
                    i += 1
                } else if text == "--create" || text == "--append" || text == "--update" {
                    creating = true
                } else if text == "--extract" || text == "--get" {
                    extracting = true
                }
                i += 1
                continue
            }
            let isFirstOldStyle = i == 1 && !text.hasPrefix("-") && text.allSatisfy({ "cxtrujzZJavfpPOkmhSWC".contains($0) })
            if text.hasPrefix("-") || isFirstOldStyle {
                let letters = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
                var takeValues: [Character] = []
                for c in letters {
                    switch c {
                    case "c", "r", "u": creating = true
                    case "x": extracting = true
                    case "f", "C", "I", "F", "T", "X", "g", "K", "N", "V", "b", "L": takeValues.append(c)
                    default: break
                    }
                }
                for c in takeValues {
                    guard i + 1 < a.words.count else { break }
                    i += 1
                    let value = a.words[i]
                    switch c {
                    case "f": archive = i; pendingF = false
                    case "C": a.addPath(word: value, .write, origin: "tar -C")
                    case "I", "F": a.addShell(value, via: "tar -\(c)")
                    case "T", "X": a.addPath(word: value, .read, origin: "tar -\(c)")
                    default: break
                    }
                }
                i += 1
                continue
            }
            if creating { a.addPath(i, .read, origin: "member") }
            i += 1
        }
        _ = pendingF
        if let archive { a.addPath(archive, creating ? .write : .read, origin: "archive") }
        if extracting { a.add(.protectedWrite, "tar extracts files into the current directory", floor: .allow) }
    }

    static let zip: @Sendable (inout ProgramAnalysis) -> Void = { a in
        let positionals = a.words.indices.dropFirst().filter { !a.words[$0].text.hasPrefix("-") }
        guard let first = positionals.first else { return }
        a.addPath(first, .write, origin: "archive")
        for index in positionals.dropFirst() { a.addPath(index, .read, origin: "member") }
    }

    // MARK: Network

    static let netcat: @Sendable (inout ProgramAnalysis) -> Void = { a in
        if let first = a.positionals.first {
            var target = a.words[first]
            if a.positionals.count > 1 {
                var builder = WordBuilder()
                for b in (a.words[first].text + ":" + a.words[a.positionals[1]].text).utf8 { builder.appendQuoted(b) }
                if a.words[first].isStatic && a.words[a.positionals[1]].isStatic { target = builder.finish(offset: 0) }
            }
            a.addNetwork(word: target, origin: "host argument")
        }
        if a.has("-l", "--listen") { a.add(.network, "\(a.program) -l listens for incoming connections") }
    }

    static let socat: @Sendable (inout ProgramAnalysis) -> Void = { a in
        for word in a.words.dropFirst() where !word.text.hasPrefix("-") {
            let text = word.text
            let upper = text.uppercased()
            if upper.hasPrefix("EXEC:") || upper.hasPrefix("SYSTEM:") {
                let command = String(text.drop(while: { $0 != ":" }).dropFirst()).split(separator: ",").first.map(String.init) ?? ""
                a.code.append(InnerCode(language: .shell, source: word.isStatic ? command : nil, via: "socat \(upper.prefix(4))"))
            } else if let colon = upper.firstIndex(of: ":"),
                ["TCP", "TCP4", "TCP6", "UDP", "UDP4", "UDP6", "SSL", "OPENSSL"].contains(String(upper[..<colon]))
            {
                let rest = String(text[text.index(after: colon)...]).split(separator: ",").first.map(String.init) ?? ""
                if let target = NetworkTarget.parse(rest, origin: "socat address") { a.network.append(target) }
            } else if upper.hasPrefix("OPEN:") || upper.hasPrefix("FILE:") || upper.hasPrefix("CREATE:") {
                let path = String(text.drop(while: { $0 != ":" }).dropFirst()).split(separator: ",").first.map(String.init) ?? ""
                a.paths.append(PathAccess(raw: path, value: word.isStatic ? path : nil, access: .write, origin: "socat file address"))
            }
        }
    }

    /// `ssh [options] destination [command…]`: the destination is a host; the command runs there.
    static let ssh: @Sendable (inout ProgramAnalysis) -> Void = { a in
        for value in a.values("-o") { Custom.sshOption(value, &a) }
        guard let first = a.positionals.first else { return }
        a.addNetwork(word: a.words[first], origin: "ssh destination")
        if let port = a.values("-p").first.flatMap(Int.init), let last = a.network.indices.last {
            a.network[last].port = port
        } else if let last = a.network.indices.last, a.network[last].port == nil {
            a.network[last].port = 22
        }
        let rest = a.positionals.dropFirst()
        if !rest.isEmpty, let lower = rest.first {
            let words = a.words[lower...]
            let allStatic = words.allSatisfy(\.isStatic)
            a.code.append(InnerCode(language: .shell, source: allStatic ? words.map(\.text).joined(separator: " ") : nil,
                                    via: "ssh remote command"))
        }
    }

    static func sshOption(_ value: String, _ a: inout ProgramAnalysis) {
        let lower = value.lowercased()
        for key in ["proxycommand", "localcommand", "knownhostscommand", "remotecommand"] where lower.hasPrefix(key) {
            let command = String(value.dropFirst(key.count).drop(while: { $0 == "=" || $0 == " " }))
            a.code.append(InnerCode(language: .shell, source: command, via: "ssh -o \(key)"))
        }
        if lower.hasPrefix("permitlocalcommand=yes") { a.add(.exec, "ssh -o PermitLocalCommand=yes runs local commands") }
    }

    /// `scp`/`rsync`: `host:path` arguments are remote; local sources are read, the last argument written.
    static let remoteCopy: @Sendable (inout ProgramAnalysis) -> Void = { a in
        for value in a.values("-o") { Custom.sshOption(value, &a) }
        let positionals = a.positionals
        for (n, index) in positionals.enumerated() {
            let text = a.words[index].text
            let isLast = n == positionals.count - 1 && positionals.count > 1
            if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/"), colon != text.startIndex {
                let hostPart = String(text[..<colon])
                if text.hasPrefix("rsync://") || text.contains("://") {
                    a.addNetwork(word: a.words[index], origin: "remote path")
                } else if let target = NetworkTarget.parse(hostPart, origin: "remote path") {
                    var t = target
                    t.raw = text
                    a.network.append(t)
                }
            } else {
                a.addPath(index, isLast ? .write : .read, origin: isLast ? "destination" : "source")
            }
        }
    }

    /// Database and cloud clients: their first positional is often a URL with credentials or a host.
    static let clientTools: @Sendable (inout ProgramAnalysis) -> Void = { a in
        // Only URLs and hosts that look like hosts count; subcommands (`aws s3 ls`) are text.
        a.network.removeAll { target in
            guard let host = target.host else { return false }
            return !(target.raw.contains("://") || host.contains(".") || host == "localhost" || host.contains(":"))
        }
        for value in a.values("-h") + a.values("--host") {
            if let target = NetworkTarget.parse(value, origin: "host option") { a.network.append(target) }
        }
    }

    static let otherVCS: @Sendable (inout ProgramAnalysis) -> Void = { a in
        for value in a.values("--config") where value.lowercased().contains("ssh=") || value.lowercased().contains("hooks.") {
            a.code.append(InnerCode(language: .shell, source: nil, via: "\(a.program) --config \(value)"))
        }
    }

    // MARK: Package managers

    static let npm: @Sendable (inout ProgramAnalysis) -> Void = { a in
        for word in a.words.dropFirst() where word.text.hasPrefix("--script-shell") || word.text.hasPrefix("--node-options") || word.text.hasPrefix("--userconfig") || word.text.hasPrefix("--globalconfig") {
            a.add(.exec, "\(a.program) \(word.text) changes what runs its scripts")
        }
        guard let first = a.positionals.first else { return }
        let sub = a.words[first].text
        switch sub {
        case "install", "i", "ci", "add", "update", "up", "upgrade", "rebuild", "link", "dedupe", "audit":
            a.network.append(NetworkTarget(raw: "registry.npmjs.org", host: "registry.npmjs.org", port: 443, origin: "\(a.program) \(sub)"))
            a.add(.exec, "\(a.program) \(sub) runs the lifecycle scripts of the packages it installs", floor: .allow)
        case "exec", "x", "dlx":
            a.add(.exec, "\(a.program) \(sub) downloads and runs a package's code")
            let rest = a.positionals.dropFirst()
            if let lower = rest.first { a.inner.append(Array(a.words[lower...])) }
        case "publish", "unpublish", "deprecate", "owner", "access", "token", "login", "adduser":
            a.network.append(NetworkTarget(raw: "registry.npmjs.org", host: "registry.npmjs.org", port: 443, origin: "\(a.program) \(sub)"))
            a.add(.network, "\(a.program) \(sub) changes what the registry serves or holds credentials")
        case "config", "set":
            if a.positionals.count > 1, ["set", "edit", "delete"].contains(a.words[a.positionals[1]].text) || sub == "set" {
                a.add(.protectedWrite, "\(a.program) config changes the package manager's configuration (scripts, registry, credentials)")
            }
        default:
            break
        }
    }

    static let packageInstallSubcommands: Set<String> = ["install", "add", "update", "upgrade", "sync", "get", "fetch", "download", "dist-upgrade", "full-upgrade", "remove", "uninstall", "purge", "autoremove", "resolve"]

    static let packageRegistries: [String: String] = [
            "pip": "pypi.org", "pip3": "pypi.org", "uv": "pypi.org", "poetry": "pypi.org", "pipenv": "pypi.org",
            "gem": "rubygems.org", "bundle": "rubygems.org", "bundler": "rubygems.org", "cargo": "crates.io",
            "go": "proxy.golang.org", "composer": "packagist.org", "brew": "formulae.brew.sh",
            "apt": "deb.debian.org", "apt-get": "deb.debian.org", "swift": "github.com",
        ]

    static let packageManager: @Sendable (inout ProgramAnalysis) -> Void = { a in
        guard let first = a.positionals.first else { return }
        let sub = a.words[first].text
        if Custom.packageInstallSubcommands.contains(sub) {
            let host = Custom.packageRegistries[a.program] ?? "package registry"
            a.network.append(NetworkTarget(raw: host, host: Custom.packageRegistries[a.program], port: 443, origin: "\(a.program) \(sub)"))
            a.add(.exec, "\(a.program) \(sub) installs or changes packages, which can run their install scripts", floor: .allow)
            if ["apt", "apt-get", "dnf", "yum", "apk", "pacman", "zypper", "snap"].contains(a.program) {
                a.add(.privilege, "\(a.program) \(sub) changes system packages")
            }
        }
        // Options that name programs the tool runs.
        for (n, word) in a.words.enumerated() {
            let text = word.text
            switch a.program {
            case "go":
                if (text == "-exec" || text == "-toolexec") && n + 1 < a.words.count {
                    a.addShell(a.words[n + 1], via: "go \(text)")
                } else if text.hasPrefix("-exec=") || text.hasPrefix("-toolexec=") {
                    a.code.append(InnerCode(language: .shell, source: word.isStatic ? String(text.drop(while: { $0 != "=" }).dropFirst()) : nil, via: "go \(text.prefix(while: { $0 != "=" }))"))
                }
            case "cargo":
                if text == "--config" || text.hasPrefix("--config=") || text == "-Z" {
                    a.add(.exec, "cargo \(text) changes cargo's configuration on the command line (runners, linkers, wrappers)")
                }
            default:
                break
            }
        }
        if ["publish", "upload", "login", "owner", "yank"].contains(sub) {
            a.add(.network, "\(a.program) \(sub) publishes or manages credentials on a registry")
        }
        if ["run", "exec"].contains(sub) && ["uv", "poetry", "pipenv", "cargo", "go", "bundle", "dotnet", "swift"].contains(a.program) {
            let rest = a.positionals.dropFirst()
            if a.program != "cargo" && a.program != "go" && a.program != "swift" && a.program != "dotnet", let lower = rest.first {
                a.inner.append(Array(a.words[lower...]))
            }
        }
    }

    // MARK: System

    static let kill: @Sendable (inout ProgramAnalysis) -> Void = { a in
        for index in a.positionals where ["1", "-1", "0"].contains(a.words[index].text) {
            a.add(.destructive, "\(a.program) \(a.words[index].text) signals every process or init")
        }
        if a.program == "killall" || a.program == "pkill" {
            a.add(.destructive, "\(a.program) signals processes by name", floor: .allow)
        }
    }

    static let systemctl: @Sendable (inout ProgramAnalysis) -> Void = { a in
        guard let first = a.positionals.first else { return }
        let sub = a.words[first].text
        if ["enable", "link", "edit", "set-default", "preset", "add-wants", "add-requires", "revert", "daemon-reload", "set-property", "mask", "unmask", "import-environment", "set-environment"].contains(sub) {
            a.add(.protectedWrite, "\(a.program) \(sub) changes which services start automatically (persistence)")
        } else if ["start", "stop", "restart", "reload", "kill", "isolate", "poweroff", "reboot", "halt", "suspend", "hibernate", "try-restart", "reload-or-restart"].contains(sub) {
            a.add(.privilege, "\(a.program) \(sub) controls services")
        }
    }

    static let crontab: @Sendable (inout ProgramAnalysis) -> Void = { a in
        let words = a.words.dropFirst().map(\.text)
        if words.contains("-l") { return }
        if words.contains("-r") {
            a.add(.destructive, "crontab -r removes the crontab")
            return
        }
        a.add(.protectedWrite, "crontab installs scheduled commands (persistence)")
        for index in a.positionals { a.addPath(index, .read, origin: "crontab file") }
    }

    static let builtins: @Sendable (inout ProgramAnalysis) -> Void = { a in
        switch a.program {
        case "cd", "pushd":
            if let first = a.positionals.first { a.addPath(first, .list, origin: "directory") }
        case "export", "declare", "typeset", "readonly", "local":
            for word in a.words.dropFirst() {
                let text = word.text
                guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
                    if a.program == "export" && (text == "-p" || a.words.count == 1) {
                        a.add(.secretRead, "export -p prints environment variables, which often hold credentials", floor: .allow)
                    }
                    continue
                }
                Environment.check(name: String(text[..<eq]), value: String(text[text.index(after: eq)...]), isStatic: word.isStatic, into: &a)
            }
        case "alias":
            for word in a.words.dropFirst() where word.text.contains("=") {
                let text = word.text
                let value = String(text[text.index(after: text.firstIndex(of: "=")!)...])
                a.code.append(InnerCode(language: .shell, source: word.isStatic ? value : nil, via: "alias"))
            }
        case "trap":
            if let first = a.positionals.first {
                a.addShell(a.words[first], via: "trap")
            }
        case "enable":
            if a.has("-f") { a.add(.exec, "enable -f loads a shared object into the shell") }
        case "date":
            if a.words.contains(where: { $0.text == "-s" || $0.text.hasPrefix("--set") }) { a.add(.privilege, "date -s sets the system clock") }
        case "hostname":
            if a.positionals.count == 1 && !a.has("-f", "-i", "-I", "-s", "-d") { a.add(.privilege, "hostname NAME renames the machine") }
        case "ulimit", "umask", "shopt", "set":
            break
        default:
            break
        }
    }
}

extension ProgramAnalysis {
    /// The effect of an option for this program, if the table has one.
    func effect(of option: String) -> OptionEffect? {
        ProgramTable.spec(for: program)?.effects[option]
    }
}

/// Cheap scans of sed scripts (the common `sed -n '1,40p'` never reaches a regular expression).
enum SedScript {
    /// The `e` command or the `e` flag of `s`: runs shell commands.
    static func runsCommands(_ text: String) -> Bool {
        guard text.contains("e") else { return false }
        let bytes = Array(text.utf8)
        // `e` as a command: at the start, or after `;`, newline, `}`, an address (digit, `$`, `/`), optionally
        // after blanks, followed by the end, a blank or `;`.
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "e") {
            var j = i - 1
            while j >= 0 && (bytes[j] == 0x20 || bytes[j] == 0x09) { j -= 1 }
            let before: UInt8 = j >= 0 ? bytes[j] : UInt8(ascii: ";")
            let after: UInt8 = i + 1 < bytes.count ? bytes[i + 1] : UInt8(ascii: ";")
            let commandPosition = j < 0 || ";\n}$/!".utf8.contains(before) || (before >= 0x30 && before <= 0x39)
            if commandPosition && (after == 0x20 || after == 0x09 || after == UInt8(ascii: ";") || after == 0x0A) { return true }
        }
        // `s/a/b/e` (any delimiter): the flags after the third delimiter contain `e`.
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "s"), i + 1 < bytes.count, (i == 0 || ";\n{} \t".utf8.contains(bytes[i - 1]) || (bytes[i - 1] >= 0x30 && bytes[i - 1] <= 0x39) || bytes[i - 1] == UInt8(ascii: "/")) {
                let delimiter = bytes[i + 1]
                guard delimiter != 0x5C, delimiter != 0x0A, !(delimiter >= 0x61 && delimiter <= 0x7A) else { i += 1; continue }
                var count = 0
                var k = i + 2
                while k < bytes.count && count < 2 {
                    if bytes[k] == 0x5C { k += 2; continue }
                    if bytes[k] == delimiter { count += 1 }
                    k += 1
                }
                while k < bytes.count, let c = Optional(bytes[k]), (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) {
                    if c == UInt8(ascii: "e") { return true }
                    if c == UInt8(ascii: "w") { break }
                    k += 1
                }
                i = k
                continue
            }
            i += 1
        }
        return false
    }

    static func mayWrite(_ text: String) -> Bool {
        text.contains("w") || text.contains("W")
    }
}

/// Variables that change what a program runs or loads. A data table: name → what it does.
enum Environment {
    enum Effect {
        /// The value is a command line the program runs.
        case command
        /// The value makes the program load code (a library, a startup file, options).
        case loadsCode
        /// The value changes where programs are found.
        case searchPath
    }

    static let table: [String: (Effect, String)] = [
        "PAGER": (.command, "the pager programs run"), "GIT_PAGER": (.command, "git's pager"),
        "MANPAGER": (.command, "man's pager"), "EDITOR": (.command, "the editor programs run"),
        "VISUAL": (.command, "the editor programs run"), "GIT_EDITOR": (.command, "git's editor"),
        "GIT_SEQUENCE_EDITOR": (.command, "git's rebase editor"), "GIT_SSH_COMMAND": (.command, "git's ssh command"),
        "GIT_SSH": (.command, "git's ssh program"), "GIT_EXTERNAL_DIFF": (.command, "git's external diff program"),
        "GIT_ASKPASS": (.command, "git's credential prompt program"), "SSH_ASKPASS": (.command, "ssh's password program"),
        "SUDO_ASKPASS": (.command, "sudo's password program"), "BROWSER": (.command, "the browser programs open"),
        "LESSOPEN": (.command, "less's input preprocessor"), "LESSCLOSE": (.command, "less's postprocessor"),
        "PROMPT_COMMAND": (.command, "a command bash runs before each prompt"), "RSYNC_RSH": (.command, "rsync's remote shell"),
        "CVS_RSH": (.command, "cvs's remote shell"), "GIT_PROXY_COMMAND": (.command, "git's proxy command"),
        "FCEDIT": (.command, "fc's editor"), "TAR_OPTIONS": (.loadsCode, "options tar applies (can run programs)"),
        "LD_PRELOAD": (.loadsCode, "a library loaded into every program"), "LD_AUDIT": (.loadsCode, "an audit library loaded into every program"),
        "LD_LIBRARY_PATH": (.loadsCode, "where programs load libraries from"),
        "DYLD_INSERT_LIBRARIES": (.loadsCode, "a library loaded into every program"),
        "BASH_ENV": (.loadsCode, "a file bash runs at start"), "ENV": (.loadsCode, "a file sh runs at start"),
        "ZDOTDIR": (.loadsCode, "where zsh reads its startup files"), "PYTHONSTARTUP": (.loadsCode, "a file python runs at start"),
        "PYTHONPATH": (.loadsCode, "where python imports code from"), "PYTHONHOME": (.loadsCode, "python's home"),
        "PYTHONINSPECT": (.loadsCode, "python interactive mode"),
        "NODE_OPTIONS": (.loadsCode, "options node applies (can preload code)"), "NODE_PATH": (.loadsCode, "where node loads modules from"),
        "PERL5OPT": (.loadsCode, "options perl applies (can load code)"), "PERL5LIB": (.loadsCode, "where perl loads modules from"),
        "PERLLIB": (.loadsCode, "where perl loads modules from"), "RUBYOPT": (.loadsCode, "options ruby applies (can load code)"),
        "RUBYLIB": (.loadsCode, "where ruby loads code from"), "JAVA_TOOL_OPTIONS": (.loadsCode, "options every JVM applies (agents)"),
        "_JAVA_OPTIONS": (.loadsCode, "options every JVM applies"), "GIT_CONFIG_PARAMETERS": (.loadsCode, "git configuration (pagers, hooks, aliases)"),
        "GIT_CONFIG_COUNT": (.loadsCode, "git configuration from the environment"), "GIT_CONFIG_GLOBAL": (.loadsCode, "git's global configuration file"),
        "GIT_CONFIG_SYSTEM": (.loadsCode, "git's system configuration file"), "GIT_EXEC_PATH": (.loadsCode, "where git finds its programs"),
        "GIT_TEMPLATE_DIR": (.loadsCode, "git's hook templates"), "GIT_DIR": (.loadsCode, "which repository (and hooks) git uses"),
        "IFS": (.loadsCode, "how the shell splits words"), "SHELLOPTS": (.loadsCode, "shell options"),
        "BASHOPTS": (.loadsCode, "shell options"), "PS4": (.loadsCode, "the trace prompt (expanded, can run commands)"),
        "PATH": (.searchPath, "where programs are found"), "CDPATH": (.searchPath, "where cd looks"),
        "MAKEFLAGS": (.loadsCode, "options make applies"), "npm_config_script_shell": (.command, "the shell npm runs scripts with"),
        "NPM_CONFIG_SCRIPT_SHELL": (.command, "the shell npm runs scripts with"), "CARGO_TARGET_DIR": (.searchPath, "cargo's output directory"),
        "RUSTC_WRAPPER": (.command, "a program cargo runs instead of rustc"), "CC": (.command, "the C compiler programs run"),
        "CXX": (.command, "the C++ compiler programs run"), "SHELL": (.command, "the shell programs run"),
        "PYTEST_ADDOPTS": (.loadsCode, "options pytest applies (can load plugins)"), "PYTEST_PLUGINS": (.loadsCode, "plugins pytest loads"),
        "GOFLAGS": (.loadsCode, "flags every go command applies (-toolexec runs programs)"),
        "HOME": (.loadsCode, "the home directory, and with it every configuration file programs read"),
        "XDG_CONFIG_HOME": (.loadsCode, "where programs read their configuration"), "RUSTFLAGS": (.loadsCode, "flags rustc applies"),
        "CARGO_BUILD_RUSTC_WRAPPER": (.command, "a program cargo runs instead of rustc"), "JAVA_HOME": (.searchPath, "which Java runs"),
        "GIT_CONFIG": (.loadsCode, "git's configuration file"), "GIT_WORK_TREE": (.loadsCode, "which work tree git uses"),
        "DOCKER_HOST": (.loadsCode, "which Docker engine the client talks to"), "KUBECONFIG": (.loadsCode, "which cluster credentials kubectl uses"),
        "AWS_PROFILE": (.loadsCode, "which AWS credentials are used"), "PIP_INDEX_URL": (.loadsCode, "where pip downloads packages from"),
        "NPM_CONFIG_REGISTRY": (.loadsCode, "where npm downloads packages from"), "EXINIT": (.command, "commands vi runs at start"),
        "VIMINIT": (.command, "commands vim runs at start"), "LESSKEY": (.loadsCode, "less's key bindings (can run commands)"),
    ]

    /// Name patterns (prefix, suffix) for variables that name programs.
    static let patterns: [(prefix: String, suffix: String, effect: Effect, what: String)] = [
        ("CARGO_TARGET_", "_RUNNER", .command, "the program cargo runs tests and binaries with"),
        ("npm_config_", "", .loadsCode, "npm configuration"), ("NPM_CONFIG_", "", .loadsCode, "npm configuration"),
        ("GIT_CONFIG_", "", .loadsCode, "git configuration from the environment"),
        ("LD_", "", .loadsCode, "the dynamic loader's behaviour"), ("DYLD_", "", .loadsCode, "the dynamic loader's behaviour"),
    ]

    static func check(name: String, value: String, isStatic: Bool, into a: inout ProgramAnalysis) {
        var key = name
        if key.hasPrefix("GIT_CONFIG_KEY_") || key.hasPrefix("GIT_CONFIG_VALUE_") { key = "GIT_CONFIG_COUNT" }
        var entry = table[key]
        if entry == nil, let pattern = patterns.first(where: { name.hasPrefix($0.prefix) && name.hasSuffix($0.suffix) && name.count > $0.prefix.count + $0.suffix.count }) {
            entry = (pattern.effect, pattern.what)
        }
        guard let (effect, what) = entry else { return }
        switch effect {
        case .command:
            a.code.append(InnerCode(language: .shell, source: isStatic ? value : nil, via: "\(name)= (\(what))"))
        case .loadsCode:
            a.add(.exec, "\(name)= sets \(what)")
        case .searchPath:
            if name == "PATH" && !value.hasSuffix("$PATH") && !value.hasSuffix("${PATH}") && !value.hasPrefix("$PATH") && !value.hasPrefix("${PATH}") {
                a.add(.exec, "PATH= replaces where programs are found, so program names no longer mean what they say")
            } else if name == "PATH" && (value.hasPrefix(".") || value.contains(":.") || value.hasPrefix("/tmp")) {
                a.add(.exec, "PATH= puts \(value.split(separator: ":").first ?? "") first, so program names no longer mean what they say")
            }
        }
    }
}

/// Targets whose recursive deletion is catastrophic.
enum Destructive {
    static let broadRaw: Set<String> = ["/", "/*", "~", "~/", "~/*", "$HOME", "${HOME}", "$HOME/", "$HOME/*", "*", ".", "./",
                                     "..", "../", "./*", ".*", "/home", "/etc", "/usr", "/var", "/boot", "/bin", "/lib", "/opt", "/root", "/srv"]

    static func isBroadTarget(_ value: String, raw: String) -> Bool {
        if broadRaw.contains(raw) { return true }
        var v = value
        while v.count > 1 && v.hasSuffix("/") { v.removeLast() }
        if v.hasSuffix("/*") { v.removeLast(2) }
        if v.isEmpty || v == "/" { return true }
        let components = v.split(separator: "/")
        if v.hasPrefix("/") && components.count <= 1 { return true }
        if v.hasPrefix("/home/") && components.count <= 2 { return true }
        if v == "/root" { return true }
        return false
    }
}
