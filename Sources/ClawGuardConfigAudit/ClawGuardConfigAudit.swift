import ClawGuardCore

/// The configuration auditor: the reference security-audit checklist, checked by machine.
///
/// Use: `InputLoader(host:).load(options)` → `Auditor().run(inputs, suppressions:)` → `Reporter.render(...)`;
/// `PermissionFixer(host:).fix(report.findings, dryRun:)` for `--fix`.
public enum ClawGuardConfigAudit {
    /// Load, audit and return the report in one call.
    public static func audit(
        _ options: AuditOptions, host: any HostFacts = RealHost(), suppressions: [Suppression] = []
    ) -> AuditReport {
        Auditor().run(InputLoader(host: host).load(options), suppressions: suppressions)
    }
}
