import Foundation

/// Cross-site request forgery protection.
///
/// - Logged in: a per-session token (in `ConsoleSession.csrfToken`) is put in every form as the hidden field
///   `csrf` and must come back, compared in constant time, with every POST.
/// - The login form (no session yet): double-submit — a random value in a SameSite=Strict, HttpOnly cookie
///   (`loginCookieName`) and the same value in the form.
/// - Both: when the browser sends `Origin` (all current browsers do on POST), it must be this server's origin.
///   SameSite=Strict cookies are the third layer: a cross-site POST carries no session cookie at all.
public enum CSRF {
    /// The form field that carries the token.
    public static let fieldName = "csrf"
    /// The double-submit cookie of the login form.
    public static let loginCookieName = "cg_login_csrf"

    /// Why a POST was refused.
    public enum Failure: String, Sendable, Hashable, CaseIterable {
        case missingToken = "the form carries no CSRF token"
        case tokenMismatch = "the form's CSRF token does not match this session"
        case crossOrigin = "the request comes from another origin"
    }

    /// Checks a POST: the submitted token against the expected one, and the `Origin` header (when present)
    /// against `host` (the request's `Host` header).
    /// - Returns: nil when the request may proceed, else why not.
    public static func verify(submitted: String?, expected: String?, origin: String?, host: String?) -> Failure? {
        if let origin, !originMatches(origin, host: host) { return .crossOrigin }
        guard let submitted, !submitted.isEmpty, let expected, !expected.isEmpty else { return .missingToken }
        return SecureRandom.constantTimeEquals(submitted, expected) ? nil : .tokenMismatch
    }

    /// `Origin: scheme://host[:port]` names the same host and port as `Host`. `Origin: null` (sandboxed frames,
    /// some redirects) never matches. The scheme only sets the default port: behind a TLS proxy the server cannot
    /// tell its public scheme, and the same host and port with another scheme is not another site's page anyway.
    static func originMatches(_ origin: String, host: String?) -> Bool {
        guard let host, !host.isEmpty, let components = URLComponents(string: origin),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let originHost = components.host, components.path.isEmpty
        else { return false }
        let defaultPort = scheme == "https" ? 443 : 80
        var name = originHost.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        let originAuthority = name + ":" + String(components.port ?? defaultPort)
        return originAuthority == normalizedAuthority(host, defaultPort: defaultPort)
    }

    /// `host[:port]` → `host:port`, lowercased (IPv6 literals keep their brackets).
    static func normalizedAuthority(_ host: String, defaultPort: Int) -> String {
        let lower = host.lowercased()
        if lower.hasPrefix("["), let close = lower.firstIndex(of: "]") {
            let name = String(lower[lower.index(after: lower.startIndex)..<close])
            let rest = lower[lower.index(after: close)...]
            let port = rest.hasPrefix(":") ? String(rest.dropFirst()) : String(defaultPort)
            return name + ":" + port
        }
        let parts = lower.split(separator: ":", maxSplits: 1).map(String.init)
        return parts[0] + ":" + (parts.count > 1 ? parts[1] : String(defaultPort))
    }
}
