import ClawGuardCore
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The egress proxy: an HTTP forward proxy (plain `http://` requests) and `CONNECT` tunnel (HTTPS) on a
/// unix socket, running outside the sandbox. Every connection is decided by the injected `decide`,
/// host names are resolved here (the sandbox has no DNS), resolved private addresses are refused unless
/// listed, and every connection is reported to `events`. POSIX sockets, one thread per connection,
/// bounded.
public final class EgressProxy: Sendable {
    public struct Configuration: Sendable {
        public var decide: EgressDecider
        /// Whether a resolved address may be connected to (default: public addresses only).
        public var permitsAddress: @Sendable (String) -> Bool
        public var events: EgressSink
        public var maxConnections: Int = 256
        public var connectTimeoutSeconds: Int32 = 10
        /// A connection idle this long in both directions is closed.
        public var idleTimeoutSeconds: Int32 = 600

        public init(
            decide: @escaping EgressDecider, permitsAddress: @escaping @Sendable (String) -> Bool = { IPAddress($0).map { !$0.isPrivate } ?? false },
            events: @escaping EgressSink = { _ in }
        ) {
            self.decide = decide
            self.permitsAddress = permitsAddress
            self.events = events
        }

        /// The stand-alone rules of `--allow-domain` and friends.
        public init(matcher: DomainMatcher, events: @escaping EgressSink = { _ in }) {
            self.init(decide: matcher.decider, permitsAddress: { matcher.permitsResolvedAddress($0) }, events: events)
        }
    }

    /// The unix socket the proxy listens on.
    public let socketPath: String
    private let configuration: Configuration
    private let listenFD: Int32
    private let state = Mutex(State())

    private struct State: Sendable {
        var open: Set<Int32> = []
        var stopped = false
    }

    /// Starts listening on `socketPath` (which must not exist) and serving on a background thread.
    public init(socketPath: String, configuration: Configuration) throws(ClawGuardError) {
        self.socketPath = socketPath
        self.configuration = configuration
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ClawGuardError(.sandbox, "cannot create the proxy socket: \(SandboxCgroup.errnoText())") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(socketPath.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            close(fd)
            throw ClawGuardError(.sandbox, "proxy socket path too long: \(socketPath)")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in pathBytes.enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            let text = SandboxCgroup.errnoText()
            close(fd)
            throw ClawGuardError(.sandbox, "cannot listen on \(socketPath): \(text)")
        }
        chmod(socketPath, 0o666)
        listenFD = fd
        let proxy = self
        Thread.detachNewThread { proxy.acceptLoop() }
    }

    /// Stops accepting and closes every open connection.
    public func stop() {
        let fds = state.withLock { state -> Set<Int32> in
            guard !state.stopped else { return [] }
            state.stopped = true
            return state.open
        }
        shutdown(listenFD, Int32(SHUT_RDWR))
        for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
        unlink(socketPath)
    }

    deinit {
        close(listenFD)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listenFD, nil, nil)
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            let admitted = state.withLock { state -> Bool in
                guard !state.stopped, state.open.count < configuration.maxConnections else { return false }
                state.open.insert(client)
                return true
            }
            guard admitted else {
                Self.send(client, status: "503 Service Unavailable", reason: "too many connections through the ClawGuard proxy")
                close(client)
                continue
            }
            let proxy = self
            Thread.detachNewThread {
                proxy.serve(client)
                proxy.state.withLock { _ = $0.open.remove(client) }
                close(client)
            }
        }
    }

    private func serve(_ client: Int32) {
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let now = Date().timeIntervalSince1970
        guard let (head, leftover) = Self.readHead(client) else {
            Self.send(client, status: "400 Bad Request", reason: "incomplete or oversized request head")
            return
        }
        let request: ProxyRequest
        do {
            request = try ProxyRequest.parse(head: head)
        } catch {
            Self.send(client, status: "400 Bad Request", reason: error.description)
            configuration.events(
                EgressEvent(method: "?", host: "", port: 0, allowed: false, reason: "malformed request: \(error)", timestamp: now))
            return
        }
        var event = EgressEvent(
            method: request.method, host: request.host, port: request.port, allowed: false, reason: "", timestamp: now)
        let decision = configuration.decide(request.host, request.port)
        event.reason = decision.reason
        guard decision.allowed else {
            Self.send(client, status: "403 Forbidden", reason: decision.reason)
            configuration.events(event)
            return
        }
        let upstream: Int32, address: String
        switch connectUpstream(host: request.host, port: request.port) {
        case .failure(let failure):
            event.reason = failure.reason
            event.allowed = false
            Self.send(client, status: failure.refused ? "403 Forbidden" : "502 Bad Gateway", reason: failure.reason)
            configuration.events(event)
            return
        case .success(let connected):
            (upstream, address) = connected
        }
        defer { close(upstream) }
        state.withLock { _ = $0.open.insert(upstream) }
        defer { state.withLock { _ = $0.open.remove(upstream) } }
        event.allowed = true
        event.address = address
        var noTimeout = timeval(tv_sec: 0, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &noTimeout, socklen_t(MemoryLayout<timeval>.size))
        var sent = 0
        switch request.kind {
        case .tunnel:
            guard Self.writeAll(client, Array("HTTP/1.1 200 Connection Established\r\n\r\n".utf8)) else { return }
        case .forward:
            let head = request.upstreamHead()
            guard Self.writeAll(upstream, head) else { return }
            sent += head.count
        }
        if !leftover.isEmpty {
            guard Self.writeAll(upstream, leftover) else { return }
            sent += leftover.count
        }
        let (up, down) = Self.relay(client, upstream, idleSeconds: configuration.idleTimeoutSeconds)
        event.bytesSent = sent + up
        event.bytesReceived = down
        configuration.events(event)
    }

    private struct ConnectFailure: Error {
        var reason: String
        var refused: Bool
    }

    private func connectUpstream(host: String, port: Int) -> Result<(Int32, String), ConnectFailure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            return .failure(ConnectFailure(reason: "cannot resolve \(host): \(String(cString: gai_strerror(rc)))", refused: false))
        }
        defer { freeaddrinfo(first) }
        var refusedAddresses: [String] = []
        var lastError = "no address"
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let ai = node {
            node = ai.pointee.ai_next
            let text = Self.addressText(ai.pointee.ai_addr)
            guard configuration.permitsAddress(text) else {
                refusedAddresses.append(text)
                continue
            }
            let fd = socket(ai.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { continue }
            if Self.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen, timeoutSeconds: configuration.connectTimeoutSeconds) {
                return .success((fd, text))
            }
            lastError = "\(text): \(SandboxCgroup.errnoText())"
            close(fd)
        }
        if !refusedAddresses.isEmpty && lastError == "no address" {
            return .failure(ConnectFailure(
                reason: "\(host) resolves to a private or reserved address (\(refusedAddresses.joined(separator: ", "))); list it explicitly to allow",
                refused: true))
        }
        return .failure(ConnectFailure(reason: "cannot connect to \(host):\(port): \(lastError)", refused: false))
    }

    private static func connect(_ fd: Int32, _ addr: UnsafeMutablePointer<sockaddr>, _ len: socklen_t, timeoutSeconds: Int32) -> Bool {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        if Glibc.connect(fd, addr, len) != 0 {
            guard errno == EINPROGRESS else { return false }
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&p, 1, timeoutSeconds * 1000) == 1 else { errno = ETIMEDOUT; return false }
            var err: Int32 = 0
            var errLen = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errLen)
            guard err == 0 else { errno = err; return false }
        }
        _ = fcntl(fd, F_SETFL, flags)
        return true
    }

    private static func addressText(_ addr: UnsafeMutablePointer<sockaddr>) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        if Int32(addr.pointee.sa_family) == AF_INET {
            addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { var a = $0.pointee.sin_addr; _ = inet_ntop(AF_INET, &a, &buffer, socklen_t(buffer.count)) }
        } else {
            addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { var a = $0.pointee.sin6_addr; _ = inet_ntop(AF_INET6, &a, &buffer, socklen_t(buffer.count)) }
        }
        return String(cString: buffer)
    }

    /// Reads up to the end of the head; returns the head (without the blank line) and any bytes after it.
    private static func readHead(_ fd: Int32) -> ([UInt8], [UInt8])? {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        while data.count <= ProxyRequest.maxHeadBytes {
            let n = read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            let searchFrom = max(0, data.count - 3)
            data.append(contentsOf: chunk[0..<n])
            var i = searchFrom
            while i + 3 < data.count {
                if data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10 {
                    return (Array(data[0..<i]), Array(data[(i + 4)...]))
                }
                i += 1
            }
        }
        return nil
    }

    private static func send(_ fd: Int32, status: String, reason: String) {
        let body = "ClawGuard egress proxy: \(reason)\n"
        let safeReason = reason.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        let text = "HTTP/1.1 \(status)\r\nContent-Type: text/plain\r\nX-ClawGuard-Reason: \(safeReason)\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        _ = writeAll(fd, Array(text.utf8))
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    /// Copies both ways until both sides are done; returns (client → upstream, upstream → client) bytes.
    private static func relay(_ client: Int32, _ upstream: Int32, idleSeconds: Int32) -> (Int, Int) {
        var counts = [0, 0]
        var open = [true, true]
        let fds = [client, upstream]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while open[0] || open[1] {
            var polls = [
                pollfd(fd: client, events: open[0] ? Int16(POLLIN) : 0, revents: 0),
                pollfd(fd: upstream, events: open[1] ? Int16(POLLIN) : 0, revents: 0),
            ]
            let r = poll(&polls, 2, idleSeconds * 1000)
            if r < 0 && errno == EINTR { continue }
            guard r > 0 else { break }
            for i in 0..<2 where open[i] && polls[i].revents != 0 {
                let n = read(fds[i], &buffer, buffer.count)
                if n <= 0 || !writeAll(fds[1 - i], Array(buffer[0..<n])) {
                    shutdown(fds[1 - i], Int32(SHUT_WR))
                    open[i] = false
                } else {
                    counts[i] += n
                }
            }
        }
        return (counts[0], counts[1])
    }
}

