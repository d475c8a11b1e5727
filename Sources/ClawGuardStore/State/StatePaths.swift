import Foundation

/// Where the state database lives: `--state PATH` wins, then `CLAWGUARD_STATE`, then `~/.clawguard/state.db`.
/// The audit trail is in the same database; the checkpoint signing key sits beside it.
public enum StatePaths {
    /// The environment variable that overrides the default path.
    public static let environmentVariable = "CLAWGUARD_STATE"

    /// Resolves the database path.
    /// - Parameters:
    ///   - explicit: a path given on the command line, if any.
    ///   - environment: the process environment.
    public static func resolve(explicit: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return expand(explicit, environment) }
        if let fromEnv = environment[environmentVariable], !fromEnv.isEmpty { return expand(fromEnv, environment) }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".clawguard/state.db")
    }

    static func expand(_ path: String, _ environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + path.dropFirst()
    }
}
