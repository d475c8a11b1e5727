import ClawGuardCore
@testable import ClawGuardGatewayClient
@testable import ClawGuardServer
import ClawGuardStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A one-shot server on a real unix socket: accepts one connection, reads the request, writes `reply`, closes.
final class CannedUnixServer: @unchecked Sendable {
    let path: String
    let fd: Int32
    private(set) var request = Data()
    private let done = DispatchSemaphore(value: 0)

    init(reply: Data) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("cg-\(UUID().uuidString.prefix(8)).sock").path
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 1) == 0 else { throw ClawGuardError(.io, "cannot listen on \(path)") }
        let listener = fd
        let thread = Thread { [self] in
            let client = accept(listener, nil, nil)
            var buffer = [UInt8](repeating: 0, count: 4096)
            // Read the head and the announced body.
            while true {
                let n = recv(client, &buffer, buffer.count, 0)
                if n <= 0 { break }
                request.append(contentsOf: buffer[0..<n])
                if let text = String(data: request, encoding: .utf8), let end = text.range(of: "\r\n\r\n") {
                    let length = text.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                        .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                    if text.utf8.distance(from: end.upperBound, to: text.endIndex) >= length { break }
                }
            }
            _ = reply.withUnsafeBytes { send(client, $0.baseAddress!, reply.count, Int32(MSG_NOSIGNAL)) }
            close(client)
            done.signal()
        }
        thread.start()
    }

    func finish() {
        done.wait()
        close(fd)
        unlink(path)
    }
}

@Suite struct UnixHTTPClientTests {
    @Test func contentLengthBody() throws {
        let server = try CannedUnixServer(reply: Data("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"ok\": true}\nIGNORED".utf8))
        let reply = try UnixHTTPClient(path: server.path).send("POST", "/v1/decide", headers: [("Authorization", "Bearer abc")],
                                                                body: Data("{\"x\":1}".utf8), timeout: 10)
        server.finish()
        #expect(reply.status == 200)
        #expect(String(decoding: reply.body, as: UTF8.self) == "{\"ok\": true}\n")
        #expect(reply.headers["content-type"] == "application/json")
        let request = String(decoding: server.request, as: UTF8.self)
        #expect(request.hasPrefix("POST /v1/decide HTTP/1.1\r\n"))
        #expect(request.contains("Authorization: Bearer abc\r\n"))
        #expect(request.contains("Content-Length: 7\r\n"))
        #expect(request.hasSuffix("\r\n\r\n{\"x\":1}"))
    }

    @Test func chunkedBody() throws {
        let server = try CannedUnixServer(reply: Data("HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n".utf8))
        let reply = try UnixHTTPClient(path: server.path).send("GET", "/v1/sessions", timeout: 10)
        server.finish()
        #expect(reply.status == 403)
        #expect(String(decoding: reply.body, as: UTF8.self) == "hello, world")
    }

    @Test(arguments: [
        "garbage\r\n\r\n",
        "HTTP/1.1 abc OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n50\r\nhello\r\n",
        "HTTP/1.1 200 OK\r\nno header end",
        "",
    ])
    func malformedRepliesAreErrors(_ raw: String) throws {
        let server = try CannedUnixServer(reply: Data(raw.utf8))
        #expect(throws: ClawGuardError.self) { try UnixHTTPClient(path: server.path).send("GET", "/health", timeout: 10) }
        server.finish()
    }

    @Test func noServerIsAnError() {
        #expect(throws: ClawGuardError.self) {
            try UnixHTTPClient(path: "/nonexistent-\(UUID().uuidString.prefix(8))/gateway.sock").send("GET", "/health", timeout: 5)
        }
    }
}

@Suite struct GatewayUnixSocketTests {
    /// The gateway's routes, tokens and policy answer on its unix socket, which only its user may open.
    @Test func decidesOverTheUnixSocket() async throws {
        let gateway = try TestGateway()
        let path = gateway.directory + "/sock/gateway.sock"
        try Gateway.prepareSocketDirectory(for: path)
        let chat = try gateway.token([.chat])
        let reader = try gateway.token([.sessionsRead])
        let unix = Gateway.unixSocketApplication(gateway.services, path: path)
        let app = try Gateway.application(gateway.services, extraServices: [unix])
        try await app.test(.live) { _ in
            let client = UnixHTTPClient(path: path)
            let decide = Data(#"{"tool":"Bash","input":{"command":"rm -rf /"},"cwd":"/tmp","session_id":"unix-s1"}"#.utf8)
            let reply = try await eventually("the socket answers") { () -> UnixHTTPClient.Reply? in
                try? await blocking { try client.send("POST", "/v1/decide", headers: [("Authorization", "Bearer \(chat)"),
                                                                                  ("Content-Type", "application/json")], body: decide) }
            }
            #expect(reply.status == 200)
            let answer = try JSONDecoder().decode(JSONValue.self, from: reply.body)
            #expect(answer["decision"]?.stringValue == "deny")
            // A token without the chat scope is refused on the socket too.
            let refused = try await blocking { try client.send("POST", "/v1/decide", headers: [("Authorization", "Bearer \(reader)")], body: decide) }
            #expect(refused.status == 403)
            let mode = { (p: String) in (try? FileManager.default.attributesOfItem(atPath: p))?[.posixPermissions] as? Int }
            #expect(mode(path) == 0o600)
            #expect(mode((path as NSString).deletingLastPathComponent) == 0o700)
        }
        let audited = try gateway.services.store.auditRecords(.init(session: "unix-s1")).filter { $0.type != "agent_started" }
        #expect(audited.map(\.type) == ["tool_blocked"])
    }
}

/// Runs a blocking call off the cooperative pool.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}
