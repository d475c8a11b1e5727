import ClawGuardCore
@testable import ClawGuardServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The OpenAPI document and the router agree, both ways, and a few documented status codes are real.
@Suite struct OpenAPITests {
    static func document() throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(OpenAPIDocument.text.utf8))
    }

    @Test func documentAndRouterAgree() throws {
        let gateway = try TestGateway()
        let routes = Set(GatewayRoutes.router(gateway.services).routes.map { "\($0.method.rawValue.lowercased()) \($0.path.description)" })
            .filter { !$0.hasSuffix(" /ui") && !$0.contains(" /ui/") }  // the web console's HTML pages (docs/CONSOLE.md)
        let document = try Self.document()
        #expect(document["openapi"] == "3.1.0")
        guard case .object(let paths)? = document["paths"] else { Issue.record("no paths"); return }
        var documented = Set<String>()
        for (path, item) in paths {
            guard case .object(let operations) = item else { continue }
            for method in operations.keys where ["get", "post", "put", "delete", "patch"].contains(method) { documented.insert("\(method) \(path)") }
        }
        #expect(routes.subtracting(documented).isEmpty, "routes missing from openapi.json: \(routes.subtracting(documented).sorted())")
        #expect(documented.subtracting(routes).isEmpty, "documented paths with no route: \(documented.subtracting(routes).sorted())")
    }

    @Test func documentedStatusCodesAreReal() async throws {
        let gateway = try TestGateway()
        let document = try Self.document()
        let documents: @Sendable (String, String, Int) -> Bool = { method, path, status in
            document["paths"]?[path]?[method]?["responses"]?[String(status)] != nil
        }
        try await gateway.live { (client: any TestClientProtocol) async throws in
            let served = try await client.call(.get, "/openapi.json", token: gateway.admin)
            #expect(served.status == .ok)
            #expect(served.json == document)
            let checks: [(HTTPRequest.Method, String, String, String?, String?, Int)] = [
                (.post, "/v1/decide", "/v1/decide", gateway.admin, #"{"tool":"Bash","input":{"command":"echo hi"}}"#, 200),
                (.post, "/v1/decide", "/v1/decide", gateway.admin, "{", 400),
                (.post, "/v1/decide", "/v1/decide", nil, "{}", 401),
                (.get, "/v1/approvals/nope", "/v1/approvals/{id}", gateway.admin, nil, 404),
                (.get, "/v1/sessions/nope", "/v1/sessions/{id}", gateway.admin, nil, 404),
                (.get, "/health", "/health", nil, nil, 200),
                (.get, "/v1/audit?limit=0", "/v1/audit", gateway.admin, nil, 400),
            ]
            for (method, uri, path, token, body, status) in checks {
                let reply = try await client.call(method, uri, token: token, json: body)
                #expect(Int(reply.status.code) == status, "\(method) \(uri)")
                #expect(documents(method.rawValue.lowercased(), path, status), "\(method) \(path) does not document \(status)")
                if status >= 400 { #expect(reply.json["error"]?["message"]?.stringValue?.isEmpty == false) }
            }
        }
    }
}
