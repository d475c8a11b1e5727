/// The version every `clawguard` executable reports (the slim front and `clawguard-full` must agree: the
/// compiled-policy cache and `--version` depend on it).
package enum ClawGuardVersion {
    package static let current = "0.1.0"
}
