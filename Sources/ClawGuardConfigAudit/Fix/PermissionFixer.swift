import ClawGuardCore

/// `--fix`: applies the file-permission fixes of the findings (chmod 600/700) and nothing else.
public struct PermissionFixer: Sendable {
    public struct Change: Sendable, Hashable, Codable {
        public var path: String
        public var from: String
        public var to: String
        public var applied: Bool
        public var error: String?
    }

    public var host: any HostFacts

    public init(host: any HostFacts) {
        self.host = host
    }

    /// The changes the findings call for (deduplicated by path); applied unless `dryRun`.
    public func fix(_ findings: [Finding], dryRun: Bool) -> [Change] {
        var seen = Set<String>()
        var changes: [Change] = []
        for fix in findings.compactMap(\.fix) where seen.insert(fix.path).inserted {
            // Never follow a symlink with chmod; the fix path is already the resolved target.
            guard let status = host.status(fix.path), status.kind != .symlink else { continue }
            // Only ever remove permission bits; never add any.
            let target = status.mode & fix.mode
            guard target != status.mode else { continue }
            var change = Change(
                path: fix.path, from: status.octal, to: "0" + String(target, radix: 8), applied: false, error: nil)
            if !dryRun {
                do {
                    try host.setMode(fix.path, target)
                    change.applied = true
                } catch {
                    change.error = "\(error)"
                }
            }
            changes.append(change)
        }
        return changes
    }
}
