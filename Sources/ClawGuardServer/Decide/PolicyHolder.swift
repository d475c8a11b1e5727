import ClawGuardCore
import ClawGuardStore
import Foundation
import Synchronization

/// The policy the gateway decides with: the configured (or discovered) files plus the server-owned layer that
/// `always` approvals write. Loaded once; reloaded when that layer changes.
public final class PolicyHolder: Sendable {
    /// A loaded policy with its engine and limits.
    public struct Loaded: Sendable {
        public var policy: Policy
        public var engine: DecisionEngine
        public var limits: ClawGuardStore.Limits
        public var paths: [String]
    }

    private let state: Mutex<Loaded>
    let configuration: GatewayConfiguration
    /// The server-owned layer file.
    public let layerPath: String

    /// Loads the policy.
    /// - Throws: `ClawGuardError(.invalidPolicy)` naming the file and line; the server does not start.
    public init(configuration: GatewayConfiguration, layerPath: String) throws {
        self.configuration = configuration
        self.layerPath = layerPath
        state = Mutex(try Self.load(configuration, layerPath: layerPath))
    }

    /// Other profiles of the same files, loaded on first use (emptied on reload).
    private let others = Mutex<[String: Loaded]>([:])

    /// The current policy.
    public func current() -> Loaded { state.withLock { $0 } }

    /// Another profile of the same policy files (built-in profiles included), for callers that ask to be held
    /// to it as well (`/v1/decide`'s `profile`).
    /// - Throws: `ClawGuardError(.invalidPolicy)` when the files do not define it.
    public func loaded(profile: String) throws -> Loaded {
        if let cached = others.withLock({ $0[profile] }) { return cached }
        let loaded = try Self.load(configuration, layerPath: layerPath, profile: profile)
        others.withLock { $0[profile] = loaded }
        return loaded
    }

    /// Reloads from the files; on failure the old policy stays and the error is thrown.
    public func reload() throws {
        let loaded = try Self.load(configuration, layerPath: layerPath)
        state.withLock { $0 = loaded }
        others.withLock { $0 = [:] }
    }

    static func load(_ configuration: GatewayConfiguration, layerPath: String, profile: String? = nil) throws -> Loaded {
        let resolver = PathResolver(home: configuration.home, followSymlinks: false)
        var paths = configuration.policyPaths.isEmpty
            ? PolicyLocator.locate(cwd: configuration.workingDirectory, home: configuration.home, environment: ProcessInfo.processInfo.environment)
            : configuration.policyPaths.map { resolver.lexicalPath($0, cwd: configuration.workingDirectory) }
        if FileManager.default.fileExists(atPath: layerPath) { paths.append(layerPath) }
        let policy = try PolicyLoader.load(paths: paths, profile: profile ?? configuration.profile ?? ProcessInfo.processInfo.environment["CLAWGUARD_PROFILE"],
                                           cwd: configuration.workingDirectory, home: configuration.home)
        return Loaded(policy: policy, engine: DecisionEngine(policy: policy), limits: ClawGuardStore.Limits(policy: policy), paths: paths)
    }
}

/// The server-owned policy layer: allow rules added by `always` approvals, each with who approved it.
enum ApprovalPolicyLayer {
    /// The allow rules that cover an approved call (none for tools without a narrow rule form; the approval's
    /// fingerprint grant still covers identical calls).
    static func rules(for approval: ApprovalRecord) -> [String] {
        let tool = approval.tool
        func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "*", with: "\\*")
        }
        func pathRule(_ name: String) -> [String] {
            guard let path = approval.input["file_path"]?.stringValue ?? approval.input["notebook_path"]?.stringValue,
                  path.hasPrefix("/"), !path.contains(where: { "*?[]{}()".contains($0) }) else { return [] }
            return ["\(name)(/\(path))"]
        }
        switch tool {
        case "Bash":
            return approval.verdict.commands.filter { $0.decision != .allow }
                .map { "Bash(" + escaped($0.argv.joined(separator: " ")) + ")" }
                .filter { !$0.dropFirst(5).dropLast().contains(where: { $0 == "(" || $0 == ")" }) }
        case "Edit", "Write", "MultiEdit", "NotebookEdit": return pathRule("Edit")
        case "Read", "NotebookRead": return pathRule("Read")
        case "WebFetch":
            guard let host = approval.input["url"]?.stringValue.flatMap({ URL(string: $0)?.host }), !host.isEmpty else { return [] }
            return ["WebFetch(domain:\(host))"]
        default:
            return tool.hasPrefix("mcp__") && !tool.contains("*") ? [tool] : []
        }
    }

    /// The layer file's text for every standing approval.
    static func render(_ approvals: [ApprovalRecord]) -> String {
        var lines = [
            "# Written by `clawguard serve`: allow rules added by approvals with scope \"always\".",
            "# Each rule names who approved it. Edit with care; the server rewrites this file on every such approval.",
            "version: 1",
            "permissions:",
            "  allow:",
        ]
        var seen = Set<String>()
        for approval in approvals {
            for rule in rules(for: approval) where seen.insert(rule).inserted {
                let when = approval.decidedAt.map { ISO8601DateFormatter().string(from: $0) } ?? "?"
                lines.append("    # approved by \(approval.decidedBy ?? "?") at \(when) (approval \(approval.id))")
                lines.append("    - \(JSONText.encode(rule))")
            }
        }
        if seen.isEmpty { lines[lines.count - 1] = "  allow: []" }
        return lines.joined(separator: "\n") + "\n"
    }
}
