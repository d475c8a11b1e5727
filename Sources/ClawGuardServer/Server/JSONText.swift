import ClawGuardCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// JSON in and out of the gateway: sorted keys, no escaped slashes, and a clear 400 for anything malformed.
public enum JSONText {
    /// Encodes a value as JSON text.
    public static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else {
            return #"{"error":{"code":"internal_error","message":"could not encode the answer"}}"#
        }
        return text
    }

    /// A JSON response.
    public static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: encode(value))))
    }

    /// Reads the request body (at most `limit` bytes, else 413) as a JSON object (else 400 saying why).
    public static func readObject(_ request: Request, limit: Int) async throws -> JSONValue {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw GatewayError(.tooLarge, "the request body is over the limit of \(limit) bytes")
        }
        guard buffer.readableBytes > 0 else { throw GatewayError(.badRequest, "the request body is empty; send a JSON object") }
        let parsed = buffer.withUnsafeReadableBytes { bytes in Result { () throws(JSONBodyParser.Failure) in try JSONBodyParser.parse(bytes) } }
        let value: JSONValue
        switch parsed {
        case .success(let parsed): value = parsed
        case .failure(let failure):
            throw GatewayError(.badRequest, "the request body is not valid JSON: \(failure.message) (at byte \(failure.offset))")
        }
        guard case .object = value else { throw GatewayError(.badRequest, "the request body must be a JSON object") }
        return value
    }

    /// Decodes a typed body; field errors become a 400 naming the field.
    public static func read<T: Decodable>(_ type: T.Type, _ request: Request, limit: Int) async throws -> T {
        let object = try await readObject(request, limit: limit)
        let data = Data(encode(object).utf8)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw GatewayError(.badRequest, "missing field \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw GatewayError(.badRequest, "field \"\(path)\" has the wrong type: \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw GatewayError(.badRequest, "field \"\(path)\": \(context.debugDescription)")
        } catch {
            throw GatewayError(.badRequest, "the request body does not have the expected shape: \(error)")
        }
    }
}
