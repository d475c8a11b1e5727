/// The check table as documentation (`clawguard audit --list-checks`, docs/AUDIT.md).
public enum CheckCatalog {
    public static func markdown(_ checks: [CheckInfo] = CheckRegistry.infos) -> String {
        var out = "| Check id | Severity | Area | Reads | OpenClaw id | Checklist items |\n|---|---|---|---|---|---|\n"
        for info in checks {
            let items = info.covers.isEmpty ? "—" : info.covers.map { "`\($0)`" }.joined(separator: ", ")
            out +=
                "| `\(info.id)` | \(info.severity.rawValue) | \(info.area.rawValue) | \(info.source.rawValue) | "
                + (info.openClawId ? "yes" : "no") + " | \(items) |\n"
        }
        return out
    }

    /// Each checklist item and the checks that decide it (or "manual").
    public static func checklistMapping(_ checks: [CheckInfo] = CheckRegistry.infos) -> String {
        var out = "| Checklist item | Decided by |\n|---|---|\n"
        for item in ReferenceChecklist.items {
            let ids = checks.filter { $0.covers.contains(item.id) }.map { "`\($0.id)`" }
            out +=
                "| \(item.section): \(item.text) (`\(item.id)`) | \(ids.isEmpty ? "manual" : ids.joined(separator: ", ")) |\n"
        }
        return out
    }
}
