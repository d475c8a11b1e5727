import ClawGuardCore
import Foundation
import Testing

@testable import ClawGuardSandbox

#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under /tmp, removed by `cleanup()`.
struct TempDir {
    let path: String

    init(_ label: String = "t") {
        var template = Array("/tmp/clawguard-sandbox-test-\(label)-XXXXXX".utf8CString)
        path = String(cString: mkdtemp(&template)!)
        chmod(path, 0o755)
    }

    func file(_ rel: String) -> String { path + "/" + rel }

    func write(_ rel: String, _ text: String, mode: Int = 0o644) {
        let full = file(rel)
        try? FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: full, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
    }

    func read(_ rel: String) -> String? {
        FileManager.default.contents(atPath: file(rel)).map { String(decoding: $0, as: UTF8.self) }
    }

    func exists(_ rel: String) -> Bool { FileManager.default.fileExists(atPath: file(rel)) }

    func cleanup() { RunStore.removeTree(path) }
}

enum SandboxTestSupport {
    /// Fails the calling test with a clear message when this machine cannot create the sandbox (no
    /// silent skip): the message says what the kernel refused.
    static func requireSandbox() throws {
        do {
            let result = try SandboxRunner().run(SandboxConfiguration(command: ["/bin/true"]))
            guard result.exitCode == 0 else {
                throw ClawGuardError(.sandbox, "the sandbox cannot run /bin/true here (exit \(result.exitCode))")
            }
        } catch {
            Issue.record("The sandbox tests need Linux user/mount/pid/net namespaces; this machine refused: \(error)")
            throw error
        }
    }

    /// A configuration whose workspace is `workspace` and whose protected paths are anchored at `home`.
    static func config(_ command: [String], workspace: TempDir, home: String? = nil) -> SandboxConfiguration {
        var config = SandboxConfiguration(command: command, workspace: workspace.path, hostHome: home ?? workspace.path)
        config.timeout = .seconds(60)
        return config
    }

    /// `sh -c SCRIPT`, stdout and stderr into `/workspace/out.txt`.
    static func shell(_ script: String) -> [String] {
        ["/bin/sh", "-c", "exec >/workspace/out.txt 2>&1; " + script]
    }

    /// Host processes whose command line contains `marker`.
    static func processes(containing marker: String) -> [Int32] {
        let me = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard pid != me, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data, as: UTF8.self).contains(marker)
        }
    }

    static func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// The built `clawguard` executable (`swift build` runs before `swift test` in scripts/test.sh).
    static func clawguardBinary() throws -> String {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<2 { dir.deleteLastPathComponent() }
        for config in ["debug", "release"] {
            let candidate = dir.appendingPathComponent(".build/\(config)/clawguard").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        Issue.record("the clawguard executable is not built: run `swift build` before `swift test`")
        throw ClawGuardError(.notFound, "clawguard binary missing")
    }

    /// Runs a process, returning (status, stdout+stderr).
    static func execute(_ path: String, _ args: [String], environment: [String: String]? = nil) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = args
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// A TCP listener on the host's loopback that records whether anyone connected.
final class HostListener: @unchecked Sendable {
    let fd: Int32
    let port: Int

    init() {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        listen(fd, 16)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = Int(UInt16(bigEndian: addr.sin_port))
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    /// Whether a connection is waiting (non-blocking accept).
    func connectionArrived() -> Bool {
        let c = accept(fd, nil, nil)
        if c >= 0 {
            close(c)
            return true
        }
        return false
    }

    deinit { close(fd) }
}

/// A tiny upstream server on the host's loopback: answers each connection with a fixed HTTP response, or
/// echoes (for tunnels). Serves until `stop()`.
final class UpstreamServer: @unchecked Sendable {
    let listener = HostListener()
    let echo: Bool
    var port: Int { listener.port }

    init(echo: Bool = false) {
        self.echo = echo
        _ = fcntl(listener.fd, F_SETFL, fcntl(listener.fd, F_GETFL) & ~O_NONBLOCK)
        let server = self
        Thread.detachNewThread { server.loop() }
    }

    private func loop() {
        while true {
            let c = accept(listener.fd, nil, nil)
            guard c >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 65536)
            if echo {
                while true {
                    let n = read(c, &buffer, buffer.count)
                    if n <= 0 { break }
                    _ = write(c, buffer, n)
                }
            } else {
                let n = read(c, &buffer, buffer.count)
                let request = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
                let firstLine = request.split(separator: "\r\n").first.map(String.init) ?? ""
                let body = "upstream saw: \(firstLine)\n"
                let response = "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
                _ = response.withCString { write(c, $0, strlen($0)) }
            }
            close(c)
        }
    }

    func stop() { shutdown(listener.fd, Int32(SHUT_RDWR)) }
}

/// Connects to a unix socket; returns the fd or -1.
func connectUnix(_ path: String) -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_un()
    addr.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &addr.sun_path) { raw in
        for (i, b) in path.utf8.enumerated() { raw[i] = b }
    }
    let r = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    if r != 0 {
        close(fd)
        return -1
    }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    return fd
}

func sendAll(_ fd: Int32, _ text: String) {
    _ = text.withCString { write(fd, $0, strlen($0)) }
}

/// Reads until EOF (or timeout) and returns the text.
func readAll(_ fd: Int32, limit: Int = 1 << 20) -> String {
    var data: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 8192)
    while data.count < limit {
        let n = read(fd, &buffer, buffer.count)
        if n <= 0 { break }
        data += buffer[0..<n]
    }
    return String(decoding: data, as: UTF8.self)
}

/// Reads once (up to 64 KiB).
func readSome(_ fd: Int32) -> String {
    var buffer = [UInt8](repeating: 0, count: 65536)
    let n = read(fd, &buffer, buffer.count)
    return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
}
