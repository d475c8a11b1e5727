import ClawGuardCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Posts JSON over HTTP(S) with Foundation's URLSession (FoundationNetworking on Linux).
public struct HTTPPoster: Sendable {
    /// Seconds to wait for an answer.
    public var timeout: TimeInterval

    public init(timeout: TimeInterval = 10) {
        self.timeout = timeout
    }

    /// POSTs `body` as `application/json`.
    /// - Returns: the status code and the first 2 KiB of the answer.
    /// - Throws: `ClawGuardError(.io)` when the URL is malformed, the request fails, or the status is not 2xx.
    @discardableResult
    public func post(_ url: String, body: Data, headers: [String: String] = [:]) async throws(ClawGuardError) -> (status: Int, body: String) {
        guard let target = URL(string: url), let scheme = target.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            throw ClawGuardError(.invalidInput, "'\(url)' is not an http(s) URL")
        }
        var request = URLRequest(url: target, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("clawguard-alerts", forHTTPHeaderField: "User-Agent")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw ClawGuardError(.io, "POST \(url) failed: \(error.localizedDescription)", underlying: error)
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let text = String(decoding: data.prefix(2048), as: UTF8.self)
        guard (200..<300).contains(status) else {
            throw ClawGuardError(.io, "POST \(url) answered HTTP \(status): \(text.prefix(200))")
        }
        return (status, text)
    }
}
