import Foundation

/// Where the console lives and its fixed paths.
public enum ConsolePaths {
    /// The mount point.
    public static let base = "/ui"
    public static let login = base + "/login"
    public static let logout = base + "/logout"
    public static let dashboard = base
    public static let approvals = base + "/approvals"
    /// The pending list alone (the live-update script fetches it).
    public static let approvalsFragment = base + "/approvals/pending"
    public static let sessions = base + "/sessions"
    public static let runs = base + "/runs"
    public static let audit = base + "/audit"
    public static let killSwitch = base + "/kill-switch"
    public static let script = base + "/static/console.js"
    public static let stylesheet = base + "/static/console.css"
    public static let favicon = base + "/static/favicon.svg"

    /// `/ui/sessions/<id>` with the id percent-encoded as a path segment.
    public static func session(_ id: String) -> String { sessions + "/" + segment(id) }
    public static func run(_ id: String) -> String { runs + "/" + segment(id) }
    public static func approval(_ id: String) -> String { approvals + "/" + segment(id) }
    public static func decide(_ id: String) -> String { approvals + "/" + segment(id) + "/decide" }
    public static func terminate(_ id: String) -> String { sessions + "/" + segment(id) + "/terminate" }

    /// Percent-encodes everything but unreserved characters, so an id can never leave its path segment.
    public static func segment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// `?a=1&b=2` from pairs, values percent-encoded; empty values are left out.
    public static func query(_ pairs: [(String, String?)]) -> String {
        let parts = pairs.compactMap { name, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return name + "=" + (value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")
        }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

/// A message shown once at the top of a page (after a POST that redirected).
public struct Flash: Sendable, Hashable {
    public enum Kind: String, Sendable { case info, error }
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

/// What every page needs besides its data: who is logged in, the CSRF token for its forms, where it is.
public struct PageContext: Sendable {
    public var principal: ConsolePrincipal?
    public var csrfToken: String
    /// The current path (marks the navigation entry).
    public var path: String
    public var flash: Flash?
    /// Pending approvals (nav badge), nil when unknown.
    public var pendingApprovals: Int?
    /// The kill switch is on (a banner on every page), nil when unknown.
    public var killSwitchOn: Bool?

    public init(principal: ConsolePrincipal?, csrfToken: String, path: String, flash: Flash? = nil,
                pendingApprovals: Int? = nil, killSwitchOn: Bool? = nil) {
        self.principal = principal
        self.csrfToken = csrfToken
        self.path = path
        self.flash = flash
        self.pendingApprovals = pendingApprovals
        self.killSwitchOn = killSwitchOn
    }
}

/// The page frame: head (stylesheet and the one static script), navigation, banners, content.
public enum Layout {
    /// Navigation entries: label, path, the action that shows it. One line per page.
    static let navigation: [(label: String, path: String, action: ConsoleAction)] = [
        ("Dashboard", ConsolePaths.dashboard, .viewDashboard),
        ("Approvals", ConsolePaths.approvals, .viewApprovals),
        ("Sessions", ConsolePaths.sessions, .viewSessions),
        ("Runs", ConsolePaths.runs, .viewSessions),
        ("Audit", ConsolePaths.audit, .viewAudit),
        ("Kill switch", ConsolePaths.killSwitch, .viewKillSwitch),
    ]

    /// A whole document.
    public static func page(title: String, context: PageContext, @NodeBuilder content: () -> Node) -> String {
        HTMLRenderer.document(H.el("html", [Attribute("lang", "en")]) {
            H.el("head") {
                H.void("meta", [Attribute("charset", "utf-8")])
                H.void("meta", [.name("viewport"), Attribute("content", "width=device-width, initial-scale=1")])
                H.void("meta", [.name("referrer"), Attribute("content", "same-origin")])
                H.el("title") { "ClawGuard · " + title }
                H.void("link", [Attribute("rel", "stylesheet"), .href(ConsolePaths.stylesheet)])
                H.void("link", [Attribute("rel", "icon"), .type("image/svg+xml"), .href(ConsolePaths.favicon)])
                // The console's only script: a static file from this origin (the CSP allows nothing else).
                Node.trusted(TrustedHTML(unescaped: "<script src=\"/ui/static/console.js\" defer></script>"))
            }
            H.el("body", [.data("csrf-field", CSRF.fieldName)]) {
                header(context)
                if context.killSwitchOn == true {
                    H.div(.cls("banner banner-kill"), Attribute("role", "alert")) {
                        "Kill switch is ON: every tool call of every agent is denied."
                    }
                }
                if let flash = context.flash {
                    H.div(.cls("flash flash-\(flash.kind.rawValue)"), Attribute("role", "status")) { flash.message }
                }
                H.main(.id("content")) {
                    H.h1 { title }
                    content()
                }
            }
        })
    }

    static func header(_ context: PageContext) -> Node {
        H.header(.cls("top")) {
            H.a(href: ConsolePaths.dashboard, .cls("brand")) { "ClawGuard" }
            if let principal = context.principal {
                H.nav {
                    for entry in navigation where principal.may(entry.action) {
                        H.a(href: entry.path, .cls(isCurrent(entry.path, context.path) ? "current" : "nav")) {
                            entry.label
                            if entry.path == ConsolePaths.approvals, let pending = context.pendingApprovals {
                                " "
                                H.span(.cls(pending > 0 ? "badge badge-hot" : "badge"), .id("pending-count")) { String(pending) }
                            }
                        }
                    }
                }
                H.form(action: ConsolePaths.logout, csrf: context.csrfToken, .cls("logout")) {
                    H.span(.cls("who")) { principal.name }
                    H.button(.type("submit")) { "Log out" }
                }
            }
        }
    }

    static func isCurrent(_ entry: String, _ path: String) -> Bool {
        entry == ConsolePaths.dashboard ? path == entry || path == entry + "/" : path.hasPrefix(entry)
    }

    // MARK: Shared fragments

    /// A coloured label for a decision, status or risk level.
    static func badge(_ text: String) -> Node {
        H.span(.cls("badge badge-" + cssToken(text))) { text }
    }

    /// Lowercase letters, digits and `-` from `text` (for class names built from data).
    static func cssToken(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.map { CharacterSet.alphanumerics.contains($0) && $0.isASCII ? Character($0) : "-" })
    }

    static func usd(_ value: Double) -> String { String(format: "$%.4f", value) }
    static func usdShort(_ value: Double) -> String { String(format: "$%.2f", value) }

    static func time(_ date: Date?) -> String { date.map(AuditTime.display) ?? "–" }

    /// "3 min ago", "2 h ago".
    static func ago(_ date: Date, now: Date) -> String {
        let seconds = max(0, now.timeIntervalSince(date))
        switch seconds {
        case ..<60: return "\(Int(seconds)) s ago"
        case ..<3600: return "\(Int(seconds / 60)) min ago"
        case ..<86400: return "\(Int(seconds / 3600)) h ago"
        default: return "\(Int(seconds / 86400)) d ago"
        }
    }

    /// A definition list of label/value rows; nil values are skipped.
    static func facts(_ rows: [(String, String?)]) -> Node {
        H.dl(.cls("facts")) {
            for (label, value) in rows {
                if let value {
                    H.dt { label }
                    H.dd { value }
                }
            }
        }
    }
}
