// CONTRACT STUB — the policy helper replaces this file with the real model; keep these entry points.

/// Claude Code's permission modes, with Claude Code's meanings.
public enum PermissionMode: String, Codable, Sendable, CaseIterable {
    case `default`, acceptEdits, plan, dontAsk, bypassPermissions
}

/// The effective policy for one profile: everything the decision engine consults.
public struct Policy: Sendable {
    /// The profile this policy was resolved for.
    public var profileName: String
    /// The permission mode.
    public var mode: PermissionMode
    /// The files it was read from, in layer order.
    public var sources: [String]

    public init(profileName: String, mode: PermissionMode, sources: [String] = []) {
        self.profileName = profileName
        self.mode = mode
        self.sources = sources
    }
}

/// Reads policy files (ClawGuard YAML or Claude Code settings JSON), layered, and resolves one profile.
public enum PolicyLoader {
    /// Loads and layers `paths` (a deny anywhere wins) and resolves `profile` (nil: the default profile).
    /// - Throws: `ClawGuardError` with code `.invalidPolicy` naming file, line, key and why.
    public static func load(paths: [String], profile: String?, cwd: String, home: String) throws -> Policy {
        throw ClawGuardError(.invalidPolicy, "policy loading is not implemented yet")
    }

    /// A built-in profile (explorer, reviewer, refactorer, builder, deployer).
    public static func builtin(_ profile: String) throws -> Policy {
        throw ClawGuardError(.invalidPolicy, "built-in profiles are not implemented yet")
    }
}
