/// The head of one request to the egress proxy, parsed. Pure: no I/O.
public struct ProxyRequest: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `CONNECT host:port` — an HTTPS (or any TLS) tunnel.
        case tunnel
        /// `GET http://host/path` — plain HTTP forwarded by the proxy.
        case forward(path: String)
    }
    public var method: String
    public var host: String
    public var port: Int
    public var kind: Kind
    public var version: String
    /// Header lines in order (name, value).
    public var headers: [(String, String)]

    public static func == (a: ProxyRequest, b: ProxyRequest) -> Bool {
        a.method == b.method && a.host == b.host && a.port == b.port && a.kind == b.kind && a.version == b.version
            && a.headers.map(\.0) == b.headers.map(\.0) && a.headers.map(\.1) == b.headers.map(\.1)
    }

    /// Largest accepted request head.
    public static let maxHeadBytes = 64 * 1024

    /// Parses a request head (up to, not including, the blank line).
    /// - Throws: a message suitable for a `400 Bad Request`.
    public static func parse(head: [UInt8]) throws(ProxyRequestError) -> ProxyRequest {
        guard head.count <= maxHeadBytes else { throw ProxyRequestError("request head too large") }
        guard let text = String(validating: head, as: UTF8.self) else { throw ProxyRequestError("request head is not UTF-8") }
        // "\r\n" is one Character in Swift: a bare "\n" or "\r" stays inside a line and is refused below.
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { throw ProxyRequestError("empty request") }
        guard !lines.contains(where: { $0.contains("\n") || $0.contains("\r") }) else {
            throw ProxyRequestError("bare CR or LF in the request head")
        }
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard requestLine.count == 3 else { throw ProxyRequestError("malformed request line") }
        let method = String(requestLine[0]), target = String(requestLine[1]), version = String(requestLine[2])
        guard !method.isEmpty, method.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
            throw ProxyRequestError("malformed method")
        }
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else { throw ProxyRequestError("unsupported HTTP version") }
        var headers: [(String, String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw ProxyRequestError("malformed header line") }
            let name = String(line[..<colon])
            guard !name.isEmpty, !name.contains(" ") else { throw ProxyRequestError("malformed header name") }
            headers.append((name, String(line[line.index(after: colon)...]).trimmingSpaces))
        }
        if method == "CONNECT" {
            let (host, port) = try splitHostPort(target, defaultPort: nil)
            return ProxyRequest(method: method, host: host, port: port, kind: .tunnel, version: version, headers: headers)
        }
        let lower = target.lowercased()
        if lower.hasPrefix("https://") {
            throw ProxyRequestError("https:// URLs must use CONNECT")
        }
        guard lower.hasPrefix("http://") else {
            throw ProxyRequestError("this is a proxy: the request target must be an absolute http:// URL or CONNECT")
        }
        let rest = target.dropFirst("http://".count)
        let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        var authority = String(rest[..<slash])
        if let at = authority.lastIndex(of: "@") { authority = String(authority[authority.index(after: at)...]) }
        var path = String(rest[slash...])
        if path.isEmpty { path = "/" } else if path.hasPrefix("?") { path = "/" + path }
        let (host, port) = try splitHostPort(authority, defaultPort: 80)
        return ProxyRequest(method: method, host: host, port: port, kind: .forward(path: path), version: version, headers: headers)
    }

    /// The head to send upstream for a forwarded request: origin-form target, hop-by-hop and proxy headers
    /// removed, `Connection: close`.
    public func upstreamHead() -> [UInt8] {
        guard case .forward(let path) = kind else { return [] }
        let dropped: Set<String> = ["proxy-connection", "proxy-authorization", "connection", "keep-alive", "te", "upgrade"]
        var text = "\(method) \(path) \(version)\r\n"
        for (name, value) in headers where !dropped.contains(name.lowercased()) { text += "\(name): \(value)\r\n" }
        text += "Connection: close\r\n\r\n"
        return Array(text.utf8)
    }

    static func splitHostPort(_ s: String, defaultPort: Int?) throws(ProxyRequestError) -> (String, Int) {
        var host = s, portText: String?
        if s.hasPrefix("[") {
            guard let close = s.firstIndex(of: "]") else { throw ProxyRequestError("malformed IPv6 host") }
            host = String(s[s.index(after: s.startIndex)..<close])
            let after = s[s.index(after: close)...]
            if after.hasPrefix(":") { portText = String(after.dropFirst()) } else if !after.isEmpty {
                throw ProxyRequestError("malformed host")
            }
        } else if let colon = s.lastIndex(of: ":") {
            host = String(s[..<colon])
            portText = String(s[s.index(after: colon)...])
        }
        guard !host.isEmpty else { throw ProxyRequestError("missing host") }
        let port: Int
        if let portText {
            guard let p = Int(portText), p > 0, p < 65536 else { throw ProxyRequestError("malformed port") }
            port = p
        } else if let defaultPort {
            port = defaultPort
        } else {
            throw ProxyRequestError("CONNECT needs host:port")
        }
        return (host, port)
    }
}

/// Why a request head was refused.
public struct ProxyRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
