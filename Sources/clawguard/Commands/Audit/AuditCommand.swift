import ArgumentParser
import ClawGuardConfigAudit
import ClawGuardCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `clawguard audit`: the reference security-audit checklist, checked by machine. Wiring only; the work is in
/// ClawGuardConfigAudit.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit agent configurations against the security checklist.",
        discussion: """
            Reads OpenClaw (openclaw.json, exec approvals, pairing stores), Claude Code settings, Codex config.toml, \
            the ClawGuard policy, agent systemd units and host facts (file modes, listening sockets).
            Exit status: 0 = below the --fail-on threshold (or no threshold), 1 = threshold met, 2 = usage error \
            or an input that could not be read (reported as clawguard.input.unreadable).
            """)

    @Option(
        name: .customLong("openclaw-config"),
        help: "OpenClaw config file (default: $OPENCLAW_CONFIG_PATH or <state-dir>/openclaw.json).")
    var openClawConfig: String?

    @Option(
        name: .customLong("openclaw-state-dir"),
        help: "OpenClaw state directory (default: $OPENCLAW_STATE_DIR or ~/.openclaw).")
    var openClawStateDir: String?

    @Option(
        name: .customLong("claude-settings"), help: "A Claude Code settings file (repeatable; replaces auto-discovery)."
    )
    var claudeSettings: [String] = []

    @Option(
        name: .customLong("codex-config"),
        help: "Codex config.toml (default: $CODEX_HOME/config.toml or ~/.codex/config.toml).")
    var codexConfig: String?

    @Option(
        name: .customLong("clawguard-policy"),
        help: "ClawGuard policy file (default: ./clawguard.yaml, ./.clawguard.yaml, ~/.clawguard/policy.yaml).")
    var clawguardPolicy: String?

    @Option(help: "Home directory to discover configurations in (default: $HOME).")
    var home: String?

    @Option(
        name: .customLong("project-dir"),
        help: "Project directory for project-scoped files (default: current directory).")
    var projectDir: String?

    @Flag(help: "Print JSON: {\"findings\": [...], \"summary\": {...}}.")
    var json = false

    @Flag(help: "Print SARIF 2.1.0 for CI code scanning.")
    var sarif = false

    @Option(help: "Print a report: md (Markdown audit report with the manual checklist and sign-off block).")
    var report: String?

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding reaches this severity: critical or warn.")
    var failOn: String?

    @Option(help: "Suppress a check: CHECK_ID=REASON (repeatable; the reason is required and listed in the output).")
    var suppress: [String] = []

    @Option(help: "A YAML/JSON file of suppressions ({checkId, reason} list or id: reason map).")
    var suppressions: String?

    @Flag(help: "Apply safe mechanical fixes: file permissions only (chmod 600 files / 700 directories).")
    var fix = false

    @Flag(name: .customLong("dry-run"), help: "With --fix: list what would change without changing it.")
    var dryRun = false

    @Flag(name: .customLong("no-color"), help: "No ANSI colour in the readable report.")
    var noColor = false

    @Flag(name: .customLong("list-checks"), help: "Print the check table (Markdown) and exit.")
    var listChecks = false

    func run() async throws {
        if listChecks {
            print(
                "## Checks\n\n" + CheckCatalog.markdown() + "\n## Checklist mapping\n\n"
                    + CheckCatalog.checklistMapping(), terminator: "")
            return
        }
        let host = RealHost()
        let format: ReportFormat
        let threshold: Severity?
        let allSuppressions: [Suppression]
        do {
            format = try outputFormat()
            threshold = try failThreshold()
            if dryRun && !fix { throw ClawGuardError(.invalidInput, "--dry-run only goes with --fix") }
            allSuppressions = try loadSuppressions(host)
        } catch {
            FileHandle.standardError.write(Data("clawguard audit: \(error)\n".utf8))
            throw ExitCode(2)
        }

        let environment = ProcessInfo.processInfo.environment
        let options = AuditOptions(
            home: home ?? environment["HOME"] ?? NSHomeDirectory(),
            projectDirectory: projectDir ?? FileManager.default.currentDirectoryPath, environment: environment,
            openClawConfig: openClawConfig, openClawStateDir: openClawStateDir, claudeSettings: claudeSettings,
            codexConfig: codexConfig, clawguardPolicy: clawguardPolicy)
        let loader = InputLoader(host: host)
        var inputs = loader.load(options)
        var result = Auditor().run(inputs, suppressions: allSuppressions)
        var changes: [PermissionFixer.Change]?
        if fix {
            changes = PermissionFixer(host: host).fix(
                result.findings + result.suppressed.map(\.finding), dryRun: dryRun)
            if !dryRun {
                inputs = loader.load(options)
                result = Auditor().run(inputs, suppressions: allSuppressions)
            }
        }
        let colour = format == .text && !noColor && environment["NO_COLOR"] == nil && isatty(1) == 1
        print(
            try Reporter.render(result, format: format, colour: colour, fixes: changes, dryRun: dryRun), terminator: "")

        if !inputs.problems.isEmpty || changes?.contains(where: { $0.error != nil }) == true { throw ExitCode(2) }
        if let threshold, result.fails(at: threshold) { throw ExitCode(1) }
    }

    private func outputFormat() throws -> ReportFormat {
        if let report, report != "md" && report != "markdown" {
            throw ClawGuardError(.invalidInput, "--report takes md, not \(report)")
        }
        let chosen = [json ? ReportFormat.json : nil, sarif ? .sarif : nil, report != nil ? .markdown : nil].compactMap
        { $0 }
        guard chosen.count <= 1 else {
            throw ClawGuardError(.invalidInput, "choose one of --json, --sarif, --report md")
        }
        return chosen.first ?? .text
    }

    private func failThreshold() throws -> Severity? {
        guard let failOn else { return nil }
        switch failOn {
        case "critical": return .critical
        case "warn": return .warn
        default: throw ClawGuardError(.invalidInput, "--fail-on takes critical or warn, not \(failOn)")
        }
    }

    private func loadSuppressions(_ host: RealHost) throws -> [Suppression] {
        var result = try suppress.map(Suppression.init(argument:))
        if let suppressions {
            let data = try host.read(suppressions, limit: 1 << 20)
            result += try Suppression.load(text: String(decoding: data, as: UTF8.self), path: suppressions)
        }
        return result
    }
}
