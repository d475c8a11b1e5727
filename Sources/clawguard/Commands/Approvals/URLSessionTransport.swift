import ClawGuardCore
import ClawGuardGatewayClient
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// HTTP over TCP to the gateway with Foundation's URLSession (`--server http(s)://…`). Only `clawguard-full` has it:
/// the slim front hands such command lines over, so it does not link FoundationNetworking.
struct URLSessionTransport: GatewayTransport {
    let base: URL

    func exchange(_ method: String, _ path: String, headers: [(String, String)], body: Data?, timeout: Double) throws
        -> (status: Int, body: Data)
    {
        guard let url = URL(string: path, relativeTo: base) else { throw ClawGuardError(.invalidInput, "bad path \(path)") }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
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
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
        }
    }
}

extension GatewayClient {
    /// The gateway client of `clawguard-full`: unix sockets and HTTP(S) over URLSession.
    static func make(server: String?, token: String?, tokenFile: String?) throws -> GatewayClient {
        try make(server: server, token: token, tokenFile: tokenFile, http: { URLSessionTransport(base: $0) })
    }
}
