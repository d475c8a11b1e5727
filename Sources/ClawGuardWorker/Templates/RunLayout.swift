import ClawGuardCore
import Foundation

/// The files of one run: on the host under `runsDirectory/<id>/`, and where the agent sees them in the sandbox.
public struct RunLayout: Sendable, Hashable {
    /// Where the agent's own files are bound in the sandbox (its home is a private tmpfs).
    public static let sandboxBase = "/home/sandbox/.clawguard-run"

    public var directory: String
    /// The workspace: the run's own, or (execute phase) its explore phase's.
    public var workspace: String
    public var settings: String { directory + "/settings.json" }
    /// The run's own policy layer (the run budget as the session budget).
    public var runPolicy: String { directory + "/run-policy.yaml" }
    public var output: String { directory + "/agent-output.jsonl" }
    public var errors: String { directory + "/agent-stderr.txt" }
    /// The run's gateway token (0600), bound read-only into the sandbox for the hook.
    public var gatewayToken: String { directory + "/gateway-token" }

    public init(runsDirectory: String, runID: String, workspaceOf parent: String? = nil) {
        directory = runsDirectory + "/" + runID
        workspace = runsDirectory + "/" + (parent ?? runID) + "/workspace"
    }

    /// Creates the run's directory (0700) and empty workspace.
    func create() throws {
        for path in [directory, workspace] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
    }

    /// Writes the run's gateway token, readable by this user only.
    func writeGatewayToken(_ secret: String) throws {
        try? FileManager.default.removeItem(atPath: gatewayToken)
        guard FileManager.default.createFile(atPath: gatewayToken, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ClawGuardError(.io, "cannot write the run's gateway token \(gatewayToken)")
        }
    }

    /// Writes the run's policy layer: the run's budget becomes the session budget ClawGuard's hook enforces.
    func writeRunPolicy(profile: String, budgetUSD: Double) throws {
        let yaml = """
            # Written by the ClawGuard worker for one run: its budget is the session's.
            # Profile: \(profile) (given to the hook with --profile).
            version: 1
            budgets:
              session_usd: \(budgetUSD)

            """
        try yaml.write(toFile: runPolicy, atomically: true, encoding: .utf8)
    }

    /// Writes the Claude Code settings of the run: ClawGuard's hook on every tool call, prompt and tool result.
    /// - Parameter hookCommand: the hook command line, as the agent will run it.
    func writeSettings(hookCommand: String) throws {
        let hook: JSONValue = ["type": "command", "command": .string(hookCommand), "timeout": 30]
        let entry: JSONValue = ["matcher": "*", "hooks": [hook]]
        let document: JSONValue = [
            "hooks": [
                "PreToolUse": [entry],
                "PostToolUse": [entry],
                "UserPromptSubmit": [["hooks": [hook]]],
            ],
            // Only the hooks of this file: no project or user settings widen what the run may do.
            "disableAllHooks": false,
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(document).write(to: URL(fileURLWithPath: settings))
    }
}

/// Shell quoting for the one string Claude Code runs through a shell: the hook command.
enum ShellQuote {
    static func quote(_ s: String) -> String {
        if !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || "/._-=:@,+".contains($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
