import ClawGuardCore
import Foundation
import Yams

/// A user's decision to accept a finding, with the reason (required).
public struct Suppression: Codable, Sendable, Hashable {
    /// A check id, or a prefix ending in `*` (`channels.*`, `host.fs.*`).
    public var checkId: String
    public var reason: String

    public init(checkId: String, reason: String) throws {
        let id = checkId.trimmingCharacters(in: .whitespaces)
        let why = reason.trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty else { throw ClawGuardError(.invalidInput, "a suppression needs a check id") }
        guard !why.isEmpty else {
            throw ClawGuardError(.invalidInput, "suppression of \(id) has no reason; write CHECK_ID=REASON")
        }
        self.checkId = id
        self.reason = why
    }

    /// Parse `CHECK_ID=REASON`.
    public init(argument: String) throws {
        guard let equals = argument.firstIndex(of: "=") else {
            throw ClawGuardError(.invalidInput, "suppression \"\(argument)\" has no reason; write CHECK_ID=REASON")
        }
        try self.init(checkId: String(argument[..<equals]), reason: String(argument[argument.index(after: equals)...]))
    }

    public func matches(_ id: String) -> Bool {
        if checkId.hasSuffix("*") { return id.hasPrefix(String(checkId.dropLast())) }
        return id == checkId
    }

    /// Read a suppressions file (YAML or JSON): a list of `{checkId, reason}` or a map `checkId: reason`.
    public static func load(text: String, path: String) throws -> [Suppression] {
        let value: JSONValue
        do { value = try ConfigParser.yaml(text) } catch {
            throw ClawGuardError(.parseError, "\(path) is not valid YAML/JSON", underlying: error)
        }
        switch value {
        case .null: return []
        case .object(let map):
            return try map.keys.sorted().map { key in
                guard let reason = map[key]?.stringValue else {
                    throw ClawGuardError(.invalidInput, "\(path): suppression of \(key) needs a reason string")
                }
                return try Suppression(checkId: key, reason: reason)
            }
        case .array(let items):
            return try items.map { item in
                guard let id = item["checkId"]?.stringValue else {
                    throw ClawGuardError(.invalidInput, "\(path): every suppression needs checkId and reason")
                }
                return try Suppression(checkId: id, reason: item["reason"]?.stringValue ?? "")
            }
        default:
            throw ClawGuardError(.invalidInput, "\(path): expected a list of {checkId, reason} or a map of id: reason")
        }
    }
}

/// Runs the check table over the inputs.
public struct Auditor: Sendable {
    public var checks: [Check]

    public init(checks: [Check] = CheckRegistry.all) {
        self.checks = checks
    }

    /// Run every check, apply suppressions, and work out which checklist items stay manual.
    public func run(_ inputs: AuditInputs, suppressions: [Suppression] = []) -> AuditReport {
        var findings: [Finding] = []
        var suppressed: [SuppressedFinding] = []
        for check in checks {
            for finding in check.run(inputs) {
                if let suppression = suppressions.first(where: { $0.matches(finding.checkId) }) {
                    suppressed.append(SuppressedFinding(finding: finding, reason: suppression.reason))
                } else {
                    findings.append(finding)
                }
            }
        }
        let areaOrder = Dictionary(uniqueKeysWithValues: Area.allCases.enumerated().map { ($1, $0) })
        findings.sort {
            if $0.severity != $1.severity { return $0.severity > $1.severity }
            if $0.area != $1.area { return areaOrder[$0.area]! < areaOrder[$1.area]! }
            if $0.checkId != $1.checkId { return $0.checkId < $1.checkId }
            return ($0.file ?? "", $0.line ?? 0) < ($1.file ?? "", $1.line ?? 0)
        }
        let summary = AuditSummary(
            critical: findings.filter { $0.severity == .critical }.count,
            warn: findings.filter { $0.severity == .warn }.count,
            info: findings.filter { $0.severity == .info }.count,
            suppressed: suppressed.count, sources: inputs.sources, readErrors: inputs.problems.count)
        return AuditReport(
            findings: findings, suppressed: suppressed, summary: summary, manualItems: manualItems(inputs),
            checks: checks.map(\.info))
    }

    /// Checklist items no check decides (`manual`), or whose checks had no input (`no-input`).
    func manualItems(_ inputs: AuditInputs) -> [ManualItem] {
        func present(_ source: CheckSource) -> Bool {
            switch source {
            case .openclaw: inputs.openClaw != nil
            case .claude: !inputs.claude.isEmpty
            case .codex: !inputs.codex.isEmpty
            case .clawguard: inputs.clawguardPolicy != nil
            case .host, .any: true
            }
        }
        return ReferenceChecklist.items.compactMap { item in
            let covering = checks.filter { $0.info.covers.contains(item.id) }
            if covering.isEmpty { return ManualItem(item: item, reason: "manual") }
            if !covering.contains(where: { present($0.info.source) }) {
                return ManualItem(item: item, reason: "no-input")
            }
            return nil
        }
    }
}
