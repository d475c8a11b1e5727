/// The login page: a gateway token (`clawguard token create`) is exchanged for a session cookie.
public enum LoginPage {
    /// - Parameters:
    ///   - csrf: the login form's double-submit value (also set as the `cg_login_csrf` cookie).
    ///   - error: why the last attempt failed.
    public static func render(csrf: String, error: String? = nil) -> String {
        let context = PageContext(principal: nil, csrfToken: csrf, path: ConsolePaths.login,
                                  flash: error.map { Flash(.error, $0) })
        return Layout.page(title: "Log in", context: context) {
            H.p(.cls("muted")) {
                "Log in with a ClawGuard API token (create one with "
                H.code { "clawguard token create --name NAME --scopes approvals:write,sessions:read,audit:read" }
                "). The token is exchanged for a session cookie and not stored in the browser."
            }
            H.form(action: ConsolePaths.login, csrf: csrf, .cls("login"), .id("login-form")) {
                H.label(Attribute("for", "token")) { "Token" }
                H.input(.type("password"), .name("token"), .id("token"), Attribute("autocomplete", "off"),
                        .flag("required"), .flag("autofocus"))
                H.button(.type("submit"), .id("login-submit")) { "Log in" }
            }
        }
    }
}

/// Error pages (403, 404, 500): the message is text like any other.
public enum ErrorPage {
    public static func render(status: Int, title: String, message: String, context: PageContext) -> String {
        Layout.page(title: title, context: context) {
            H.p(.cls("error-status")) { "HTTP \(status)" }
            H.p { message }
            H.p { H.a(href: ConsolePaths.dashboard) { "Back to the dashboard" } }
        }
    }
}
