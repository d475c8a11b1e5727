import ClawGuardCore
import ClawGuardStore
import Foundation

/// Audit trail search, with the hash chain's verification status.
public enum AuditPage {
    public static func render(_ results: AuditResults, search: AuditSearch, context: PageContext) -> String {
        Layout.page(title: "Audit trail", context: context) {
            verificationBanner(results)
            H.el("form", [Attribute("method", "get"), Attribute("action", ConsolePaths.audit), .cls("search"),
                          Attribute("role", "search")]) {
                H.input(.type("text"), .name("session"), .value(search.session ?? ""), Attribute("placeholder", "session"))
                H.select(.name("type")) {
                    H.option(.value("")) { "any event" }
                    for type in AuditEventType.all {
                        if search.type == type.name {
                            H.option(.value(type.name), .flag("selected")) { type.name }
                        } else {
                            H.option(.value(type.name)) { type.name }
                        }
                    }
                }
                H.input(.type("text"), .name("q"), .value(search.text ?? ""), Attribute("placeholder", "text"))
                H.button(.type("submit")) { "Search" }
            }
            H.section(.cls("card")) {
                if results.records.isEmpty {
                    H.p(.cls("muted")) { "No matching records." }
                } else {
                    recordTable(results.records)
                }
                if let next = results.nextBeforeSeq {
                    H.p {
                        H.a(href: ConsolePaths.audit + ConsolePaths.query([
                            ("session", search.session), ("type", search.type), ("q", search.text),
                            ("before", String(next)),
                        ]), .id("older")) { "Older records" }
                    }
                }
            }
        }
    }

    static func verificationBanner(_ results: AuditResults) -> Node {
        if let error = results.verificationError {
            return H.div(.cls("banner banner-bad"), .id("chain-status"), .data("ok", "false")) {
                "The audit trail could not be verified: " + error
            }
        }
        guard let verification = results.verification else {
            return H.div(.cls("banner banner-bad"), .id("chain-status"), .data("ok", "false")) { "The audit trail was not verified." }
        }
        if verification.ok {
            return H.div(.cls("banner banner-ok"), .id("chain-status"), .data("ok", "true")) {
                "Chain verified: \(verification.recordsChecked) records, \(verification.checkpointsChecked) signed checkpoints"
                if verification.uncheckpointedTail > 0 {
                    " (\(verification.uncheckpointedTail) newest records after the last checkpoint)"
                }
                "."
                for note in verification.notes { H.div(.cls("small")) { note } }
                if !verification.notes.isEmpty {
                    H.div(.cls("small")) {
                        H.a(href: ConsolePaths.audit + ConsolePaths.query([("verify", "full")])) { "Verify the whole trail now" }
                    }
                }
            }
        }
        return H.div(.cls("banner banner-bad"), .id("chain-status"), .data("ok", "false")) {
            "Chain verification FAILED"
            if let seq = verification.firstBadSeq { " at record \(seq)" }
            ": " + (verification.problem ?? "unknown problem")
        }
    }

    static func recordTable(_ records: [AuditRecord]) -> Node {
        H.table(.cls("list"), .id("audit")) {
            H.thead {
                H.tr { H.th { "#" }; H.th { "Time" }; H.th { "Event" }; H.th { "Session" }; H.th { "Tool" }
                    H.th { "Decision" }; H.th { "Reason / command" } }
            }
            H.tbody {
                for record in records {
                    H.tr {
                        H.td(.cls("num")) { String(record.seq) }
                        H.td { String(record.time.prefix(19)).replacingOccurrences(of: "T", with: " ") }
                        H.td { Layout.badge(record.type) }
                        H.td {
                            if let session = record.session {
                                H.a(href: ConsolePaths.session(session)) { Charts.truncate(session, 16) }
                            }
                        }
                        H.td { record.tool ?? "" }
                        H.td { if let decision = record.decision { Layout.badge(decision) } }
                        H.td {
                            if let reason = record.reason { H.div { reason } }
                            if let command = command(of: record) { H.code { Charts.truncate(command, 200) } }
                        }
                    }
                }
            }
        }
    }

    /// The command (or file path) a record's parameters carry, for display.
    static func command(of record: AuditRecord) -> String? {
        guard let data = record.details.data(using: .utf8),
              let details = try? JSONDecoder().decode(JSONValue.self, from: data),
              let parameters = details["parameters"]
        else { return nil }
        for key in ["command", "file_path", "path", "url", "pattern"] {
            if let value = parameters[key]?.stringValue { return value }
        }
        return nil
    }

    /// Filters records by the free-text part of a search (case-insensitive substring of tool, reason, rule, user,
    /// session and details).
    public static func matches(_ record: AuditRecord, text: String?) -> Bool {
        guard let text, !text.isEmpty else { return true }
        let fields = [record.tool, record.reason, record.rule, record.user, record.session, record.agent, record.details]
        return fields.contains { $0?.localizedCaseInsensitiveContains(text) == true }
    }
}

/// The kill switch: its state and the form to turn it on or off.
public enum KillSwitchPage {
    public static func render(_ state: KillSwitchState?, context: PageContext, canSet: Bool, error: String? = nil) -> String {
        Layout.page(title: "Kill switch", context: context) {
            H.section(.cls("card")) {
                if let state {
                    H.p(.cls(state.on ? "kill-state on" : "kill-state off"), .id("kill-state"), .data("on", state.on ? "true" : "false")) {
                        state.on ? "ON — every tool call of every agent is denied." : "Off — decisions follow the policy."
                    }
                    Layout.facts([
                        ("Reason", state.reason), ("Changed", state.changedAt.map(AuditTime.display)), ("By", state.changedBy),
                    ])
                } else {
                    H.p(.cls("kill-state on"), .id("kill-state")) {
                        "The kill switch could not be read" + (error.map { ": " + $0 } ?? "")
                            + ". ClawGuard treats an unreadable kill switch as ON."
                    }
                }
                if canSet {
                    H.form(action: ConsolePaths.killSwitch, csrf: context.csrfToken, .cls("inline")) {
                        H.input(.type("text"), .name("reason"), Attribute("placeholder", "reason"), Attribute("maxlength", "500"))
                        if state?.on == true {
                            H.button(.type("submit"), .name("state"), .value("off"), .id("kill-off")) { "Turn off" }
                        } else {
                            H.button(.type("submit"), .name("state"), .value("on"), .cls("danger"), .id("kill-on")) { "Turn ON" }
                        }
                    }
                }
            }
        }
    }
}
