import ArgumentParser
import ClawGuardCore
import Foundation

/// `--policy FILE` (repeatable), `--profile NAME`, `--cwd DIR`: how every decision-making command finds its policy.
struct PolicyOptions: ParsableArguments {
    @Option(name: .customLong("policy"), help: ArgumentHelp("A policy file (ClawGuard YAML or Claude Code settings JSON); repeat to layer several.", valueName: "FILE"))
    var policies: [String] = []

    @Option(help: ArgumentHelp("The profile to apply (default: the policy's default profile).", valueName: "NAME"))
    var profile: String?

    @Option(help: ArgumentHelp("The working directory the agent runs in (default: the current directory).", valueName: "DIR"))
    var cwd: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var home: String {
        environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    }

    var workingDirectory: String {
        let base = FileManager.default.currentDirectoryPath
        guard let cwd else { return base }
        return PathResolver(home: home, followSymlinks: false).lexicalPath(cwd, cwd: base)
    }

    /// The policy files that apply: the `--policy` flags, or those found by discovery.
    func policyPaths() -> [String] {
        if !policies.isEmpty {
            let base = FileManager.default.currentDirectoryPath
            return policies.map { PathResolver(home: home, followSymlinks: false).lexicalPath($0, cwd: base) }
        }
        return PolicyLocator.locate(cwd: workingDirectory, home: home, environment: environment)
    }

    /// Loads the policy, or throws a `ClawGuardError` that says which file, line and key are wrong.
    func loadPolicy() throws -> Policy {
        try PolicyLoader.load(paths: policyPaths(), profile: profile ?? environment["CLAWGUARD_PROFILE"], cwd: workingDirectory, home: home)
    }
}

/// Writes to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Encodes a value as one line of JSON.
func jsonLine(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else {
        return #"{"decision":"deny","reason":"internal error: could not encode the answer","rule":null,"risks":[],"commands":[]}"#
    }
    return text
}
