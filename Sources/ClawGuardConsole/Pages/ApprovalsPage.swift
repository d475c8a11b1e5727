import Foundation

/// Approvals: the pending requests (command, analysis, risk, diff) with approve / deny for once, the session or
/// always, and the recently decided ones. The pending list is also served alone (`pendingList`) for live updates.
public enum ApprovalsPage {
    /// The whole page.
    public static func render(pending: [ApprovalItem], recent: [ApprovalItem], context: PageContext, now: Date,
                              canDecide: Bool) -> String {
        Layout.page(title: "Approvals", context: context) {
            H.p(.cls("muted"), .id("live-status")) { "Pending requests update live." }
            H.div(.id("pending"), .data("live", ConsolePaths.approvalsFragment)) {
                pendingList(pending, csrf: context.csrfToken, now: now, canDecide: canDecide)
            }
            H.section(.cls("card")) {
                H.h2 { "Recently decided" }
                decidedTable(recent)
            }
        }
    }

    /// The pending requests alone: a fragment, the same markup the page embeds. `data-version` changes when the
    /// set of pending ids does, so the script replaces the list only then.
    public static func pendingList(_ pending: [ApprovalItem], csrf: String, now: Date, canDecide: Bool) -> Node {
        H.div(.cls("pending-list"), .data("count", String(pending.count)),
              .data("version", pending.map(\.id).joined(separator: ","))) {
            if pending.isEmpty {
                H.p(.cls("muted"), .id("no-pending")) { "No pending approvals." }
            }
            for item in pending {
                card(item, csrf: csrf, now: now, canDecide: canDecide)
            }
        }
    }

    /// The fragment as a string (served to the live-update script).
    public static func renderFragment(_ pending: [ApprovalItem], csrf: String, now: Date, canDecide: Bool) -> String {
        HTMLRenderer.render(pendingList(pending, csrf: csrf, now: now, canDecide: canDecide))
    }

    /// One approval request: page for a single id.
    public static func detail(_ item: ApprovalItem, context: PageContext, now: Date, canDecide: Bool) -> String {
        Layout.page(title: "Approval " + item.id, context: context) {
            card(item, csrf: context.csrfToken, now: now, canDecide: canDecide && item.status == "pending")
        }
    }

    static func card(_ item: ApprovalItem, csrf: String, now: Date, canDecide: Bool) -> Node {
        H.section(.cls("card approval"), .id("approval-" + Layout.cssToken(item.id)), .data("approval-id", item.id)) {
            H.div(.cls("approval-head")) {
                H.strong(.cls("tool")) { item.tool }
                " "
                Layout.badge(item.riskLevel ?? "risk unknown")
                " "
                Layout.badge(item.status)
                H.span(.cls("muted")) { " requested " + Layout.ago(item.createdAt, now: now) }
            }
            if let command = item.command {
                H.pre(.cls("command")) { H.code(.cls("approval-command")) { command } }
            }
            Layout.facts([
                ("Session", item.session), ("Agent", item.agent), ("User", item.user), ("Why it asks", item.reason),
                ("Rule", item.rule), ("Decided by", item.decidedBy), ("Scope", item.scope),
                ("Decision reason", item.decisionReason),
            ])
            if !item.risks.isEmpty {
                H.h3 { "Analysis" }
                H.ul(.cls("risks")) {
                    for risk in item.risks {
                        H.li { Layout.badge(risk.kind); " "; risk.detail }
                    }
                }
            }
            if let diff = item.diff {
                H.h3 { "Changes" }
                diffView(diff)
            }
            if let input = item.input {
                H.details {
                    H.summary { "Tool input" }
                    H.pre(.cls("input")) { input }
                }
            }
            if canDecide && item.status == "pending" {
                H.form(action: ConsolePaths.decide(item.id), csrf: csrf, .cls("decide")) {
                    H.input(.type("text"), .name("reason"), Attribute("placeholder", "reason (optional)"),
                            Attribute("maxlength", "500"))
                    H.label {
                        "Scope "
                        H.select(.name("scope")) {
                            for scope in ConsoleApprovalScope.allCases {
                                H.option(.value(scope.rawValue)) { scope.label }
                            }
                        }
                    }
                    H.button(.type("submit"), .name("decision"), .value("approve"), .cls("approve")) { "Approve" }
                    H.button(.type("submit"), .name("decision"), .value("deny"), .cls("danger deny")) { "Deny" }
                }
            }
        }
    }

    /// A unified diff, one line per row, classed by its first character.
    static func diffView(_ diff: String) -> Node {
        H.pre(.cls("diff")) {
            for line in diff.split(separator: "\n", omittingEmptySubsequences: false) {
                let cssClass = switch line.first {
                case "+": "add"
                case "-": "del"
                case "@": "hunk"
                default: "ctx"
                }
                H.span(.cls(cssClass)) { String(line) + "\n" }
            }
        }
    }

    static func decidedTable(_ items: [ApprovalItem]) -> Node {
        if items.isEmpty { return H.p(.cls("muted")) { "None yet." } }
        return H.table(.cls("list"), .id("decided")) {
            H.thead {
                H.tr { H.th { "When" }; H.th { "Tool" }; H.th { "Command" }; H.th { "Decision" }; H.th { "Scope" }
                    H.th { "By" } }
            }
            H.tbody {
                for item in items {
                    H.tr {
                        H.td { Layout.time(item.decidedAt ?? item.createdAt) }
                        H.td { H.a(href: ConsolePaths.approval(item.id)) { item.tool } }
                        H.td { H.code { Charts.truncate(item.command ?? "", 80) } }
                        H.td { Layout.badge(item.status) }
                        H.td { item.scope ?? "–" }
                        H.td { item.decidedBy ?? "–" }
                    }
                }
            }
        }
    }
}
