import ClawGuardCore
@testable import ClawGuardServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Reads a raw HTTP response from a socket until `marker` appears (server-sent events never end by themselves).
final class RawStream: @unchecked Sendable {
    let fd: Int32

    init(port: Int, request: String) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw GatewayError(.unavailable, "connect failed") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
    }

    /// Reads until `marker` is in the text or 10 s pass without data.
    func read(until marker: String) async -> String {
        let fd = self.fd
        return await withCheckedContinuation { continuation in
            Thread {
                var text = ""
                var buffer = [UInt8](repeating: 0, count: 4096)
                while !text.contains(marker) {
                    let n = recv(fd, &buffer, buffer.count, 0)
                    if n <= 0 { break }
                    text += String(decoding: buffer[0..<n], as: UTF8.self)
                }
                continuation.resume(returning: text)
            }.start()
        }
    }

    deinit { close(fd) }
}

@Suite struct StreamTests {
    @Test func approvalEventsAreStreamed() async throws {
        let gateway = try TestGateway()
        try await gateway.live { (client: any TestClientProtocol) async throws in
            // One approval pending before the stream opens, one created and decided while it is open.
            let before = try await client.call(.post, "/v1/decide", token: gateway.admin, json: DecideTests.body("git push origin a", session: "e1")).json
            let beforeID = try #require(before["approval_id"]?.stringValue)
            let stream = try RawStream(port: client.port!, request: "GET /v1/approvals/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(gateway.admin)\r\n\r\n")
            let head = await stream.read(until: "event: pending")
            #expect(head.hasPrefix("HTTP/1.1 200"))
            #expect(head.lowercased().contains("content-type: text/event-stream"))
            let created = try await client.call(.post, "/v1/decide", token: gateway.admin, json: DecideTests.body("git push origin b", session: "e1")).json
            let createdID = try #require(created["approval_id"]?.stringValue)
            try await client.call(.post, "/v1/approvals/\(createdID)/deny", token: gateway.admin, json: #"{"reason":"no"}"#)
            let rest = await stream.read(until: "event: decided")
            let text = head + rest
            #expect(text.contains(beforeID))
            #expect(text.contains("event: created"))
            #expect(text.contains(createdID))
            #expect(text.contains(#""status":"denied""#))
        }
    }
}
