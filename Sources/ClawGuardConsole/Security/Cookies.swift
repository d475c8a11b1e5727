import Foundation

/// The console's cookie rules.
///
/// The session cookie is `HttpOnly` (scripts cannot read it), `SameSite=Strict` (no cross-site request carries it)
/// and, when the console is reached over TLS, `Secure` with the `__Host-` prefix (which the browser only accepts
/// from a secure origin, for `Path=/`, without `Domain`). Whether the request came over TLS is decided by
/// `TransportSecurity`.
public struct CookiePolicy: Sendable, Hashable {
    /// The request arrived over HTTPS (directly, or from a trusted proxy saying so).
    public var secure: Bool

    public init(secure: Bool) { self.secure = secure }

    /// The session cookie's name: `__Host-cg_session` over TLS, `cg_session` otherwise.
    public var sessionCookieName: String { secure ? "__Host-cg_session" : "cg_session" }

    /// Every session cookie name the console may have set; a request is looked up by the one for its transport.
    public static let sessionCookieNames = ["__Host-cg_session", "cg_session"]

    /// A `Set-Cookie` value: `name=value` with `Path=/`, `HttpOnly`, `SameSite=Strict`, `Secure` when secure, and
    /// `Max-Age` when given (0 deletes the cookie).
    public func setCookie(name: String, value: String, maxAge: Int? = nil) -> String {
        precondition(Self.isCookieSafe(name) && Self.isCookieSafe(value), "cookie name and value must be token characters")
        var parts = ["\(name)=\(value)", "Path=/", "HttpOnly", "SameSite=Strict"]
        if secure { parts.append("Secure") }
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        return parts.joined(separator: "; ")
    }

    /// The session cookie for `id`.
    public func sessionCookie(_ id: String, maxAge: Int) -> String { setCookie(name: sessionCookieName, value: id, maxAge: maxAge) }

    /// `Set-Cookie` values that delete the session cookie under both names.
    public func clearSessionCookies() -> [String] {
        Self.sessionCookieNames.filter { !$0.hasPrefix("__Host-") || secure }.map { setCookie(name: $0, value: "", maxAge: 0) }
    }

    /// Base64url characters, the only ones the console's cookie values use (and the names' `_` and `-`).
    static func isCookieSafe(_ string: String) -> Bool {
        string.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }

    /// Parses a `Cookie` header (`a=1; b=2`) into name → value (the first of duplicates wins).
    public static func parse(_ header: String) -> [String: String] {
        var cookies: [String: String] = [:]
        for pair in header.split(separator: ";") {
            let trimmed = pair.trimmingCharacters(in: .whitespaces)
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            let name = String(trimmed[..<equals])
            if cookies[name] == nil { cookies[name] = String(trimmed[trimmed.index(after: equals)...]) }
        }
        return cookies
    }
}

/// Decides whether a request arrived over TLS. ClawGuard serves plain HTTP on loopback; TLS is terminated by a
/// reverse proxy. `X-Forwarded-Proto: https` is believed only from a peer in `trustedProxies` (anyone else could
/// send it); `alwaysSecure` forces secure cookies (for a proxy whose address is not fixed).
public struct TransportSecurity: Sendable, Hashable {
    /// Peer addresses (IP literals) whose `X-Forwarded-Proto` header is trusted.
    public var trustedProxies: Set<String>
    /// Treat every request as secure.
    public var alwaysSecure: Bool

    public init(trustedProxies: Set<String> = [], alwaysSecure: Bool = false) {
        self.trustedProxies = trustedProxies
        self.alwaysSecure = alwaysSecure
    }

    /// True when the request came over TLS as far as the console can tell.
    /// - Parameters:
    ///   - peer: the TCP peer's IP address (nil when unknown).
    ///   - forwardedProto: the `X-Forwarded-Proto` header (the first value of a list counts, the client's).
    public func isSecure(peer: String?, forwardedProto: String?) -> Bool {
        if alwaysSecure { return true }
        guard let peer, trustedProxies.contains(peer), let forwardedProto else { return false }
        let first = forwardedProto.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return first == "https"
    }
}
