import ClawGuardCore
import ClawGuardHooks
import Foundation

/// One request/reply exchange with the gateway, whatever carries it: the gateway's unix socket
/// (`UnixHTTPClient`, plain sockets, in this library) or HTTP over TCP (URLSession, provided by `clawguard-full`
/// so the slim front does not link FoundationNetworking).
package protocol GatewayTransport: Sendable {
    /// Sends one request and returns the reply's status and body. Transport failures throw; HTTP errors do not.
    func exchange(_ method: String, _ path: String, headers: [(String, String)], body: Data?, timeout: Double) throws
        -> (status: Int, body: Data)
}

extension UnixHTTPClient: GatewayTransport {
    package func exchange(_ method: String, _ path: String, headers: [(String, String)], body: Data?, timeout: Double)
        throws -> (status: Int, body: Data)
    {
        let reply = try send(method, path, headers: headers, body: body, timeout: timeout)
        return (reply.status, reply.body)
    }
}

/// A small blocking client for the gateway (the hook and `clawguard approvals`): over the gateway's unix domain
/// socket when the server is `unix:/path` (the worker's sandboxed hooks), otherwise over the HTTP transport the
/// caller provides.
package struct GatewayClient: Sendable {
    /// The server's base URL (`http://localhost/` for a unix socket).
    package let base: URL
    package let token: String
    /// The gateway's unix socket (`--server unix:/path`), instead of `base`.
    package var socketPath: String?
    /// Seconds before a request is abandoned.
    package var timeout: Double = 30
    let transport: any GatewayTransport

    /// Where a `--server` value points: a unix socket path, or nil for an `http(s)://` URL (or an invalid value).
    /// The slim front answers only the unix-socket case itself.
    package static func socketPath(of server: String) -> String? {
        guard server.hasPrefix("unix:") else { return nil }
        let path = String(server.dropFirst(5))
        return path.hasPrefix("/") ? path : nil
    }

    /// The server and token from flags, then `CLAWGUARD_SERVER` / `CLAWGUARD_TOKEN` / a token file
    /// (`tokenFile`, then `CLAWGUARD_TOKEN_FILE`).
    /// - Parameters:
    ///   - server: `--server` (`http(s)://HOST[:PORT]` or `unix:/absolute/path`), or nil for `CLAWGUARD_SERVER`.
    ///   - token: `--token`, or nil.
    ///   - tokenFile: `--token-file`, or nil.
    ///   - environment: the process environment.
    ///   - http: makes the transport for an `http(s)` server; nil when this executable has none.
    /// - Throws: `ClawGuardError` (`.invalidInput`, `.io`, `.unauthorized`) with a message naming the fix.
    package static func make(server: String?, token: String?, tokenFile: String?,
                             environment: [String: String] = ProcessInfo.processInfo.environment,
                             http: ((URL) -> any GatewayTransport)?) throws -> GatewayClient {
        guard let text = server ?? environment["CLAWGUARD_SERVER"], !text.isEmpty else {
            throw ClawGuardError(.invalidInput, "no server: pass --server URL or set CLAWGUARD_SERVER")
        }
        var socketPath: String?
        if text.hasPrefix("unix:") {
            guard let path = Self.socketPath(of: text) else {
                throw ClawGuardError(.invalidInput, "--server \(text): unix: needs an absolute socket path")
            }
            socketPath = path
        }
        guard let url = socketPath != nil ? URL(string: "http://localhost/") : URL(string: text),
              url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw ClawGuardError(.invalidInput, "--server \(text) is not an http(s) URL or unix:/path")
        }
        var secret = token ?? environment["CLAWGUARD_TOKEN"]
        if secret == nil || secret?.isEmpty == true, let tokenFile = tokenFile ?? environment["CLAWGUARD_TOKEN_FILE"] {
            guard let contents = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                throw ClawGuardError(.io, "cannot read the token file \(tokenFile)")
            }
            secret = contents.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let secret, !secret.isEmpty else {
            throw ClawGuardError(.unauthorized, "no token: set CLAWGUARD_TOKEN, pass --token, or --token-file FILE")
        }
        let transport: any GatewayTransport
        if let socketPath {
            transport = UnixHTTPClient(path: socketPath)
        } else if let http {
            transport = http(url)
        } else {
            throw ClawGuardError(.invalidInput, "--server \(text): this executable speaks only to unix: sockets; use clawguard-full")
        }
        return GatewayClient(base: url, token: secret, socketPath: socketPath, transport: transport)
    }

    /// A reply: the status, the body as JSON (`.null` when it is not JSON) and the raw body.
    package struct Reply {
        package var status: Int
        package var body: JSONValue
        package var data: Data
    }

    /// Sends a request and waits for the reply. Transport failures throw; HTTP errors are returned.
    package func send(_ method: String, _ path: String, body: JSONValue? = nil, timeout: Double? = nil) throws -> Reply {
        var headers = [("Authorization", "Bearer \(token)")]
        var data: Data?
        if let body {
            headers.append(("Content-Type", "application/json"))
            data = try JSONEncoder().encode(body)
        }
        let reply = try transport.exchange(method, path, headers: headers, body: data, timeout: timeout ?? self.timeout)
        // The hook's direct JSON reader first (it answers only where its value is JSONDecoder's), then JSONDecoder.
        let value = PayloadJSON.parseObject(reply.body) ?? (try? JSONDecoder().decode(JSONValue.self, from: reply.body)) ?? .null
        return Reply(status: reply.status, body: value, data: reply.body)
    }

    /// Sends and requires a 2xx reply.
    package func expect(_ method: String, _ path: String, body: JSONValue? = nil, timeout: Double? = nil) throws -> JSONValue {
        let reply = try send(method, path, body: body, timeout: timeout)
        guard (200..<300).contains(reply.status) else {
            let message = reply.body["error"]?["message"]?.stringValue ?? String(decoding: reply.data.prefix(500), as: UTF8.self)
            throw ClawGuardError(.io, "the server answered \(reply.status): \(message)")
        }
        return reply.body
    }
}
