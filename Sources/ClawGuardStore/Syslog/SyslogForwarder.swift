import ClawGuardCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where syslog messages go.
public enum SyslogTransport: Sendable, Hashable {
    /// One datagram per message.
    case udp(host: String, port: UInt16)
    /// A stream with RFC 6587 octet-counting framing (`LEN SP MSG`).
    case tcp(host: String, port: UInt16)
    /// A unix datagram socket (`/dev/log` or rsyslog's `imuxsock` socket).
    case unix(path: String)
}

/// Forwards audit records as RFC 5424 messages. Sending is best effort from the caller's point of view (the
/// audit trail in the database stays the record of truth), but every failure is reported as a thrown
/// `ClawGuardError(.io)` so it can be logged.
public struct SyslogForwarder: Sendable {
    public var transport: SyslogTransport
    public var facility: Int
    public var appName: String
    /// Forward only security events (`AuditEventType.security`) at or above this severity.
    public var minimumSeverity: AuditSeverity
    public var timeout: Double

    public init(_ transport: SyslogTransport, facility: Int = SyslogFacility.authpriv, appName: String = "clawguard",
                minimumSeverity: AuditSeverity = .warning, timeout: Double = 2) {
        self.transport = transport
        self.facility = facility
        self.appName = appName
        self.minimumSeverity = minimumSeverity
        self.timeout = timeout
    }

    /// The records this forwarder would send.
    public func selected(_ records: [AuditRecord]) -> [AuditRecord] {
        records.filter { $0.eventType.security && $0.eventType.severity >= minimumSeverity }
    }

    /// Sends the security events among `records` (all of them when `all`).
    /// - Returns: how many messages were sent.
    @discardableResult
    public func forward(_ records: [AuditRecord], all: Bool = false) throws(ClawGuardError) -> Int {
        let chosen = all ? records : selected(records)
        guard !chosen.isEmpty else { return 0 }
        let messages = chosen.map { $0.syslogMessage(appName: appName, facility: facility) }
        try send(messages)
        return messages.count
    }

    /// Sends already formatted messages over the transport: one datagram each (UDP, unix) or octet-counted frames
    /// on one stream (TCP). Used by the forwarder and by other senders of RFC 5424 lines (the alert engine's
    /// `syslog` action), so there is one socket implementation.
    public func send(_ messages: [String]) throws(ClawGuardError) {
        guard !messages.isEmpty else { return }
        switch transport {
        case .udp(let host, let port):
            let fd = try Self.connectInet(host: host, port: port, type: Int32(SOCK_DGRAM.rawValue), timeout: timeout)
            defer { close(fd) }
            for message in messages { try Self.send(fd, Array(message.utf8), what: "udp \(host):\(port)") }
        case .tcp(let host, let port):
            let fd = try Self.connectInet(host: host, port: port, type: Int32(SOCK_STREAM.rawValue), timeout: timeout)
            defer { close(fd) }
            for message in messages {
                let bytes = Array(message.utf8)
                try Self.send(fd, Array("\(bytes.count) ".utf8) + bytes, what: "tcp \(host):\(port)")
            }
        case .unix(let path):
            let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            guard fd >= 0 else { throw Self.posixError("socket(AF_UNIX)") }
            defer { close(fd) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let pathBytes = Array(path.utf8)
            guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
                throw ClawGuardError(.invalidInput, "unix socket path too long: \(path)")
            }
            withUnsafeMutableBytes(of: &address.sun_path) { buffer in
                for (i, byte) in pathBytes.enumerated() { buffer[i] = byte }
            }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard connected == 0 else { throw Self.posixError("connect(\(path))") }
            for message in messages { try Self.send(fd, Array(message.utf8), what: "unix \(path)") }
        }
    }

    static func posixError(_ what: String) -> ClawGuardError {
        ClawGuardError(.io, "syslog forwarding: \(what) failed: \(String(cString: strerror(errno)))")
    }

    static func send(_ fd: Int32, _ bytes: [UInt8], what: String) throws(ClawGuardError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw posixError("send to \(what)")
            }
            offset += n
        }
    }

    static func connectInet(host: String, port: UInt16, type: Int32, timeout: Double) throws(ClawGuardError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = type
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let first = result else {
            throw ClawGuardError(.io, "syslog forwarding: cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(result) }
        var info: UnsafeMutablePointer<addrinfo>? = first
        while let current = info {
            let fd = socket(current.pointee.ai_family, type, 0)
            if fd >= 0 {
                var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                if connect(fd, current.pointee.ai_addr, current.pointee.ai_addrlen) == 0 { return fd }
                close(fd)
            }
            info = current.pointee.ai_next
        }
        throw posixError("connect to \(host):\(port)")
    }
}
