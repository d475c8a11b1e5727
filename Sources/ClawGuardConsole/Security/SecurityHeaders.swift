/// The headers every console response carries. A table, so adding one is one line.
///
/// The Content-Security-Policy allows scripts, styles, images and fetches from this origin only: no inline script,
/// no inline style or `style` attribute, no `eval`, no plugins, no framing (clickjacking), no `<base>` rewriting,
/// forms post only here. The console's JavaScript is the static file `/ui/static/console.js`.
public enum SecurityHeaders {
    /// The Content-Security-Policy.
    public static let contentSecurityPolicy = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// Header name → value, for every response under /ui.
    public static let all: [(name: String, value: String)] = [
        ("Content-Security-Policy", contentSecurityPolicy),
        ("X-Content-Type-Options", "nosniff"),
        // `same-origin`, not `no-referrer`: with no-referrer Chrome sends `Origin: null` on form posts, which the CSRF
        // origin check must refuse. Cross-origin requests still get no referrer.
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
        ("Cache-Control", "no-store"),
    ]

    /// Added when the request came over TLS: browsers remember to use HTTPS for a year.
    public static let strictTransportSecurity = (name: "Strict-Transport-Security", value: "max-age=31536000")
}
