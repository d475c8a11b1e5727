/// Every check ClawGuard runs, collected from the per-area tables.
public enum CheckRegistry {
    public static let all: [Check] =
        InputChecks.all + OpenClawGatewayChecks.all + OpenClawSandboxChecks.all + OpenClawToolChecks.all
        + OpenClawChannelChecks.all + OpenClawOperationsChecks.all + SecretChecks.all + ClaudeChecks.all
        + CodexChecks.all + ClawGuardPolicyChecks.all + HostChecks.all + FilePermissionChecks.all

    /// Descriptions of every check.
    public static var infos: [CheckInfo] { all.map(\.info) }

    /// Checklist item ids decided by at least one check.
    public static var coveredItems: Set<String> { Set(all.flatMap(\.info.covers)) }
}

/// Problems reading an input are findings themselves: an unreadable config never passes silently.
enum InputChecks {
    static let all: [Check] = [
        Check(
            "clawguard.input.unreadable", .critical, .input, source: .any,
            title: "A configuration file could not be read or parsed",
            remediation:
                "Fix the file's syntax or permissions; until it can be read, the audit cannot vouch for what it configures."
        ) { inputs in
            inputs.problems.map { Hit("\($0.kind): \($0.message)", file: $0.path) }
        }
    ]
}
