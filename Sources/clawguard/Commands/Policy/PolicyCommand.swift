import ArgumentParser
import ClawGuardCore
import Foundation

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Validate, explain, test and probe policies.",
        subcommands: [PolicyValidateCommand.self, PolicyExplainCommand.self, PolicyTestCommand.self, PolicyProbeCommand.self]
    )
}

/// `clawguard policy validate`: loads the policy as hooks would, prints errors, warnings and lint findings.
struct PolicyValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check policy files: exit 0 when valid, 1 when not. Prints errors, warnings and lint findings."
    )

    @Option(name: .long, help: "A policy file (ClawGuard YAML or Claude Code settings JSON); repeat to layer several. Default: the files ClawGuard discovers.")
    var policy: [String] = []

    @Option(name: .long, help: "The profile to resolve (default: the file's default_profile, else 'default').")
    var profile: String?

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let cwd = FileManager.default.currentDirectoryPath
        let home = env["HOME"] ?? "/"
        let paths = policy.isEmpty ? PolicyLocator.locate(cwd: cwd, home: home, environment: env) : policy
        var result = PolicyLoader.validate(paths: paths, profile: profile ?? env["CLAWGUARD_PROFILE"], cwd: cwd, home: home)
        result.issues += AlertValidation.issues(result.policy)
        let errors = result.issues.filter { $0.severity == .error }
        let warnings = result.issues.filter { $0.severity == .warning }
        if json {
            struct Report: Encodable {
                var valid: Bool
                var profile: String?
                var mode: String?
                var sources: [String]
                var rules: Int?
                var errors: [PolicyIssue]
                var warnings: [PolicyIssue]
                var lint: [LintFinding]
            }
            let report = Report(
                valid: result.isValid, profile: result.policy?.profileName, mode: result.policy?.mode.rawValue,
                sources: result.policy?.sources ?? paths, rules: result.policy?.rules.count, errors: errors,
                warnings: warnings, lint: result.lint)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            if paths.isEmpty { print("No policy file found; the built-in 'default' profile applies.") }
            for issue in errors { print("error: \(issue)") }
            for issue in warnings { print("warning: \(issue)") }
            for finding in result.lint { print("lint: \(finding)") }
            if let p = result.policy, result.isValid {
                print("valid: profile '\(p.profileName)', mode \(p.mode.rawValue), \(p.rules.count) rules, from \(p.sources.joined(separator: ", "))")
            } else {
                print("invalid: ClawGuard refuses to run on this policy (\(errors.count) error\(errors.count == 1 ? "" : "s"))")
            }
        }
        if !result.isValid { throw ExitCode(1) }
    }
}
