import ClawGuardCore

/// Which input a check reads; a check whose input is absent did not decide its checklist items.
public enum CheckSource: String, Codable, Sendable {
    case openclaw, claude, codex, clawguard, host, any
}

/// The static description of a check (the SARIF rule, the docs table row).
public struct CheckInfo: Codable, Sendable, Hashable {
    /// The id, or the id pattern with `*` for per-provider ids (`channels.*.dm.open`).
    public var id: String
    public var severity: Severity
    public var area: Area
    public var title: String
    public var remediation: String
    /// Reference-checklist item ids this check decides.
    public var covers: [String]
    public var source: CheckSource
    /// Whether the id is OpenClaw's own `openclaw security audit` id.
    public var openClawId: Bool
}

/// One occurrence of a check's condition.
public struct Hit: Sendable {
    public var detail: String
    public var file: String?
    public var line: Int?
    /// Overrides the check's default severity (for checks whose severity depends on exposure).
    public var severity: Severity?
    /// The concrete id when the check's id is a pattern (`channels.telegram.dm.open`).
    public var id: String?
    public var fix: PermissionFix?

    public init(
        _ detail: String, file: String? = nil, line: Int? = nil, severity: Severity? = nil, id: String? = nil,
        fix: PermissionFix? = nil
    ) {
        self.detail = detail
        self.file = file
        self.line = line
        self.severity = severity
        self.id = id
        self.fix = fix
    }
}

/// A check: its description and the evaluator that finds its hits. Adding a check is adding one of these
/// to a table in `Checks/*.swift` (collected by `CheckRegistry.all`).
public struct Check: Sendable {
    public var info: CheckInfo
    public var evaluate: @Sendable (AuditInputs) -> [Hit]

    public init(
        _ id: String, _ severity: Severity, _ area: Area, source: CheckSource, covers: [String] = [],
        openClawId: Bool = false, title: String, remediation: String,
        evaluate: @escaping @Sendable (AuditInputs) -> [Hit]
    ) {
        self.info = CheckInfo(
            id: id, severity: severity, area: area, title: title, remediation: remediation, covers: covers,
            source: source, openClawId: openClawId)
        self.evaluate = evaluate
    }

    /// Run the check and turn its hits into findings.
    public func run(_ inputs: AuditInputs) -> [Finding] {
        evaluate(inputs).map { hit in
            Finding(
                checkId: hit.id ?? info.id, severity: hit.severity ?? info.severity, title: info.title,
                detail: hit.detail, remediation: info.remediation, file: hit.file, line: hit.line, area: info.area,
                checklistItems: info.covers, fix: hit.fix)
        }
    }
}

extension OpenClawConfig {
    /// A hit located at a key path of this configuration.
    func hit(_ detail: String, at dotted: String, severity: Severity? = nil, id: String? = nil) -> Hit {
        let location = location(dotted)
        return Hit(detail, file: location.file, line: location.line, severity: severity, id: id)
    }
}

extension SourceDocument {
    func hit(_ detail: String, at dotted: String? = nil, severity: Severity? = nil, id: String? = nil) -> Hit {
        Hit(detail, file: path, line: dotted.flatMap { line(of: $0) }, severity: severity, id: id)
    }
}
