import ClawGuardCore
import Foundation

/// SARIF 2.1.0 output, so CI code scanning shows the findings.
enum SARIFReporter {
    static let schema = "https://json.schemastore.org/sarif-2.1.0.json"

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical: "error"
        case .warn: "warning"
        case .info: "note"
        }
    }

    /// GitHub ranks security results by this rule property (0–10).
    static func securitySeverity(_ severity: Severity) -> String {
        switch severity {
        case .critical: "9.0"
        case .warn: "5.0"
        case .info: "2.0"
        }
    }

    static func uri(_ path: String) -> String {
        guard path.hasPrefix("/") else { return path }
        let cut = path.split(separator: "#", maxSplits: 1).first.map(String.init) ?? path
        return URL(fileURLWithPath: cut).absoluteString
    }

    static func render(_ report: AuditReport) throws -> String {
        // Rules: every concrete check id, plus the ids results actually carry (per-provider ids).
        var rules: [JSONValue] = []
        var ruleIndex: [String: Int] = [:]
        let byId = Dictionary(report.checks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func pattern(for id: String) -> CheckInfo? {
            byId[id]
                ?? report.checks.first { info in
                    guard info.id.contains("*") else { return false }
                    let parts = info.id.split(separator: "*", maxSplits: 1).map(String.init)
                    return parts.count == 2 && id.hasPrefix(parts[0]) && id.hasSuffix(parts[1])
                }
        }
        func addRule(_ id: String, _ info: CheckInfo) {
            guard ruleIndex[id] == nil else { return }
            ruleIndex[id] = rules.count
            rules.append(
                .object([
                    "id": .string(id),
                    "name": .string(id.replacingOccurrences(of: "*", with: "_")),
                    "shortDescription": .object(["text": .string(info.title)]),
                    "fullDescription": .object(["text": .string(info.title + ". " + info.remediation)]),
                    "help": .object(["text": .string(info.remediation)]),
                    "defaultConfiguration": .object(["level": .string(level(info.severity))]),
                    "properties": .object([
                        "tags": .array([.string("security"), .string(info.area.rawValue)]),
                        "security-severity": .string(securitySeverity(info.severity)),
                        "checklist": .array(info.covers.map(JSONValue.string)),
                        "openclawCheckId": .bool(info.openClawId),
                    ]),
                ]))
        }
        for info in report.checks where !info.id.contains("*") { addRule(info.id, info) }
        let all =
            report.findings.map { ($0, nil as String?) } + report.suppressed.map { ($0.finding, $0.reason as String?) }
        for (finding, _) in all {
            let info =
                pattern(for: finding.checkId)
                ?? CheckInfo(
                    id: finding.checkId, severity: finding.severity, area: finding.area, title: finding.title,
                    remediation: finding.remediation, covers: finding.checklistItems, source: .any, openClawId: false)
            addRule(finding.checkId, info)
        }
        let results: [JSONValue] = all.map { finding, reason in
            var result: [String: JSONValue] = [
                "ruleId": .string(finding.checkId),
                "ruleIndex": .number(Double(ruleIndex[finding.checkId]!)),
                "level": .string(level(finding.severity)),
                "message": .object([
                    "text": .string("\(finding.title): \(finding.detail) Remediation: \(finding.remediation)")
                ]),
                "properties": .object(["severity": .string(finding.severity.rawValue)]),
            ]
            if let file = finding.file {
                var physical: [String: JSONValue] = ["artifactLocation": .object(["uri": .string(uri(file))])]
                if let line = finding.line { physical["region"] = .object(["startLine": .number(Double(line))]) }
                result["locations"] = .array([.object(["physicalLocation": .object(physical)])])
            }
            if let reason {
                result["suppressions"] = .array([
                    .object(["kind": .string("external"), "justification": .string(reason)])
                ])
            }
            return .object(result)
        }
        let document: JSONValue = .object([
            "$schema": .string(schema),
            "version": .string("2.1.0"),
            "runs": .array([
                .object([
                    "tool": .object([
                        "driver": .object([
                            "name": .string("ClawGuard"),
                            "semanticVersion": .string("0.1.0"),
                            "rules": .array(rules),
                        ])
                    ]),
                    "results": .array(results),
                ])
            ]),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
