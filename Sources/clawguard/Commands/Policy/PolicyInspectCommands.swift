import ArgumentParser
import ClawGuardCore
import Foundation

/// `clawguard policy explain`: the effective policy, or how one command is analysed and decided.
struct PolicyExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show the effective policy, or how a command is analysed and which rule decides it.")

    @OptionGroup var policy: PolicyOptions

    @Argument(parsing: .captureForPassthrough, help: "A shell command to explain (optional).")
    var command: [String] = []

    func run() throws {
        let loaded: Policy
        do { loaded = try policy.loadPolicy() } catch {
            printError("clawguard policy explain: \(error)")
            throw ExitCode(1)
        }
        guard !command.isEmpty else {
            print("profile: \(loaded.profileName)   mode: \(loaded.mode.rawValue)")
            print("sources: \(loaded.sources.joined(separator: ", "))")
            for effect in [RuleEffect.deny, .ask, .allow] {
                let rules = loaded.rules(effect)
                guard !rules.isEmpty else { continue }
                print("\(effect.rawValue) rules:")
                for rule in rules { print("  \(rule.text)   (\(rule.source))") }
            }
            if !loaded.network.allow.isEmpty { print("network allow: \(loaded.network.allow.map(\.text).joined(separator: ", "))") }
            if !loaded.network.deny.isEmpty { print("network deny: \(loaded.network.deny.map(\.text).joined(separator: ", "))") }
            print("protected paths: \(loaded.protectedPaths.entries.count) built-in entries (credentials, agent configuration, persistence points)")
            for warning in loaded.warnings { print("warning: \(warning)") }
            return
        }
        let text = command.joined(separator: " ")
        let engine = DecisionEngine(policy: loaded)
        do {
            let analysis = try engine.analyzer.analyze(text, cwd: policy.workingDirectory, home: policy.home)
            print("analysis of: \(text)")
            for invocation in analysis.invocations {
                print("- \(invocation.argv.isEmpty ? "(assignment or redirection)" : invocation.argv.joined(separator: " "))   [\(invocation.context)]")
                for path in invocation.paths { print("    path \(path.access.rawValue): \(path.raw) → \(path.value ?? "(only known at run time)")  (\(path.origin))") }
                for target in invocation.network { print("    network: \(target.host ?? target.raw)\(target.port.map { ":\($0)" } ?? "")  (\(target.origin))") }
                for code in invocation.code { print("    runs code: \(code.via)\(code.source.map { ": \($0)" } ?? " (only known at run time)")") }
                for finding in invocation.findings { print("    \(finding.kind.rawValue): \(finding.detail)") }
            }
            for finding in analysis.findings { print("- \(finding.kind.rawValue): \(finding.detail)") }
        } catch {
            print("analysis: \(error)")
        }
        let verdict = engine.decide(.bash(text, cwd: policy.workingDirectory))
        print(VerdictText.render(verdict, call: .bash(text)))
        throw ExitCode(verdict.decision.exitCode)
    }
}

/// `clawguard policy test FILE`: users' own regression tests for their policy.
struct PolicyTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Run a YAML file of {call, expect} cases against the policy; exit 1 if any fails.")

    @OptionGroup var policy: PolicyOptions

    @Argument(help: "The test file.")
    var file: String

    func run() throws {
        let loaded: Policy
        let suite: PolicyTestSuite
        do {
            loaded = try policy.loadPolicy()
            let text = try String(contentsOfFile: file, encoding: .utf8)
            suite = try PolicyTestSuite(yaml: text, name: file, defaultCwd: policy.workingDirectory)
        } catch {
            printError("clawguard policy test: \(error)")
            throw ExitCode(1)
        }
        let results = suite.run(DecisionEngine(policy: loaded))
        var failed = 0
        for result in results {
            if result.passed {
                print("pass  \(result.testCase.name)")
            } else {
                failed += 1
                print("FAIL  \(result.testCase.name) (\(file):\(result.testCase.line)): expected \(result.testCase.expect), got \(result.verdict.decision.rawValue): \(result.verdict.reason)")
            }
        }
        print("\(results.count - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}

/// `clawguard policy probe`: every known way the programs a policy allows can be turned against it.
struct PolicyProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Turn the capability table against the policy: report every technique an allowed program admits.")

    @OptionGroup var policy: PolicyOptions

    @Flag(help: "List every attempt, not only the holes.")
    var all = false

    @Flag(help: "Print the attempts as JSON lines.")
    var json = false

    func run() throws {
        let loaded: Policy
        do { loaded = try policy.loadPolicy() } catch {
            printError("clawguard policy probe: \(error)")
            throw ExitCode(1)
        }
        let allows = loaded.rules(.allow).filter { $0.tool == "Bash" }.compactMap(\.specifier)
        let attempts = PolicyProbe(engine: DecisionEngine(policy: loaded)).run(allowRules: allows, cwd: policy.workingDirectory)
        let holes = attempts.filter(\.isHole)
        for attempt in attempts where all || attempt.isHole {
            if json {
                struct Line: Encodable { var rule, command, technique, decision, reason: String }
                print(jsonLine(Line(rule: attempt.rule, command: attempt.command, technique: attempt.technique, decision: attempt.verdict.decision.rawValue, reason: attempt.verdict.reason)))
            } else {
                print("\(attempt.isHole ? "HOLE " : "held ") \(attempt.rule): `\(attempt.command)` \(attempt.technique) → \(attempt.verdict.decision.rawValue)")
            }
        }
        if !json {
            print("\(attempts.count) attempts from \(allows.count) allow rules: \(holes.count) allowed (holes), \(attempts.count - holes.count) held")
        }
        if !holes.isEmpty { throw ExitCode(3) }
    }
}
