import ClawGuardCore
import ClawGuardServer
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A small blocking client for the gateway (the hook and `clawguard approvals`), over Foundation's URLSession, or
/// over the gateway's unix domain socket when the server is `unix:/path` (the worker's sandboxed hooks).
struct GatewayClient {
    let base: URL
    let token: String
    /// The gateway's unix socket (`--server unix:/path`), instead of `base`.
    var socketPath: String?
    /// Seconds before a request is abandoned.
    var timeout: Double = 30

    /// The server and token from flags, then `CLAWGUARD_SERVER` / `CLAWGUARD_TOKEN` / a token file.
    static func make(server: String?, token: String?, tokenFile: String?) throws -> GatewayClient {
        let environment = ProcessInfo.processInfo.environment
        guard let text = server ?? environment["CLAWGUARD_SERVER"], !text.isEmpty else {
            throw ClawGuardError(.invalidInput, "no server: pass --server URL or set CLAWGUARD_SERVER")
        }
        var socketPath: String?
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst(5))
            guard path.hasPrefix("/") else { throw ClawGuardError(.invalidInput, "--server \(text): unix: needs an absolute socket path") }
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
        return GatewayClient(base: url, token: secret, socketPath: socketPath)
    }

    struct Reply {
        var status: Int
        var body: JSONValue
        var data: Data
    }

    /// Sends a request and waits for the reply. Transport failures throw; HTTP errors are returned.
    func send(_ method: String, _ path: String, body: JSONValue? = nil, timeout: Double? = nil) throws -> Reply {
        if let socketPath {
            var headers = [("Authorization", "Bearer \(token)")]
            var data: Data?
            if let body {
                headers.append(("Content-Type", "application/json"))
                data = try JSONEncoder().encode(body)
            }
            let reply = try UnixHTTPClient(path: socketPath).send(method, path, headers: headers, body: data, timeout: timeout ?? self.timeout)
            let value = (try? JSONDecoder().decode(JSONValue.self, from: reply.body)) ?? .null
            return Reply(status: reply.status, body: value, data: reply.body)
        }
        guard let url = URL(string: path, relativeTo: base) else { throw ClawGuardError(.invalidInput, "bad path \(path)") }
        var request = URLRequest(url: url, timeoutInterval: timeout ?? self.timeout)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONEncoder().encode(body)
        }
        final class Box: @unchecked Sendable {
            var result: Result<(Data, URLResponse), any Error>?
        }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let session = URLSession(configuration: .ephemeral)
        let task = session.dataTask(with: request) { data, response, error in
            if let error { box.result = .failure(error) } else if let data, let response { box.result = .success((data, response)) } else {
                box.result = .failure(ClawGuardError(.io, "empty reply"))
            }
            done.signal()
        }
        task.resume()
        done.wait()
        session.finishTasksAndInvalidate()
        switch box.result! {
        case .failure(let error):
            throw ClawGuardError(.io, "the ClawGuard server \(base.absoluteString) could not be reached: \(error.localizedDescription)")
        case .success(let (data, response)):
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            let value = (try? JSONDecoder().decode(JSONValue.self, from: data)) ?? .null
            return Reply(status: status, body: value, data: data)
        }
    }

    /// Sends and requires a 2xx reply.
    func expect(_ method: String, _ path: String, body: JSONValue? = nil, timeout: Double? = nil) throws -> JSONValue {
        let reply = try send(method, path, body: body, timeout: timeout)
        guard (200..<300).contains(reply.status) else {
            let message = reply.body["error"]?["message"]?.stringValue ?? String(decoding: reply.data.prefix(500), as: UTF8.self)
            throw ClawGuardError(.io, "the server answered \(reply.status): \(message)")
        }
        return reply.body
    }
}
