import ArgumentParser
import ClawGuardHooks
import ClawGuardCore
import Foundation

/// Where an agent's settings live, and how ClawGuard's hooks are merged into them.
enum AgentSettings {
    enum Scope: String, ExpressibleByArgument, CaseIterable {
        case user, project, local
    }

    /// Claude Code's settings file for a scope.
    static func claudeFile(scope: Scope, home: String, cwd: String) -> String {
        switch scope {
        case .user: home + "/.claude/settings.json"
        case .project: cwd + "/.claude/settings.json"
        case .local: cwd + "/.claude/settings.local.json"
        }
    }

    static func codexFile(home: String, environment: [String: String]) -> String {
        (environment["CODEX_HOME"].map { $0 + "/config.toml" }) ?? home + "/.codex/config.toml"
    }

    /// The hook events ClawGuard answers for Claude Code; tool events get a `*` matcher.
    static let claudeEvents: [(event: String, matcher: String?)] = [
        ("PreToolUse", "*"), ("PostToolUse", "*"), ("UserPromptSubmit", nil), ("SessionStart", nil), ("SessionEnd", nil), ("Stop", nil),
    ]

    /// True for a hook command that is ClawGuard's (`…clawguard hook claude …`).
    static func isOurs(_ command: String, dialect: String) -> Bool {
        command.contains("clawguard") && command.contains("hook \(dialect)")
    }

    /// Merges ClawGuard's hook entries into Claude Code settings; idempotent.
    static func installClaude(into settings: JSONValue, command: String) -> JSONValue {
        guard case .object(var root) = settings else { return settings }
        var hooks: [String: JSONValue] = [:]
        if case .object(let existing)? = root["hooks"] { hooks = existing }
        for (event, matcher) in claudeEvents {
            var groups: [JSONValue] = []
            if case .array(let existing)? = hooks[event] { groups = existing }
            let already = groups.contains { group in
                guard case .array(let entries)? = group["hooks"] else { return false }
                return entries.contains { $0["command"]?.stringValue.map { isOurs($0, dialect: "claude") } ?? false }
            }
            if already { continue }
            var group: [String: JSONValue] = ["hooks": [["type": "command", "command": .string(command), "timeout": 30]]]
            if let matcher { group["matcher"] = .string(matcher) }
            // ClawGuard decides first: its entry goes in front.
            groups.insert(.object(group), at: 0)
            hooks[event] = .array(groups)
        }
        root["hooks"] = .object(hooks)
        return .object(root)
    }

    /// Removes every ClawGuard hook entry (and groups and events left empty).
    static func uninstallClaude(from settings: JSONValue) -> JSONValue {
        guard case .object(var root) = settings, case .object(var hooks)? = root["hooks"] else { return settings }
        for (event, value) in hooks {
            guard case .array(let groups) = value else { continue }
            var kept: [JSONValue] = []
            for group in groups {
                guard case .object(var object) = group, case .array(let entries)? = object["hooks"] else {
                    kept.append(group)
                    continue
                }
                let remaining = entries.filter { !($0["command"]?.stringValue.map { isOurs($0, dialect: "claude") } ?? false) }
                if remaining.isEmpty { continue }
                object["hooks"] = .array(remaining)
                kept.append(.object(object))
            }
            hooks[event] = kept.isEmpty ? nil : .array(kept)
        }
        root["hooks"] = hooks.isEmpty ? nil : .object(hooks)
        return .object(root)
    }

    static let codexBegin = "# >>> clawguard hooks (managed by `clawguard install codex`; remove with `clawguard uninstall codex`)"
    static let codexEnd = "# <<< clawguard hooks"

    /// Appends ClawGuard's block to a Codex config.toml; idempotent.
    static func installCodex(into text: String, command: String) -> String {
        if text.contains(codexBegin) { return text }
        let escaped = command.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let block = """
            \(codexBegin)
            [[hooks.PreToolUse]]
            [[hooks.PreToolUse.hooks]]
            type = "command"
            command = "\(escaped)"
            timeout = 30
            \(codexEnd)
            """
        var result = text
        if !result.isEmpty && !result.hasSuffix("\n") { result += "\n" }
        if !result.isEmpty { result += "\n" }
        return result + block + "\n"
    }

    static func uninstallCodex(from text: String) -> String {
        guard let start = text.range(of: codexBegin), let end = text.range(of: codexEnd, range: start.upperBound..<text.endIndex) else {
            return text
        }
        var before = String(text[..<start.lowerBound])
        var after = String(text[end.upperBound...])
        if after.hasPrefix("\n") { after.removeFirst() }
        while before.hasSuffix("\n\n") { before.removeLast() }
        return before + after
    }

    /// The absolute path of the running clawguard binary.
    /// When this is `clawguard-full` (started by the slim front), the front next to it: hooks must start fast.
    static var executablePath: String {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let suffix = "/" + FullExecutable.name
        if own.hasSuffix(suffix) {
            let front = String(own.dropLast(suffix.count)) + "/clawguard"
            if FileManager.default.isExecutableFile(atPath: front) { return front }
        }
        return own
    }

    static func render(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "{}\n"
    }

    /// A unified-style line diff (small files).
    static func diff(_ old: String, _ new: String, name: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var lcs = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var out = ["--- \(name)", "+++ \(name) (after)"]
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count && j < b.count && a[i] == b[j] {
                out.append("  " + a[i]); i += 1; j += 1
            } else if j < b.count && (i == a.count || lcs[i][j + 1] >= lcs[i + 1][j]) {
                out.append("+ " + b[j]); j += 1
            } else {
                out.append("- " + a[i]); i += 1
            }
        }
        return out.joined(separator: "\n")
    }

    /// Writes `text` to `path` after backing up the current file; creates the directory (0700) if needed.
    static func write(_ text: String, to path: String) throws -> String? {
        let fm = FileManager.default
        let directory = (path as NSString).deletingLastPathComponent
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var backup: String?
        if fm.fileExists(atPath: path) {
            let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
            var candidate = path + ".clawguard-backup-" + stamp
            var n = 1
            while fm.fileExists(atPath: candidate) {
                n += 1
                candidate = path + ".clawguard-backup-" + stamp + "-\(n)"
            }
            try fm.copyItem(atPath: path, toPath: candidate)
            backup = candidate
        }
        let temporary = path + ".clawguard-tmp"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        _ = rename(temporary, path)
        return backup
    }
}

/// Reads a settings file as JSON (missing → `{}`); refuses a file it cannot parse rather than overwrite it.
func readSettingsJSON(_ path: String) throws -> (JSONValue, String) {
    guard FileManager.default.fileExists(atPath: path) else { return ([:], "") }
    let text = try String(contentsOfFile: path, encoding: .utf8)
    if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return ([:], text) }
    guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)), case .object = value else {
        throw ClawGuardError(.invalidInput, "\(path) is not a JSON object; fix it first (ClawGuard does not overwrite what it cannot read)")
    }
    return (value, text)
}

struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install", abstract: "Install ClawGuard's hooks into an agent's settings (claude, codex).",
        subcommands: [InstallClaude.self, InstallCodex.self])
}

struct UninstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall", abstract: "Remove ClawGuard's hooks from an agent's settings (claude, codex).",
        subcommands: [UninstallClaude.self, UninstallCodex.self])
}

struct InstallTarget: ParsableArguments {
    @Option(help: "Which settings file (Claude Code): user (~/.claude/settings.json), project (.claude/settings.json), local (.claude/settings.local.json).")
    var scope: AgentSettings.Scope = .user

    @Flag(name: .customLong("dry-run"), help: "Show the change as a diff without writing.")
    var dryRun = false

    @Option(help: ArgumentHelp("The hook command to install (default: this clawguard binary).", valueName: "COMMAND"))
    var command: String?

    @Option(help: ArgumentHelp("The settings file to edit (overrides --scope).", valueName: "FILE"))
    var file: String?

    var home: String { ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory() }
    var cwd: String { FileManager.default.currentDirectoryPath }
}

/// Applies an edit to a settings file: shows the diff, or writes it with a backup.
func applySettingsEdit(path: String, old: String, new: String, dryRun: Bool, verb: String) throws {
    if old == new {
        print("\(path): already \(verb == "install" ? "installed" : "clean"); nothing to change")
        return
    }
    if dryRun {
        print(AgentSettings.diff(old, new, name: path))
        return
    }
    let backup = try AgentSettings.write(new, to: path)
    print("\(path): \(verb)ed ClawGuard's hooks\(backup.map { " (backup: \($0))" } ?? "")")
}

struct InstallClaude: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "claude", abstract: "Merge ClawGuard's hooks into Claude Code settings.")
    @OptionGroup var target: InstallTarget

    func run() throws {
        let path = target.file ?? AgentSettings.claudeFile(scope: target.scope, home: target.home, cwd: target.cwd)
        let (settings, old) = try readSettingsJSON(path)
        let command = target.command ?? "\(AgentSettings.executablePath) hook claude"
        let updated = AgentSettings.installClaude(into: settings, command: command)
        let new = updated == settings && !old.isEmpty ? old : AgentSettings.render(updated)
        try applySettingsEdit(path: path, old: old, new: new, dryRun: target.dryRun, verb: "install")
    }
}

struct UninstallClaude: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "claude", abstract: "Remove ClawGuard's hooks from Claude Code settings.")
    @OptionGroup var target: InstallTarget

    func run() throws {
        let path = target.file ?? AgentSettings.claudeFile(scope: target.scope, home: target.home, cwd: target.cwd)
        let (settings, old) = try readSettingsJSON(path)
        let updated = AgentSettings.uninstallClaude(from: settings)
        let new = updated == settings ? old : AgentSettings.render(updated)
        try applySettingsEdit(path: path, old: old, new: new, dryRun: target.dryRun, verb: "uninstall")
    }
}

struct InstallCodex: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "codex", abstract: "Add ClawGuard's PreToolUse hook to ~/.codex/config.toml.")
    @OptionGroup var target: InstallTarget

    func run() throws {
        let path = target.file ?? AgentSettings.codexFile(home: target.home, environment: ProcessInfo.processInfo.environment)
        let old = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let new = AgentSettings.installCodex(into: old, command: target.command ?? "\(AgentSettings.executablePath) hook codex")
        try applySettingsEdit(path: path, old: old, new: new, dryRun: target.dryRun, verb: "install")
    }
}

struct UninstallCodex: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "codex", abstract: "Remove ClawGuard's hook from ~/.codex/config.toml.")
    @OptionGroup var target: InstallTarget

    func run() throws {
        let path = target.file ?? AgentSettings.codexFile(home: target.home, environment: ProcessInfo.processInfo.environment)
        let old = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        try applySettingsEdit(path: path, old: old, new: AgentSettings.uninstallCodex(from: old), dryRun: target.dryRun, verb: "uninstall")
    }
}
