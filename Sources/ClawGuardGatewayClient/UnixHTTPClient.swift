import ClawGuardCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny blocking HTTP/1.1 client over a unix domain socket, for the hook inside a worker's sandbox (URLSession
/// cannot speak to unix sockets). One request per connection (`Connection: close`); the reply's body is read by
/// `Content-Length`, `chunked` encoding, or to the end of the stream. Sizes are bounded and the whole exchange has
/// one deadline. Any malformed reply is an error — the caller denies.
public struct UnixHTTPClient: Sendable {
    /// The socket's path.
    public let path: String
    /// The largest reply accepted (head and body).
    public var maxReplyBytes = 8 << 20

    public init(path: String) {
        self.path = path
    }

    /// A reply: status, headers (names lower-cased) and the decoded body.
    public struct Reply: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: Data
    }

    /// Sends one request and waits for the whole reply.
    /// - Parameters:
    ///   - method: the HTTP method.
    ///   - target: the request target (`/v1/decide`).
    ///   - headers: extra headers (`Authorization`, `Content-Type`).
    ///   - body: the request body, if any.
    ///   - timeout: seconds for the whole exchange.
    /// - Returns: the reply.
    /// - Throws: `ClawGuardError` (`.io`, `.timeout`, `.parseError`, `.limitExceeded`) on any failure.
    public func send(_ method: String, _ target: String, headers: [(String, String)] = [], body: Data? = nil,
                     timeout: Double = 30) throws -> Reply {
        let deadline = Date().addingTimeInterval(timeout)
        let fd = try connect()
        defer { close(fd) }
        var head = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        for (name, value) in headers {
            guard !(name + value).contains(where: { $0 == "\r" || $0 == "\n" }) else {
                throw ClawGuardError(.invalidInput, "a header holds a line break")
            }
            head += "\(name): \(value)\r\n"
        }
        head += "Content-Length: \(body?.count ?? 0)\r\n\r\n"
        try write(fd, Data(head.utf8) + (body ?? Data()), deadline: deadline)
        let raw = try readAll(fd, deadline: deadline)
        return try Self.parse(raw)
    }

    func connect() throws -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity else {
            throw ClawGuardError(.invalidInput, "the socket path \(path) is empty or longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ClawGuardError(.io, "socket(): \(String(cString: strerror(errno)))") }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ClawGuardError(.io, "cannot connect to the gateway's socket \(path): \(reason)")
        }
        return fd
    }

    /// Waits until `fd` is ready for `events` or the deadline passes.
    func wait(_ fd: Int32, _ events: Int16, deadline: Date) throws {
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw ClawGuardError(.timeout, "the gateway's socket \(path) did not answer in time") }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let n = poll(&entry, 1, Int32(min(left * 1000, 60_000).rounded(.up)))
            if n > 0 { return }
            if n < 0 && errno != EINTR { throw ClawGuardError(.io, "poll(): \(String(cString: strerror(errno)))") }
        }
    }

    func write(_ fd: Int32, _ data: Data, deadline: Date) throws {
        var offset = 0
        while offset < data.count {
            try wait(fd, Int16(POLLOUT), deadline: deadline)
            let n = data.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, data.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw ClawGuardError(.io, "writing to \(path): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    func readAll(_ fd: Int32, deadline: Date) throws -> Data {
        var result = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            try wait(fd, Int16(POLLIN), deadline: deadline)
            let n = recv(fd, &buffer, buffer.count, 0)
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw ClawGuardError(.io, "reading from \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { return result }
            result.append(contentsOf: buffer[0..<n])
            guard result.count <= maxReplyBytes else {
                throw ClawGuardError(.limitExceeded, "the gateway's reply is over \(maxReplyBytes) bytes")
            }
        }
    }

    /// Parses a complete HTTP/1.1 reply (the connection was closed by the server).
    /// - Throws: `.parseError` when it is not a well-formed reply.
    public static func parse(_ raw: Data) throws -> Reply {
        let bytes = [UInt8](raw)
        guard let split = find([13, 10, 13, 10], in: bytes, from: 0) else {
            throw ClawGuardError(.parseError, "the gateway's reply has no complete header")
        }
        guard let head = String(bytes: bytes[0..<split], encoding: .utf8) else {
            throw ClawGuardError(.parseError, "the gateway's reply header is not UTF-8")
        }
        let lines = head.components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), statusParts[1].count == 3,
              let status = Int(statusParts[1]), (100...599).contains(status) else {
            throw ClawGuardError(.parseError, "the gateway's reply has a bad status line: \(lines[0].prefix(80))")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw ClawGuardError(.parseError, "the gateway's reply has a bad header line: \(line.prefix(80))")
            }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let rest = Array(bytes[(split + 4)...])
        let body: [UInt8]
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            body = try dechunk(rest)
        } else if let lengthText = headers["content-length"] {
            guard let length = Int(lengthText), length >= 0 else {
                throw ClawGuardError(.parseError, "the gateway's reply has a bad Content-Length: \(lengthText)")
            }
            guard rest.count >= length else {
                throw ClawGuardError(.parseError, "the gateway's reply ended after \(rest.count) of \(length) body bytes")
            }
            body = Array(rest.prefix(length))
        } else {
            body = rest
        }
        return Reply(status: status, headers: headers, body: Data(body))
    }

    static func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while true {
            guard let lineEnd = find([13, 10], in: bytes, from: i),
                  let sizeLine = String(bytes: bytes[i..<lineEnd], encoding: .utf8) else {
                throw ClawGuardError(.parseError, "the gateway's chunked reply is cut short")
            }
            let sizeText = sizeLine.split(separator: ";", maxSplits: 1).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            guard !sizeText.isEmpty, sizeText.count <= 8, let size = Int(sizeText, radix: 16), size >= 0 else {
                throw ClawGuardError(.parseError, "the gateway's chunked reply has a bad chunk size: \(sizeLine.prefix(20))")
            }
            i = lineEnd + 2
            if size == 0 { return out }
            guard i + size + 2 <= bytes.count, bytes[i + size] == 13, bytes[i + size + 1] == 10 else {
                throw ClawGuardError(.parseError, "the gateway's chunked reply has a truncated chunk")
            }
            out.append(contentsOf: bytes[i..<(i + size)])
            i += size + 2
        }
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var i = start
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}
