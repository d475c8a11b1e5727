import ClawGuardStore
import Foundation

/// Sessions and runs: lists, and one session's timeline (its audit events).
public enum SessionsPage {
    /// The session list.
    public static func list(_ sessions: [SessionSnapshot], runs: [RunItem], context: PageContext, now: Date,
                            sessionBudget: Double?) -> String {
        Layout.page(title: "Sessions", context: context) {
            H.section(.cls("card")) {
                sessionTable(sessions, now: now, sessionBudget: sessionBudget)
            }
            if !runs.isEmpty {
                H.section(.cls("card")) {
                    H.h2 { "Runs" }
                    runTable(runs, now: now)
                }
            }
        }
    }

    /// The run list.
    public static func runs(_ runs: [RunItem], context: PageContext, now: Date, available: Bool) -> String {
        Layout.page(title: "Runs", context: context) {
            H.section(.cls("card")) {
                if available {
                    runTable(runs, now: now)
                } else {
                    H.p(.cls("muted")) { "This server has no worker API (/v1/runs): there are no runs to show." }
                }
            }
        }
    }

    /// One session: its facts, a terminate form, and its timeline.
    public static func detail(_ session: SessionSnapshot, timeline: [AuditRecord], runs: [RunItem], context: PageContext,
                              now: Date, canTerminate: Bool) -> String {
        Layout.page(title: "Session " + session.id, context: context) {
            H.section(.cls("card")) {
                Layout.facts([
                    ("Status", session.status + (session.statusReason.map { " (\($0))" } ?? "")),
                    ("Agent", session.agent), ("User", session.user), ("Working directory", session.cwd),
                    ("Started", Layout.time(session.startedAt)), ("Last activity", Layout.ago(session.lastActivity, now: now)),
                    ("Ended", session.endedAt.map(AuditTime.display)),
                    ("Spend", Layout.usd(session.costUSD) + (session.costFlagged ? " (includes unknown prices)" : "")),
                    ("Tool calls", String(session.calls)),
                ])
                if canTerminate && session.status == "active" {
                    H.form(action: ConsolePaths.terminate(session.id), csrf: context.csrfToken, .cls("inline")) {
                        H.input(.type("text"), .name("reason"), Attribute("placeholder", "reason"), Attribute("maxlength", "500"))
                        H.button(.type("submit"), .cls("danger"), .id("terminate")) { "Terminate session" }
                    }
                }
            }
            if !runs.isEmpty {
                H.section(.cls("card")) {
                    H.h2 { "Runs" }
                    runTable(runs, now: now)
                }
            }
            H.section(.cls("card")) {
                H.h2 { "Timeline" }
                timelineList(timeline)
            }
        }
    }

    /// One run, with its session's timeline when it has one.
    public static func runDetail(_ run: RunItem, timeline: [AuditRecord], context: PageContext, now: Date) -> String {
        Layout.page(title: "Run " + run.id, context: context) {
            H.section(.cls("card")) {
                Layout.facts([
                    ("Status", run.status), ("User", run.user), ("Profile", run.profile),
                    ("Started", Layout.time(run.startedAt)), ("Ended", run.endedAt.map(AuditTime.display)),
                    ("Spend", Layout.usd(run.costUSD) + (run.budgetUSD.map { " of " + Layout.usd($0) } ?? "")),
                    ("Session", run.session),
                ])
                if let prompt = run.prompt {
                    H.h3 { "Prompt" }
                    H.pre(.cls("command")) { prompt }
                }
            }
            H.section(.cls("card")) {
                H.h2 { "Timeline" }
                timelineList(timeline)
            }
        }
    }

    static func sessionTable(_ sessions: [SessionSnapshot], now: Date, sessionBudget: Double?) -> Node {
        if sessions.isEmpty { return H.p(.cls("muted")) { "No sessions." } }
        return H.table(.cls("list"), .id("sessions")) {
            H.thead {
                H.tr { H.th { "Session" }; H.th { "Agent" }; H.th { "User" }; H.th { "Status" }; H.th { "Calls" }
                    H.th { "Spend" }; H.th { "Last activity" } }
            }
            H.tbody {
                for session in sessions {
                    H.tr {
                        H.td { H.a(href: ConsolePaths.session(session.id)) { Charts.truncate(session.id, 24) } }
                        H.td { session.agent }
                        H.td { session.user }
                        H.td { Layout.badge(session.status) }
                        H.td(.cls("num")) { String(session.calls) }
                        H.td(.cls("num")) {
                            Layout.usd(session.costUSD)
                            if let budget = sessionBudget {
                                H.small(.cls(session.costUSD >= budget ? "over" : "muted")) { " / " + Layout.usdShort(budget) }
                            }
                        }
                        H.td { Layout.ago(session.lastActivity, now: now) }
                    }
                }
            }
        }
    }

    static func runTable(_ runs: [RunItem], now: Date) -> Node {
        if runs.isEmpty { return H.p(.cls("muted")) { "No runs." } }
        return H.table(.cls("list"), .id("runs")) {
            H.thead {
                H.tr { H.th { "Run" }; H.th { "User" }; H.th { "Profile" }; H.th { "Status" }; H.th { "Spend" }
                    H.th { "Started" } }
            }
            H.tbody {
                for run in runs {
                    H.tr {
                        H.td { H.a(href: ConsolePaths.run(run.id)) { Charts.truncate(run.id, 24) } }
                        H.td { run.user }
                        H.td { run.profile ?? "–" }
                        H.td { Layout.badge(run.status) }
                        H.td(.cls("num")) { Layout.usd(run.costUSD) + (run.budgetUSD.map { " / " + Layout.usdShort($0) } ?? "") }
                        H.td { Layout.ago(run.startedAt, now: now) }
                    }
                }
            }
        }
    }

    /// Audit records as a timeline: time, event, tool, decision, reason, parameters.
    static func timelineList(_ records: [AuditRecord]) -> Node {
        if records.isEmpty { return H.p(.cls("muted")) { "No events." } }
        return H.el("ol", [.cls("timeline"), .id("timeline")]) {
            for record in records {
                H.li(.cls("event event-" + Layout.cssToken(record.type))) {
                    H.span(.cls("time")) { String(record.time.prefix(19)).replacingOccurrences(of: "T", with: " ") }
                    " "
                    Layout.badge(record.type)
                    if let tool = record.tool { " "; H.strong { tool } }
                    if let decision = record.decision { " "; Layout.badge(decision) }
                    if let reason = record.reason { H.div(.cls("reason")) { reason } }
                    if let command = AuditPage.command(of: record) { H.pre(.cls("command")) { command } }
                }
            }
        }
    }
}
