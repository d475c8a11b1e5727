import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension RouterMethods {
    /// Mounts the web console at `/ui` (GET and POST under it). One line in the server's route list:
    /// `router.addConsoleRoutes(console)`. The console does its own authentication (session cookie), so mount it
    /// outside the bearer-token middleware of the API routes.
    /// - Parameter peer: the client's IP address from the context (default: `RemoteAddressRequestContext`'s).
    @discardableResult
    public func addConsoleRoutes(_ console: WebConsole, maxBodyBytes: Int = 64 * 1024,
                                 peer: @escaping @Sendable (Context) -> String? = { context in
                                     (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress
                                 }) -> Self {
        let handler: @Sendable (Request, Context) async throws -> Response = { request, context in
            await console.respond(to: request, peer: peer(context), maxBodyBytes: maxBodyBytes)
        }
        get("/ui", use: handler)
        get("/ui/**", use: handler)
        post("/ui/**", use: handler)
        return self
    }
}

extension WebConsole {
    /// Adapts a Hummingbird request: headers, peer address, query and the form body (at most `maxBodyBytes`;
    /// larger → 413, no other content type than a form for a POST → 415).
    public func respond(to request: Request, peer: String?, maxBodyBytes: Int) async -> Response {
        var headers: [String: String] = [:]
        for field in request.headers where headers[field.name.canonicalName] == nil {
            headers[field.name.canonicalName] = field.value
        }
        // HTTP/1 `Host` arrives as the request's authority (HTTPTypes keeps it out of the header fields).
        if let authority = request.head.authority { headers["host"] = authority }
        let method: ConsoleRequest.Method = request.method == .post ? .post : .get
        var form: [String: String] = [:]
        if method == .post {
            let contentType = headers["content-type"]?.lowercased() ?? ""
            guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
                return Self.plain(415, "a console POST must be an application/x-www-form-urlencoded form")
            }
            do {
                let buffer = try await request.body.collect(upTo: maxBodyBytes)
                form = FormDecoding.decode(String(buffer: buffer))
            } catch {
                return Self.plain(413, "the form is larger than \(maxBodyBytes) bytes")
            }
        }
        let consoleRequest = ConsoleRequest(method: method, path: request.uri.path,
                                            query: FormDecoding.decode(request.uri.query ?? ""), headers: headers,
                                            peer: peer, form: form)
        return Self.response(await handle(consoleRequest))
    }

    static func response(_ response: ConsoleResponse) -> Response {
        var fields = HTTPFields()
        for header in response.headers {
            guard let name = HTTPField.Name(header.name) else { continue }
            fields.append(HTTPField(name: name, value: header.value))
        }
        return Response(status: HTTPResponse.Status(code: response.status), headers: fields,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: response.body)))
    }

    static func plain(_ status: Int, _ message: String) -> Response {
        var response = ConsoleResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: message)
        response.headers.append(contentsOf: SecurityHeaders.all)
        return Self.response(response)
    }
}
