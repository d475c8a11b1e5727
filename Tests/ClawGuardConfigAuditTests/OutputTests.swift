import ClawGuardCore
import Foundation
import Testing

@testable import ClawGuardConfigAudit

private func insecureReport(_ suppressions: [Suppression] = []) -> AuditReport {
    Env().openclaw(Fixtures.text("openclaw/current-insecure.json5"), mode: 0o644)
        .claude(Fixtures.text("claude/settings-insecure.json")).report(suppressions)
}

private func parse(_ text: String) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
}

@Suite("Output formats, suppressions, checklist")
struct OutputTests {
    @Test func jsonShape() throws {
        let report = insecureReport()
        let json = try parse(try Reporter.render(report, format: .json))
        let findings = try #require(json["findings"]?.arrayValue)
        #expect(findings.count == report.findings.count)
        for finding in findings {
            for key in ["checkId", "severity", "title", "detail", "remediation", "area"] {
                #expect(finding[key]?.stringValue?.isEmpty == false, "finding lacks \(key)")
            }
            #expect(["critical", "warn", "info"].contains(finding["severity"]?.stringValue ?? ""))
        }
        #expect(
            json.at("summary.critical")?.numberValue
                == Double(findings.filter { $0["severity"]?.stringValue == "critical" }.count))
        #expect(
            json.at("summary.warn")?.numberValue
                == Double(findings.filter { $0["severity"]?.stringValue == "warn" }.count))
        #expect(findings.contains { $0["line"]?.numberValue != nil })
    }

    /// SARIF 2.1.0: the fields the schema requires and code scanning reads, checked by hand (no copy of the
    /// schema is available offline).
    @Test func sarifShape() throws {
        let report = insecureReport([try Suppression(argument: "logging.redact_off=handled by journald redaction")])
        let sarif = try parse(try Reporter.render(report, format: .sarif))
        #expect(sarif["version"]?.stringValue == "2.1.0")
        #expect(sarif["$schema"]?.stringValue?.contains("sarif-2.1.0") == true)
        let runs = try #require(sarif["runs"]?.arrayValue)
        #expect(runs.count == 1)
        let driver = try #require(runs[0].at("tool.driver"))
        #expect(driver["name"]?.stringValue == "ClawGuard")
        let rules = try #require(driver["rules"]?.arrayValue)
        let ruleIds = rules.compactMap { $0["id"]?.stringValue }
        #expect(Set(ruleIds).count == ruleIds.count, "rule ids must be unique")
        for rule in rules {
            #expect(rule.at("shortDescription.text")?.stringValue?.isEmpty == false)
            #expect(["error", "warning", "note"].contains(rule.at("defaultConfiguration.level")?.stringValue ?? ""))
            let id = rule["id"]?.stringValue ?? "*"
            #expect(id.contains("*") == false, "pattern ids are not rules")
        }
        let results = try #require(runs[0]["results"]?.arrayValue)
        #expect(results.count == report.findings.count + report.suppressed.count)
        for result in results {
            let id = try #require(result["ruleId"]?.stringValue)
            let index = try #require(result["ruleIndex"]?.numberValue)
            #expect(ruleIds[Int(index)] == id)
            #expect(["error", "warning", "note"].contains(result["level"]?.stringValue ?? ""))
            #expect(result.at("message.text")?.stringValue?.isEmpty == false)
            for location in result["locations"]?.arrayValue ?? [] {
                #expect(
                    location.at("physicalLocation.artifactLocation.uri")?.stringValue?.hasPrefix("file:///") == true)
                if let line = location.at("physicalLocation.region.startLine")?.numberValue { #expect(line >= 1) }
            }
        }
        let suppressed = results.filter { $0["suppressions"] != nil }
        #expect(suppressed.count == 1)
        #expect(suppressed.first?["suppressions"]?.arrayValue?.first?["kind"]?.stringValue == "external")
        #expect(
            suppressed.first?["suppressions"]?.arrayValue?.first?["justification"]?.stringValue
                == "handled by journald redaction")
        #expect(ruleIds.contains("channels.telegram.dm.open"))
    }

    @Test func markdownReport() throws {
        let report = Env().openclaw(Fixtures.text("openclaw/reference-template.json")).report()
        let markdown = try Reporter.render(report, format: .markdown)
        #expect(markdown.contains("**Auditor**: ____________________"))
        #expect(markdown.contains("☐ Pass ☐ Pass with conditions ☐ Fail"))
        #expect(markdown.contains("- [ ] Penetration testing performed"))
        #expect(markdown.contains("- [x] Docker sandbox enabled"))
        #expect(
            markdown.contains(
                "- [ ] Authentication enabled with strong tokens (32+ character random strings) — **failed**: `clawguard.gateway.token_placeholder`"
            ))
        #expect(markdown.contains("`clawguard.gateway.token_placeholder`"))
        for section in ReferenceChecklist.sections { #expect(markdown.contains("### \(section)")) }
    }

    @Test func textReportGroupsByAreaWithoutColourByDefault() throws {
        let text = try Reporter.render(insecureReport(), format: .text)
        #expect(text.contains("== Configuration security =="))
        #expect(text.contains("CRITICAL gateway.bind_no_auth"))
        #expect(!text.contains("\u{1B}["))
        let coloured = try Reporter.render(insecureReport(), format: .text, colour: true)
        #expect(coloured.contains("\u{1B}[1;31mCRITICAL"))
    }

    @Test func suppressionsMoveFindingsAndKeepReasons() throws {
        let base = insecureReport()
        let suppressions = [
            try Suppression(argument: "channels.*=bot is a public demo"),
            try Suppression(argument: "gateway.bind_no_auth=lab network"),
        ]
        let report = insecureReport(suppressions)
        #expect(!report.findings.contains { $0.checkId.hasPrefix("channels.") || $0.checkId == "gateway.bind_no_auth" })
        #expect(
            report.suppressed.count
                == base.findings.filter { $0.checkId.hasPrefix("channels.") || $0.checkId == "gateway.bind_no_auth" }
                .count)
        #expect(report.suppressed.contains { $0.reason == "lab network" })
        #expect(report.summary.suppressed == report.suppressed.count)
        let text = try Reporter.render(report, format: .text)
        #expect(text.contains("reason: bot is a public demo"))
    }

    @Test(arguments: ["gateway.bind_no_auth", "gateway.bind_no_auth=", "gateway.bind_no_auth=   ", "=reason"])
    func suppressionNeedsIdAndReason(_ argument: String) {
        #expect(throws: ClawGuardError.self) { try Suppression(argument: argument) }
    }

    @Test func suppressionsFile() throws {
        let list = try Suppression.load(text: "- checkId: logging.redact_off\n  reason: journald\n", path: "s.yaml")
        #expect(list == [try Suppression(checkId: "logging.redact_off", reason: "journald")])
        let map = try Suppression.load(text: "{\"gateway.bind_no_auth\": \"lab\"}", path: "s.json")
        #expect(map.first?.checkId == "gateway.bind_no_auth")
        #expect(throws: ClawGuardError.self) { try Suppression.load(text: "- checkId: x\n", path: "s.yaml") }
        #expect(throws: ClawGuardError.self) { try Suppression.load(text: "just text", path: "s.yaml") }
    }

    @Test func failOnThresholds() {
        let report = insecureReport()
        #expect(report.fails(at: .critical))
        let hardened = Env().claude(Fixtures.text("claude/settings-hardened.json")).policy(
            Fixtures.text("clawguard/policy.yaml")
        ).report()
        #expect(!hardened.fails(at: .warn))
        #expect(hardened.fails(at: .info) == !hardened.findings.isEmpty)
    }
}

@Suite("Check table and checklist mapping")
struct RegistryTests {
    @Test func checkIdsAreUniqueAndNamespaced() {
        let ids = CheckRegistry.infos.map(\.id)
        #expect(Set(ids).count == ids.count)
        for info in CheckRegistry.infos where !info.openClawId {
            #expect(
                ["clawguard.", "claude.", "codex.", "host."].contains { info.id.hasPrefix($0) },
                "\(info.id) is not namespaced")
        }
    }

    @Test func coveredItemsExistInTheChecklist() {
        let known = Set(ReferenceChecklist.items.map(\.id))
        for info in CheckRegistry.infos {
            for item in info.covers { #expect(known.contains(item), "\(info.id) covers unknown item \(item)") }
        }
    }

    @Test func everyChecklistItemIsCheckedOrManual() {
        let report = Env().report()
        let manual = Set(report.manualItems.map(\.item.id))
        let covered = CheckRegistry.coveredItems
        for item in ReferenceChecklist.items {
            #expect(
                covered.contains(item.id)
                    != (manual.contains(item.id)
                        && report.manualItems.first { $0.item.id == item.id }?.reason == "manual"))
        }
        // The table matches the reference checklist file line for line.
        let lines = Fixtures.text("reference/security-audit.md").split(separator: "\n")
            .filter { $0.hasPrefix("- [ ] ") }.map { String($0.dropFirst(6)) }
        #expect(ReferenceChecklist.items.map(\.text) == lines)
        let sections = Fixtures.text("reference/security-audit.md").split(separator: "\n")
            .filter { $0.hasPrefix("## ") && !$0.contains("Sign-Off") }.map { String($0.dropFirst(3)) }
        #expect(ReferenceChecklist.sections == sections)
        // Items only OpenClaw config decides are "no-input" when there is none.
        #expect(report.manualItems.contains { $0.item.id == "config.token_expiry" && $0.reason == "no-input" })
        #expect(report.manualItems.contains { $0.item.id == "testing.pentest" && $0.reason == "manual" })
    }
}
