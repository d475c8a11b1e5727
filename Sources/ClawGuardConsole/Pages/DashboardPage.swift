import ClawGuardStore
import Foundation

/// The dashboard: active sessions and runs, spend per hour and per user against budgets, tool usage, denials and
/// violations over the last 24 hours.
public enum DashboardPage {
    public static func render(_ data: DashboardData, context: PageContext) -> String {
        Layout.page(title: "Dashboard", context: context) {
            H.div(.cls("tiles")) {
                tile("Active sessions", String(data.activeSessions.count), id: "tile-sessions")
                tile("Active runs", String(data.activeRuns.count), id: "tile-runs")
                tile("Pending approvals", String(data.pendingApprovals), id: "tile-approvals",
                     hot: data.pendingApprovals > 0, href: ConsolePaths.approvals)
                tile("Spend, 24 h", Layout.usdShort(data.spendPerHour.reduce(0) { $0 + $1.value }), id: "tile-spend")
                tile("Denials, 24 h", String(Int(data.denialsPerHour.reduce(0) { $0 + $1.value })), id: "tile-denials")
                tile("Kill switch", data.killSwitch.map { $0.on ? "ON" : "off" } ?? "unknown", id: "tile-kill",
                     hot: data.killSwitch?.on != false, href: ConsolePaths.killSwitch)
            }
            H.div(.cls("grid")) {
                H.section(.cls("card")) {
                    H.h2 { "Spend per hour (USD)" }
                    Charts.hourly(data.spendPerHour, label: "Spend per hour", cssClass: "bar-spend", format: Layout.usdShort)
                    H.p(.cls("muted small")) { "A session's spend is counted in the hour of its last activity." }
                }
                H.section(.cls("card")) {
                    H.h2 { "Spend per user today" + (data.budgets.dailyUSDPerUser.map { " (budget \(Layout.usdShort($0)))" } ?? "") }
                    if data.spendPerUser.isEmpty {
                        H.p(.cls("muted")) { "No spend recorded today." }
                    } else {
                        Charts.againstLimit(data.spendPerUser.prefix(12).map { ($0.user, $0.spentUSD, $0.budgetUSD) },
                                            label: "Spend per user against the daily budget", format: Layout.usdShort)
                    }
                }
                H.section(.cls("card")) {
                    H.h2 { "Tool usage" }
                    if data.toolUsage.isEmpty {
                        H.p(.cls("muted")) { "No tool calls yet." }
                    } else {
                        Charts.toolUsage(Array(data.toolUsage.prefix(12)), label: "Tool calls by tool and decision")
                        H.p(.cls("legend small")) {
                            H.span(.cls("key key-allow")) { "allowed" }
                            " "
                            H.span(.cls("key key-ask")) { "asked" }
                            " "
                            H.span(.cls("key key-deny")) { "denied" }
                        }
                    }
                }
                H.section(.cls("card")) {
                    H.h2 { "Denials per hour" }
                    Charts.hourly(data.denialsPerHour, label: "Denials per hour", cssClass: "bar-deny")
                    H.h2 { "Violations per hour" }
                    Charts.hourly(data.violationsPerHour, label: "Security violations per hour", cssClass: "bar-violation")
                }
            }
            H.section(.cls("card")) {
                H.h2 { "Active sessions" }
                SessionsPage.sessionTable(data.activeSessions, now: data.generatedAt, sessionBudget: data.budgets.sessionUSD)
            }
            H.section(.cls("card")) {
                H.h2 { "Active runs" }
                SessionsPage.runTable(data.activeRuns, now: data.generatedAt)
            }
        }
    }

    static func tile(_ label: String, _ value: String, id: String, hot: Bool = false, href: String? = nil) -> Node {
        H.div(.cls(hot ? "tile tile-hot" : "tile"), .id(id)) {
            H.div(.cls("tile-value")) {
                if let href { H.a(href: href) { value } } else { value }
            }
            H.div(.cls("tile-label")) { label }
        }
    }
}
