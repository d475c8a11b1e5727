/// Where a rule or setting was written: file, line and column (1-based; 0 when unknown).
public struct RuleSource: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        if line > 0 && column > 0 { return "\(file):\(line):\(column)" }
        if line > 0 { return "\(file):\(line)" }
        return file
    }
}

/// One host pattern of a network allow or deny list.
public struct HostRule: Sendable, Hashable, CustomStringConvertible {
    public enum Pattern: Sendable, Hashable {
        /// `example.com`: that host only.
        case exact(String)
        /// `*.example.com`: any subdomain of `example.com` (not `example.com` itself).
        case subdomains(of: String)
        /// `*`: every host (never opens private, loopback, link-local or metadata addresses).
        case any
        /// `10.0.0.0/8`, `::1`, `169.254.169.254`: an address range.
        case range(IPRange)
    }

    public let text: String
    public let pattern: Pattern
    public let source: RuleSource?

    /// Why a host pattern was refused.
    public struct SyntaxError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Parses a host pattern.
    /// - Throws: `SyntaxError` for an empty pattern, a scheme or path, a misplaced `*`, or a bad CIDR.
    public init(_ text: String, source: RuleSource? = nil) throws(SyntaxError) {
        self.text = text
        self.source = source
        let t = text.lowercased()
        guard !t.isEmpty else { throw SyntaxError(message: "empty host pattern") }
        if t.contains("://") || t.contains("/") && IPRange(t) == nil {
            throw SyntaxError(message: "'\(text)' is not a host: write a bare host name like 'example.com' (no scheme, no path)")
        }
        if t == "*" {
            pattern = .any
        } else if let range = IPRange(t) {
            pattern = .range(range)
        } else if t.hasPrefix("*.") {
            let rest = String(t.dropFirst(2))
            guard let host = NetworkRules.normalizeHost(rest), !rest.contains("*") else {
                throw SyntaxError(message: "'\(text)' is not a valid wildcard host; write '*.example.com'")
            }
            pattern = .subdomains(of: host)
        } else {
            guard !t.contains("*") else {
                throw SyntaxError(message: "'\(text)': '*' is only allowed as a leading '*.' label or alone")
            }
            guard let host = NetworkRules.normalizeHost(t) else {
                throw SyntaxError(message: "'\(text)' is not a valid host name or IP address")
            }
            if NetworkRules.looksNumeric(host) {
                throw SyntaxError(message: "'\(text)' looks numeric but is not a valid IP address")
            }
            pattern = .exact(host)
        }
    }

    /// True if the normalized host (a name, or the canonical text of an IP) matches.
    func matches(host: String, ip: IPAddress?) -> Bool {
        switch pattern {
        case .any: return true
        case .exact(let h): return ip == nil && host == h
        case .subdomains(let h): return ip == nil && host.hasSuffix("." + h)
        case .range(let r): return ip.map(r.contains) ?? false
        }
    }

    /// True when the rule names this host or range itself (not via `*`): only such rules open special addresses.
    func isExplicit(for host: String, ip: IPAddress?) -> Bool {
        switch pattern {
        case .any: return false
        case .subdomains: return ip == nil && matches(host: host, ip: ip)
        default: return matches(host: host, ip: ip)
        }
    }

    public var description: String { text }
}

/// The answer of `NetworkRules.evaluate`.
public enum NetworkOutcome: Sendable, Hashable {
    /// An allow rule matched (its text).
    case allowed(rule: String)
    /// A deny rule matched, or the address is special (loopback, private, metadata…) and not explicitly allowed.
    case denied(rule: String?, reason: String)
    /// No rule says anything: the engine applies the mode's default (usually ask).
    case unlisted(reason: String)
}

/// A special address range or host name that a wildcard never opens.
public struct SpecialNetwork: Sendable, Hashable {
    public let pattern: String
    public let category: String
    public let why: String
}

/// Allowed and denied hosts, allowed ports, and the built-in table of addresses no wildcard opens.
public struct NetworkRules: Sendable, Hashable {
    public var allow: [HostRule]
    public var deny: [HostRule]
    /// Allowed destination ports; empty means any port.
    public var allowPorts: [Int]

    public init(allow: [HostRule] = [], deny: [HostRule] = [], allowPorts: [Int] = []) {
        self.allow = allow
        self.deny = deny
        self.allowPorts = allowPorts
    }

    /// Address ranges denied unless an allow rule names them (a range or address, never `*`).
    public static let specialRanges: [(range: IPRange, info: SpecialNetwork)] = [
        ("169.254.169.254/32", "metadata", "cloud instance metadata service (credentials)"),
        ("100.100.100.200/32", "metadata", "Alibaba Cloud metadata service"),
        ("fd00:ec2::254/128", "metadata", "AWS IPv6 metadata service"),
        ("0.0.0.0/8", "unspecified", "'this network' (0.0.0.0 reaches local services)"),
        ("127.0.0.0/8", "loopback", "loopback: services on this machine"),
        ("10.0.0.0/8", "private", "private network (RFC 1918)"),
        ("172.16.0.0/12", "private", "private network (RFC 1918)"),
        ("192.168.0.0/16", "private", "private network (RFC 1918)"),
        ("100.64.0.0/10", "private", "carrier-grade NAT shared space (RFC 6598)"),
        ("169.254.0.0/16", "link-local", "link-local addresses"),
        ("192.0.0.0/24", "reserved", "IETF protocol assignments"),
        ("198.18.0.0/15", "reserved", "benchmarking range"),
        ("224.0.0.0/4", "multicast", "multicast"),
        ("240.0.0.0/4", "reserved", "reserved and broadcast"),
        ("::/128", "unspecified", "unspecified IPv6 address"),
        ("::1/128", "loopback", "IPv6 loopback"),
        ("fc00::/7", "private", "IPv6 unique local addresses"),
        ("fe80::/10", "link-local", "IPv6 link-local addresses"),
        ("ff00::/8", "multicast", "IPv6 multicast"),
    ].map { (IPRange($0.0)!, SpecialNetwork(pattern: $0.0, category: $0.1, why: $0.2)) }

    /// Host names denied unless named exactly by an allow rule (`name` or `.suffix`).
    public static let specialHosts: [SpecialNetwork] = [
        SpecialNetwork(pattern: "localhost", category: "loopback", why: "resolves to this machine"),
        SpecialNetwork(pattern: ".localhost", category: "loopback", why: "resolves to this machine (RFC 6761)"),
        SpecialNetwork(pattern: "localhost.localdomain", category: "loopback", why: "resolves to this machine"),
        SpecialNetwork(pattern: "ip6-localhost", category: "loopback", why: "resolves to this machine"),
        SpecialNetwork(pattern: "ip6-loopback", category: "loopback", why: "resolves to this machine"),
        SpecialNetwork(pattern: "metadata.google.internal", category: "metadata", why: "GCP metadata service (credentials)"),
        SpecialNetwork(pattern: "metadata", category: "metadata", why: "cloud metadata service alias"),
        SpecialNetwork(pattern: "instance-data", category: "metadata", why: "AWS metadata service alias"),
        SpecialNetwork(pattern: ".internal", category: "private", why: "cloud-internal DNS names"),
        SpecialNetwork(pattern: ".local", category: "private", why: "mDNS names on the local network"),
        SpecialNetwork(pattern: ".home.arpa", category: "private", why: "home network names (RFC 8375)"),
    ]

    /// Decides a connection to `host` (a name or IP literal in any spelling; brackets allowed) on `port`.
    public func evaluate(host rawHost: String, port: Int?) -> NetworkOutcome {
        guard let (host, ip) = NetworkRules.normalizeHostAndAddress(rawHost) else {
            return .denied(rule: nil, reason: "'\(rawHost)' is not a valid host name or IP address")
        }
        if ip == nil, NetworkRules.looksNumeric(host) {
            return .denied(rule: nil, reason: "'\(rawHost)' looks like an IP address but does not parse as one")
        }
        var spelled: String {
            let shown = ip.map { "\($0)" } ?? host
            return shown == rawHost ? shown : "\(rawHost) (\(shown))"
        }
        if let rule = deny.first(where: { $0.matches(host: host, ip: ip) }) {
            return .denied(rule: rule.text, reason: "host \(spelled) is denied by '\(rule.text)'")
        }
        if let port, !(1...65535).contains(port) {
            return .denied(rule: nil, reason: "port \(port) is not a valid port")
        }
        let special = NetworkRules.special(host: host, ip: ip)
        if let special, !allow.contains(where: { $0.isExplicit(for: host, ip: ip) }) {
            return .denied(
                rule: nil,
                reason: "host \(spelled) is \(special.category) (\(special.why)); only an allow entry naming it opens it")
        }
        guard let rule = allow.first(where: { $0.matches(host: host, ip: ip) }) else {
            return .unlisted(reason: "host \(spelled) is not in the network allow list")
        }
        if let port, !allowPorts.isEmpty, !allowPorts.contains(port) {
            return .denied(
                rule: nil,
                reason: "port \(port) is not in allow_ports \(allowPorts.map(String.init).joined(separator: ", "))")
        }
        return .allowed(rule: rule.text)
    }

    /// The special range or name `host` falls in, if any.
    public static func special(host: String, ip: IPAddress?) -> SpecialNetwork? {
        if let ip {
            return specialRanges.first(where: { $0.range.contains(ip) })?.info
        }
        for entry in specialHosts {
            if entry.pattern.hasPrefix(".") {
                if host.hasSuffix(entry.pattern) { return entry }
            } else if host == entry.pattern {
                return entry
            }
        }
        return nil
    }

    /// `normalizeHost` plus the parsed address, parsing IP literals once.
    static func normalizeHostAndAddress(_ raw: String) -> (String, IPAddress?)? {
        if !mayBeIP(raw), !raw.hasPrefix("["), let simple = normalizeHost(raw), !mayBeIP(simple) { return (simple, nil) }
        guard let host = normalizeHost(raw) else { return nil }
        return (host, mayBeIP(host) ? IPAddress(host) : nil)
    }

    /// Lowercases, strips brackets and one trailing dot, and canonicalizes IP literals. Nil for an empty
    /// host or one with characters no host name has.
    public static func normalizeHost(_ raw: String) -> String? {
        // Fast path: a lowercase host name that cannot be an IP literal is already normal.
        var copy = raw
        let simple = copy.withUTF8 { b -> Bool in
            guard b.count > 0, b.count <= 253, b[0] >= 0x61, b[0] <= 0x7A, b[b.count - 1] != 0x2E else { return false }
            var previousDot = false
            for c in b {
                let ok = (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2E || c == 0x5F
                guard ok, !(previousDot && c == 0x2E) else { return false }
                previousDot = c == 0x2E
            }
            return true
        }
        if simple, !(raw.hasPrefix("0x") || raw.hasPrefix("0X")) { return raw }
        var h = Substring(raw.lowercased())
        if h.hasPrefix("["), h.hasSuffix("]") { h = h.dropFirst().dropLast() }
        if h.hasSuffix(".") { h = h.dropLast() }
        guard !h.isEmpty, h.utf8.count <= 253 else { return nil }
        if let ip = IPAddress(String(h)) { return "\(ip)" }
        for c in h.utf8 {
            let ok = (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2E || c == 0x5F
            guard ok else { return nil }
        }
        guard !h.hasPrefix("."), !h.contains("..") else { return nil }
        return String(h)
    }

    /// Only strings starting with a digit or containing ':' can be IP literals.
    static func mayBeIP(_ host: String) -> Bool {
        guard let first = host.utf8.first else { return false }
        return (first >= 0x30 && first <= 0x39) || host.utf8.contains(0x3A)
    }

    /// A name whose last label is numeric (or hex) can only be an IP literal: no real TLD is numeric.
    static func looksNumeric(_ host: String) -> Bool {
        let bytes = host.utf8
        var start = bytes.endIndex
        while start > bytes.startIndex, bytes[bytes.index(before: start)] != 0x2E { start = bytes.index(before: start) }
        let label = bytes[start...]
        guard !label.isEmpty else { return false }
        if label.starts(with: [0x30, 0x78]) { return true }  // "0x"
        return label.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
