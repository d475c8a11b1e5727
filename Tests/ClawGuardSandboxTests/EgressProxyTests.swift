import ClawGuardCore
import Foundation
import Synchronization
import Testing

@testable import ClawGuardSandbox

#if canImport(Glibc)
import Glibc
#endif

/// The egress proxy over its real unix socket, against real upstream sockets; and through the sandbox.
@Suite struct EgressProxyTests {
    final class Events: Sendable {
        let list = Mutex<[EgressEvent]>([])
        var sink: EgressSink { { event in self.list.withLock { $0.append(event) } } }
        var all: [EgressEvent] { list.withLock { $0 } }
    }

    func startProxy(_ matcher: DomainMatcher, events: Events) throws -> (EgressProxy, TempDir) {
        let dir = TempDir("proxy")
        let proxy = try EgressProxy(socketPath: dir.file("p.sock"), configuration: .init(matcher: matcher, events: events.sink))
        return (proxy, dir)
    }

    @Test func forwardsAllowedPlainHTTPInOriginForm() throws {
        let upstream = UpstreamServer()
        defer { upstream.stop() }
        let events = Events()
        let (proxy, dir) = try startProxy(DomainMatcher(allow: ["127.0.0.1"], ports: [upstream.port]), events: events)
        defer { proxy.stop(); dir.cleanup() }
        let fd = connectUnix(proxy.socketPath)
        #expect(fd >= 0)
        sendAll(fd, "GET http://127.0.0.1:\(upstream.port)/hello?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nProxy-Authorization: secret\r\n\r\n")
        let response = readAll(fd)
        close(fd)
        #expect(response.hasPrefix("HTTP/1.1 200 OK"), "\(response)")
        #expect(response.contains("upstream saw: GET /hello?x=1 HTTP/1.1"), "\(response)")
        usleep(50_000)
        let event = events.all.first
        #expect(event?.allowed == true && event?.host == "127.0.0.1" && event?.port == upstream.port && (event?.bytesReceived ?? 0) > 0)
    }

    @Test func tunnelsAllowedConnect() throws {
        let upstream = UpstreamServer(echo: true)
        defer { upstream.stop() }
        let events = Events()
        let (proxy, dir) = try startProxy(DomainMatcher(allow: ["127.0.0.1"], ports: [upstream.port]), events: events)
        defer { proxy.stop(); dir.cleanup() }
        let fd = connectUnix(proxy.socketPath)
        sendAll(fd, "CONNECT 127.0.0.1:\(upstream.port) HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = readSome(fd)
        #expect(head.hasPrefix("HTTP/1.1 200"), "\(head)")
        sendAll(fd, "ping-through-tunnel")
        #expect(readSome(fd) == "ping-through-tunnel")
        close(fd)
    }

    @Test(arguments: [
        ("GET http://evil.example/ HTTP/1.1\r\n\r\n", "403", "not on the allowlist"),
        ("CONNECT evil.example:443 HTTP/1.1\r\n\r\n", "403", "not on the allowlist"),
        ("CONNECT 10.0.0.1:443 HTTP/1.1\r\n\r\n", "403", "IP literal"),
        ("CONNECT [::1]:443 HTTP/1.1\r\n\r\n", "403", "IP literal"),
        ("CONNECT ok.example:22 HTTP/1.1\r\n\r\n", "403", "port 22"),
        ("CONNECT localhost.ok.example:443 HTTP/1.1\r\n\r\n", "502", "cannot resolve"),
        ("GET /relative HTTP/1.1\r\nHost: x\r\n\r\n", "400", "absolute"),
        ("GET https://ok.example/ HTTP/1.1\r\n\r\n", "400", "CONNECT"),
        ("BREW coffee\r\n\r\n", "400", "malformed"),
        ("GET http://ok.example/ HTTP/1.1\r\nBad Header\r\n\r\n", "400", "header"),
    ])
    func refusesWithAReason(request: String, status: String, reason: String) throws {
        let events = Events()
        let (proxy, dir) = try startProxy(DomainMatcher(allow: ["*.ok.example", "ok.example"]), events: events)
        defer { proxy.stop(); dir.cleanup() }
        let fd = connectUnix(proxy.socketPath)
        sendAll(fd, request)
        let response = readAll(fd)
        close(fd)
        #expect(response.hasPrefix("HTTP/1.1 \(status)"), "\(response)")
        #expect(response.contains(reason), "\(response)")
    }

    @Test func nameResolvingToPrivateAddressIsRefusedUnlessListed() throws {
        let upstream = UpstreamServer()
        defer { upstream.stop() }
        let events = Events()
        let (proxy, dir) = try startProxy(DomainMatcher(allow: ["localhost"], ports: [upstream.port]), events: events)
        defer { proxy.stop(); dir.cleanup() }
        let fd = connectUnix(proxy.socketPath)
        sendAll(fd, "GET http://localhost:\(upstream.port)/ HTTP/1.1\r\n\r\n")
        let response = readAll(fd)
        close(fd)
        #expect(response.hasPrefix("HTTP/1.1 403"), "\(response)")
        #expect(response.contains("private or reserved address"), "\(response)")
        #expect(events.all.first?.allowed == false)
    }

    @Test func oversizedHeadIsRefused() throws {
        let (proxy, dir) = try startProxy(DomainMatcher(allow: ["*"]), events: Events())
        defer { proxy.stop(); dir.cleanup() }
        let fd = connectUnix(proxy.socketPath)
        sendAll(fd, "GET http://a.example/ HTTP/1.1\r\nX: " + String(repeating: "a", count: 70_000))
        let response = readAll(fd)
        close(fd)
        #expect(response.hasPrefix("HTTP/1.1 400"), "\(response.prefix(200))")
    }

    @Test func allowedRequestThroughTheSandboxReachesUpstream() throws {
        try SandboxTestSupport.requireSandbox()
        let upstream = UpstreamServer()
        defer { upstream.stop() }
        let workspace = TempDir("ws")
        defer { workspace.cleanup() }
        var config = SandboxTestSupport.config(
            SandboxTestSupport.shell("env | grep -i '^https\\?_proxy='; curl -sS --noproxy '' http://127.0.0.1:\(upstream.port)/inside"),
            workspace: workspace)
        config.network = .allowlist(port: 3128)
        let events = Events()
        let runner = SandboxRunner(
            egress: .init(matcher: DomainMatcher(allow: ["127.0.0.1"], ports: [upstream.port]), events: events.sink))
        let result = try runner.run(config)
        let out = workspace.read("out.txt") ?? ""
        #expect(result.exitCode == 0, "\(out)")
        #expect(out.contains("upstream saw: GET /inside HTTP/1.1"), "\(out)")
        #expect(out.contains("HTTP_PROXY=http://127.0.0.1:3128") && out.contains("HTTPS_PROXY=http://127.0.0.1:3128"), "\(out)")
        #expect(result.egress.count == 1 && result.egress[0].allowed)
        #expect(events.all.count == 1, "the injected sink must see the same events")
    }
}
