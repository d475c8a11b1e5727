import ClawGuardCore

/// How bad a finding is. Ordered: `info` < `warn` < `critical`.
///
/// - `critical`: an exposure someone can use now (unauthenticated remote access, secrets readable by other
///   users, an agent that runs any command without approval on a reachable surface). Fix before running.
/// - `warn`: a control the reference checklist asks for is missing or weakened; exploitable in combination.
/// - `info`: worth knowing (an intentional exposure, a missing nice-to-have, a fact the audit could not decide).
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
    case info, warn, critical

    private var rank: Int {
        switch self {
        case .info: 0
        case .warn: 1
        case .critical: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The area of the reference checklist a check belongs to; the readable report groups by it.
public enum Area: String, Codable, Sendable, CaseIterable {
    case input = "Inputs"
    case configuration = "Configuration security"
    case sandbox = "Sandbox & isolation"
    case permissions = "Permission system"
    case budget = "Budget & rate limiting"
    case credentials = "Credential management"
    case logging = "Logging & monitoring"
    case alerting = "Alerting"
    case network = "Network security"
    case channels = "Channels & inbound access"
    case host = "Host"
}

/// A file-permission change `--fix` may apply: the only kind of fix ClawGuard applies by itself.
public struct PermissionFix: Codable, Sendable, Hashable {
    /// The file or directory to chmod.
    public var path: String
    /// The mode to set (0o600 for files, 0o700 for directories).
    public var mode: UInt16

    public init(path: String, mode: UInt16) {
        self.path = path
        self.mode = mode
    }
}

/// One problem the audit found.
public struct Finding: Codable, Sendable, Hashable {
    /// The check id: OpenClaw's own id where `openclaw security audit` has the same check, otherwise a
    /// ClawGuard id under `clawguard.*`, `claude.*`, `codex.*` or `host.*`.
    public var checkId: String
    public var severity: Severity
    public var title: String
    /// What was found, naming the key or file and the value that triggered it.
    public var detail: String
    /// What to do about it.
    public var remediation: String
    /// The file the finding is about, when there is one.
    public var file: String?
    /// The 1-based line of the key in `file`; best effort (JSON5 and TOML parsers give no positions).
    public var line: Int?
    public var area: Area
    /// Reference-checklist items this finding bears on.
    public var checklistItems: [String]
    /// A safe mechanical fix (`--fix`), only for file permissions.
    public var fix: PermissionFix?

    public init(
        checkId: String, severity: Severity, title: String, detail: String, remediation: String,
        file: String? = nil, line: Int? = nil, area: Area, checklistItems: [String] = [], fix: PermissionFix? = nil
    ) {
        self.checkId = checkId
        self.severity = severity
        self.title = title
        self.detail = detail
        self.remediation = remediation
        self.file = file
        self.line = line
        self.area = area
        self.checklistItems = checklistItems
        self.fix = fix
    }
}

/// A finding the user suppressed, with the reason they gave.
public struct SuppressedFinding: Codable, Sendable, Hashable {
    public var finding: Finding
    public var reason: String
}

/// Counts by severity (suppressed findings excluded) and what was read.
public struct AuditSummary: Codable, Sendable, Hashable {
    public var critical: Int
    public var warn: Int
    public var info: Int
    public var suppressed: Int
    /// Files the audit read, by kind (`openclaw`, `claude`, `codex`, `clawguard`, `systemd`, ...).
    public var sources: [String: [String]]
    /// Inputs that existed but could not be read or parsed.
    public var readErrors: Int

    public var highest: Severity? {
        if critical > 0 { return .critical }
        if warn > 0 { return .warn }
        if info > 0 { return .info }
        return nil
    }
}

/// The result of one audit run.
public struct AuditReport: Sendable {
    public var findings: [Finding]
    public var suppressed: [SuppressedFinding]
    public var summary: AuditSummary
    /// Reference-checklist items no check covers, or covered items whose input was absent.
    public var manualItems: [ManualItem]
    /// The checks that ran (for SARIF rule metadata).
    public var checks: [CheckInfo]

    /// Whether the findings reach `threshold` (for `--fail-on`).
    public func fails(at threshold: Severity) -> Bool {
        findings.contains { $0.severity >= threshold }
    }
}

/// A checklist item the machine did not decide, and why.
public struct ManualItem: Codable, Sendable, Hashable {
    public var item: ChecklistItem
    /// `manual` (no machine check exists) or `no-input` (the checks exist but their input was not found).
    public var reason: String
}
