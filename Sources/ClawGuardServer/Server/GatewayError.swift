import ClawGuardCore
import Foundation
import HTTPTypes
import Hummingbird

/// An error the gateway answers with: an HTTP status, a stable code and a message a person can act on, as JSON
/// `{"error": {"code": "...", "message": "..."}}`.
public struct GatewayError: Error, Sendable, CustomStringConvertible, HTTPResponseError {
    /// A stable error code (a struct wrapping a private enum so cases can be added).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case badRequest = "bad_request", unauthorized, forbidden, notFound = "not_found", conflict
            case tooManyRequests = "too_many_requests", tooLarge = "too_large", internalError = "internal_error"
            case unavailable
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        public static let badRequest = Code(.badRequest)
        public static let unauthorized = Code(.unauthorized)
        public static let forbidden = Code(.forbidden)
        public static let notFound = Code(.notFound)
        public static let conflict = Code(.conflict)
        public static let tooManyRequests = Code(.tooManyRequests)
        public static let tooLarge = Code(.tooLarge)
        public static let internalError = Code(.internalError)
        public static let unavailable = Code(.unavailable)

        public var description: String { wrapped.rawValue }

        var status: HTTPResponse.Status {
            switch wrapped {
            case .badRequest: .badRequest
            case .unauthorized: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .conflict: .conflict
            case .tooManyRequests: .tooManyRequests
            case .tooLarge: .contentTooLarge
            case .internalError: .internalServerError
            case .unavailable: .serviceUnavailable
            }
        }
    }

    public var code: Code
    public var message: String
    /// Extra response headers (`Retry-After`, `WWW-Authenticate`).
    public var extraHeaders: HTTPFields

    public init(_ code: Code, _ message: String, headers: HTTPFields = [:]) {
        self.code = code
        self.message = message
        self.extraHeaders = headers
    }

    /// Maps a store or core error (the caller denies or answers 500/503).
    public init(_ error: any Error) {
        if let error = error as? GatewayError {
            self = error
            return
        }
        guard let error = error as? ClawGuardError else {
            self.init(.internalError, "\(error)")
            return
        }
        switch error.code {
        case .notFound: self.init(.notFound, error.message)
        case .invalidInput, .limitExceeded: self.init(.badRequest, error.message)
        case .unauthorized: self.init(.forbidden, error.message)
        case .store: self.init(.unavailable, error.message)
        default: self.init(.internalError, error.message)
        }
    }

    public var description: String { "\(code): \(message)" }

    public var status: HTTPResponse.Status { code.status }

    public var headers: HTTPFields { extraHeaders }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = extraHeaders
        headers[.contentType] = "application/json; charset=utf-8"
        let body = JSONValue.object(["error": .object(["code": .string(code.description), "message": .string(message)])])
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: JSONText.encode(body))))
    }
}
