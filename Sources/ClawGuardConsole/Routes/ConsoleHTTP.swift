import Foundation

/// A request as the console sees it, independent of the HTTP server (the Hummingbird adapter builds it).
public struct ConsoleRequest: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST" }
    public var method: Method
    /// The path, percent-encoded as received (`/ui/sessions/a%2Fb`).
    public var path: String
    /// Query parameters, decoded (the first of repeated names).
    public var query: [String: String]
    /// Headers with lowercase names (the first of repeated ones).
    public var headers: [String: String]
    /// The TCP peer's IP address.
    public var peer: String?
    /// The decoded `application/x-www-form-urlencoded` body of a POST.
    public var form: [String: String]

    public init(method: Method, path: String, query: [String: String] = [:], headers: [String: String] = [:],
                peer: String? = nil, form: [String: String] = [:]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.peer = peer
        self.form = form
    }

    /// The cookies of the `Cookie` header.
    public var cookies: [String: String] { headers["cookie"].map(CookiePolicy.parse) ?? [:] }

    /// Path segments after `/ui`, percent-decoded (`/ui/sessions/a%2Fb` → `["sessions", "a/b"]`); nil when a
    /// segment does not decode.
    var segments: [String]? {
        guard path == ConsolePaths.base || path.hasPrefix(ConsolePaths.base + "/") else { return nil }
        var parts: [String] = []
        for raw in path.dropFirst(ConsolePaths.base.count).split(separator: "/", omittingEmptySubsequences: true) {
            guard let decoded = String(raw).removingPercentEncoding else { return nil }
            parts.append(decoded)
        }
        return parts
    }
}

/// A response as the console produces it.
public struct ConsoleResponse: Sendable {
    public var status: Int
    /// Headers in order (`Set-Cookie` may repeat).
    public var headers: [(name: String, value: String)]
    public var body: String

    public init(status: Int, headers: [(name: String, value: String)] = [], body: String = "") {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func html(_ body: String, status: Int = 200) -> ConsoleResponse {
        ConsoleResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: body)
    }

    static func redirect(_ location: String) -> ConsoleResponse {
        ConsoleResponse(status: 303, headers: [("Location", location)])
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every value of header `name` (case-insensitive).
    public func headers(named name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }
}

/// `application/x-www-form-urlencoded` decoding.
public enum FormDecoding {
    /// Decodes `a=1&b=x+y%21` (the first of repeated names wins; undecodable pairs are dropped).
    public static func decode(_ body: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decodeComponent(parts[0]) else { continue }
            let value = parts.count > 1 ? decodeComponent(parts[1]) : ""
            if let value, result[name] == nil { result[name] = value }
        }
        return result
    }

    static func decodeComponent(_ component: Substring) -> String? {
        component.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
