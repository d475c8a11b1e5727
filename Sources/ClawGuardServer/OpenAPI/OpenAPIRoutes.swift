import Foundation
import Hummingbird

/// The hand-written OpenAPI 3.1 document of the gateway (a resource of this target), kept true by a test that
/// compares it with the router's routes.
public enum OpenAPIDocument {
    /// The document's text.
    public static let text: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            return #"{"openapi":"3.1.0","info":{"title":"ClawGuard gateway (document missing from the build)","version":"0"},"paths":{}}"#
        }
        return text
    }()
}

extension Router<GatewayContext> {
    /// `GET /openapi.json` (any valid token).
    public func addOpenAPIRoutes(_ services: GatewayServices) {
        get("/openapi.json") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.text)))
        }
    }
}
