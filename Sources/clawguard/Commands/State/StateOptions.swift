import ArgumentParser
import ClawGuardCore
import ClawGuardStore
import Foundation

/// `--state PATH`, shared by the state commands (falls back to `CLAWGUARD_STATE`, then `~/.clawguard/state.db`).
struct StateOptions: ParsableArguments {
    @Option(name: .customLong("state"), help: "State database (default: $CLAWGUARD_STATE or ~/.clawguard/state.db).")
    var path: String?

    var resolvedPath: String { StatePaths.resolve(explicit: path) }

    /// Opens the store; a failure exits 1 with the reason.
    func open() throws -> StateStore {
        do {
            return try StateStore(path: resolvedPath)
        } catch {
            throw ValidationError("cannot open the state database \(resolvedPath): \(error.message)")
        }
    }
}

