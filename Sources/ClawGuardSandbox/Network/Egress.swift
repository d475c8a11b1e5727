#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Whether one outbound connection may proceed, and why.
public struct EgressDecision: Sendable, Equatable, Codable {
    public var allowed: Bool
    /// Which rule decided, and why (shown to the user and recorded).
    public var reason: String

    public init(allowed: Bool, reason: String) {
        self.allowed = allowed
        self.reason = reason
    }

    public static func allow(_ reason: String) -> EgressDecision { EgressDecision(allowed: true, reason: reason) }
    public static func deny(_ reason: String) -> EgressDecision { EgressDecision(allowed: false, reason: reason) }
}

/// Decides one outbound connection (`host` is a name or an IP literal, without brackets).
public typealias EgressDecider = @Sendable (_ host: String, _ port: Int) -> EgressDecision

/// Receives one event per proxied connection (the audit trail's sink).
public typealias EgressSink = @Sendable (EgressEvent) -> Void

/// One connection attempt through the egress proxy.
public struct EgressEvent: Sendable, Equatable, Codable {
    /// `CONNECT` for HTTPS tunnels, else the HTTP method.
    public var method: String
    public var host: String
    public var port: Int
    public var allowed: Bool
    public var reason: String
    /// The address connected to, when a connection was made.
    public var address: String?
    public var bytesSent: Int
    public var bytesReceived: Int
    /// Seconds since the Unix epoch when the request arrived.
    public var timestamp: Double

    public init(
        method: String, host: String, port: Int, allowed: Bool, reason: String, address: String? = nil,
        bytesSent: Int = 0, bytesReceived: Int = 0, timestamp: Double
    ) {
        self.method = method
        self.host = host
        self.port = port
        self.allowed = allowed
        self.reason = reason
        self.address = address
        self.bytesSent = bytesSent
        self.bytesReceived = bytesReceived
        self.timestamp = timestamp
    }
}

/// The stand-alone egress rules behind `--allow-domain` / `--deny-domain` / `--allow-port`: domain
/// patterns with wildcards, allowed ports, and IP literals and private ranges refused unless listed.
///
/// Patterns: `example.com` (exactly), `*.example.com` (any subdomain, not the apex), `*` (any name),
/// an IP literal (`93.184.216.34`, `::1`) or a CIDR range (`10.0.0.0/8`). Deny patterns win.
public struct DomainMatcher: Sendable, Equatable {
    public var allow: [String]
    public var deny: [String]
    public var ports: [Int]

    public init(allow: [String], deny: [String] = [], ports: [Int] = [80, 443]) {
        self.allow = allow.map(Self.normalize)
        self.deny = deny.map(Self.normalize)
        self.ports = ports
    }

    /// The decision for one connection.
    public func decide(host rawHost: String, port: Int) -> EgressDecision {
        let host = Self.normalize(rawHost)
        guard !host.isEmpty, host.count <= 253 else { return .deny("malformed host name") }
        guard ports.contains(port) else {
            return .deny("port \(port) is not allowed (allowed: \(ports.map(String.init).joined(separator: ", ")))")
        }
        if let rule = deny.first(where: { Self.matches(pattern: $0, host: host) }) {
            return .deny("\(host) matches deny rule '\(rule)'")
        }
        if let address = IPAddress(host) {
            if let rule = allow.first(where: { IPAddress.matches(pattern: $0, address: address) }) {
                return .allow("IP literal \(host) is listed ('\(rule)')")
            }
            return .deny("IP literal \(host) refused: only names on the allowlist, or listed addresses, may be reached")
        }
        guard Self.isValidName(host) else { return .deny("malformed host name '\(host)'") }
        if let rule = allow.first(where: { Self.matches(pattern: $0, host: host) }) {
            return .allow("\(host) matches allow rule '\(rule)'")
        }
        return .deny("\(host) is not on the allowlist")
    }

    /// Whether a resolved address may be connected to: public addresses yes, private/loopback/link-local
    /// only when listed explicitly (an IP or CIDR allow rule).
    public func permitsResolvedAddress(_ text: String) -> Bool {
        guard let address = IPAddress(text) else { return false }
        if !address.isPrivate { return true }
        return allow.contains { IPAddress.matches(pattern: $0, address: address) }
    }

    /// As an injectable decider.
    public var decider: EgressDecider { { host, port in self.decide(host: host, port: port) } }

    static func normalize(_ s: String) -> String {
        var h = s.lowercased()
        if h.hasPrefix("[") && h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        while h.hasSuffix(".") { h.removeLast() }
        return h
    }

    static func isValidName(_ host: String) -> Bool {
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63
                && label.utf8.allSatisfy { c in
                    (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x5F
                }
        }
    }

    static func matches(pattern: String, host: String) -> Bool {
        if pattern == "*" { return IPAddress(host) == nil }
        if pattern.hasPrefix("*.") {
            let suffix = pattern.dropFirst(1)  // ".example.com"
            return host.hasSuffix(suffix) && host.count > suffix.count
        }
        return pattern == host
    }
}

/// An IPv4 or IPv6 address (16 bytes, IPv4 as IPv4-mapped).
public struct IPAddress: Sendable, Equatable {
    public var bytes: [UInt8]
    public var isV4: Bool

    public init?(_ text: String) {
        let t = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, t, &v4) == 1 {
            let b = withUnsafeBytes(of: v4) { Array($0) }
            bytes = [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF] + b
            isV4 = true
        } else if inet_pton(AF_INET6, t, &v6) == 1 {
            bytes = withUnsafeBytes(of: v6) { Array($0) }
            isV4 = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        } else {
            return nil
        }
    }

    /// Loopback, private, link-local, carrier-grade NAT, multicast, reserved, unspecified, ULA.
    public var isPrivate: Bool { Self.privateRanges.contains { $0.contains(self) } }

    static let privateRanges: [CIDR] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
        "224.0.0.0/4", "240.0.0.0/4", "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8", "64:ff9b::/96",
        "2001:db8::/32", "::/96",
    ].compactMap(CIDR.init)

    static func matches(pattern: String, address: IPAddress) -> Bool {
        if let cidr = CIDR(pattern) { return cidr.contains(address) }
        return IPAddress(pattern) == address
    }
}

/// An address range.
public struct CIDR: Sendable, Equatable {
    public var base: IPAddress
    public var prefix: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let address = IPAddress(String(parts[0])), let p = Int(parts[1]) else { return nil }
        let max = address.isV4 ? 32 : 128
        guard p >= 0, p <= max else { return nil }
        base = address
        prefix = address.isV4 ? p + 96 : p
    }

    public func contains(_ address: IPAddress) -> Bool {
        var remaining = prefix
        for i in 0..<16 where remaining > 0 {
            let bits = min(8, remaining)
            let mask: UInt8 = bits == 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if address.bytes[i] & mask != base.bytes[i] & mask { return false }
            remaining -= bits
        }
        return true
    }
}
