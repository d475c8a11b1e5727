/// Spells a command line in one canonical form so that rules written one way catch the other spellings:
/// `rm -r -f ~`, `rm -fr ~` and `rm --recursive --force ~` all become `rm -f -r ~`, matching a deny rule
/// `Bash(rm -rf *)` (canonicalized the same way). Short-flag clusters are split, long options with a known
/// short alias are replaced by it, and flags are sorted and placed before the other arguments.
public enum FlagCanonicalizer {
    /// Long option → short option, per program. A data table; `*` applies to every program.
    static let aliases: [String: [String: String]] = [
        "*": ["--recursive": "-r", "--force": "-f", "--verbose": "-v", "--interactive": "-i"],
        "rm": ["--dir": "-d", "--no-preserve-root": "--no-preserve-root"],
        "cp": ["--archive": "-a", "--no-clobber": "-n"],
        "chmod": ["--recursive": "-R"],
        "chown": ["--recursive": "-R"],
        "git": ["--force": "-f", "--delete": "-d", "--all": "-a"],
        "curl": ["--data": "-d", "--output": "-o", "--location": "-L", "--silent": "-s", "--insecure": "-k", "--request": "-X", "--header": "-H", "--form": "-F", "--upload-file": "-T", "--user": "-u"],
        "wget": ["--output-document": "-O", "--quiet": "-q", "--post-file": "--post-file"],
        "tar": ["--extract": "-x", "--create": "-c", "--file": "-f", "--gzip": "-z", "--verbose": "-v"],
        "find": [:],
        "grep": ["--recursive": "-r", "--ignore-case": "-i", "--files-with-matches": "-l"],
        "kill": ["--signal": "-s"],
        "docker": ["--interactive": "-i", "--tty": "-t", "--volume": "-v", "--env": "-e"],
    ]

    /// Programs whose options are whole words (`find -name`), which must not be split into letters.
    static let wordOptionPrograms: Set<String> = ["find", "java", "dd", "gcc", "clang", "ffmpeg", "xcrun", "go", "test", "["]

    /// The canonical form of a command line (program followed by its arguments, separated by spaces).
    /// Returns nil when it is already canonical.
    public static func canonicalize(_ words: [String]) -> String? {
        guard let program = words.first, words.count > 1 else { return nil }
        if wordOptionPrograms.contains(program) { return nil }
        let table = aliases[program] ?? [:]
        let common = aliases["*"] ?? [:]
        var flags: [String] = []
        var rest: [String] = []
        var ended = false
        var subcommandSeen = false
        for word in words.dropFirst() {
            if ended || word == "-" || !word.hasPrefix("-") || word == "*" {
                if word == "--" { ended = true }
                // Keep subcommands (`git push`) in front: only the first non-flag word before any flag.
                if !subcommandSeen && flags.isEmpty && rest.isEmpty && program == "git" { subcommandSeen = true }
                rest.append(word)
                continue
            }
            if word.hasPrefix("--") {
                // `--name=value` keeps its spelling; only a bare `--name` has an alias.
                if !word.utf8.contains(UInt8(ascii: "=")), let short = table[word] ?? common[word] {
                    flags.append(short)
                } else {
                    flags.append(word)
                }
                continue
            }
            // `-rf` → `-r -f`; digits or `=` mean a value (`-n5`, `-O=x`): keep as written.
            let letters = word.dropFirst()
            if letters.allSatisfy({ $0.isLetter }) && letters.count > 1 {
                for letter in letters { flags.append("-" + String(letter)) }
            } else {
                flags.append(word)
            }
        }
        // Sorted, each flag once (sorting first, then dropping neighbours, gives the same list as dropping repeats
        // first: no Set of strings).
        var sortedFlags: [String] = []
        sortedFlags.reserveCapacity(flags.count)
        for flag in flags.sorted() where sortedFlags.last != flag { sortedFlags.append(flag) }
        var canonicalWords: [String] = [program]
        canonicalWords.reserveCapacity(words.count + sortedFlags.count)
        if program == "git" && !rest.isEmpty { canonicalWords.append(rest.removeFirst()) }
        canonicalWords += sortedFlags
        canonicalWords += rest
        // Unchanged word for word: already canonical (no joined copy of the original to compare with).
        if canonicalWords == words { return nil }
        return canonicalWords.joined(separator: " ")
    }

    /// The canonical form of a `Bash(…)` rule specifier (`rm -rf *` → `rm -f -r *`), or nil if unchanged.
    public static func canonicalizeSpecifier(_ specifier: String) -> String? {
        var text = specifier
        var legacyPrefix = false
        if text.hasSuffix(":*") {
            text.removeLast(2)
            legacyPrefix = true
        }
        let words = text.split(separator: " ").map(String.init)
        guard let canonical = canonicalize(words) else { return nil }
        return legacyPrefix ? canonical + " *" : canonical
    }
}
