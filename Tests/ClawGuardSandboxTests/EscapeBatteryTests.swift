import ClawGuardCore
import Foundation
import Testing

@testable import ClawGuardSandbox

#if canImport(Glibc)
import Glibc
#endif

/// The escape battery: each attempt runs in the real sandbox, must be contained and reported, and must
/// leave the host untouched. Serialized: the bombs are heavy for a shared 2-core machine.
@Suite(.serialized)
struct EscapeBatteryTests {
    @Test func readPlantedSSHKeyIsMasked() throws {
        try SandboxTestSupport.requireSandbox()
        let home = TempDir("home")
        defer { home.cleanup() }
        let secret = "-----BEGIN OPENSSH PRIVATE KEY----- planted-\(UUID().uuidString)"
        home.write(".ssh/id_rsa", secret, mode: 0o600)
        home.write(".bashrc", "export TOKEN=planted-rc")
        // Worst case: the agent is started in the home directory, which becomes the workspace.
        let config = SandboxTestSupport.config(
            SandboxTestSupport.shell(
                "cat /workspace/.ssh/id_rsa; ls -la /workspace/.ssh; cat /workspace/.bashrc; echo x > /workspace/.ssh/id_rsa"),
            workspace: home)
        let result = try SandboxRunner().run(config)
        let out = home.read("out.txt") ?? ""
        #expect(!out.contains("planted"), "the planted key or rc file was readable: \(out)")
        #expect(result.maskedPaths.contains("/workspace/.ssh"))
        #expect(result.maskedPaths.contains("/workspace/.bashrc"))
        #expect(result.exitCode != 0, "writing into the masked .ssh must fail")
        #expect(home.read(".ssh/id_rsa") == secret, "host key changed")
    }

    @Test func writesOutsideTheWorkspaceAndToEtcFail() throws {
        try SandboxTestSupport.requireSandbox()
        let workspace = TempDir("ws"), outside = TempDir("outside")
        defer {
            workspace.cleanup()
            outside.cleanup()
        }
        let passwdBefore = SandboxTestSupport.contents("/etc/passwd")
        let marker = outside.file("escaped-marker")
        let script = """
            echo pwned > \(marker) && echo WROTE-OUTSIDE; echo 'evil:x:0:0::/:/bin/sh' >> /etc/passwd && echo WROTE-ETC; \
            touch /usr/evil && echo WROTE-USR; touch /evil && echo WROTE-ROOT; echo inside > /workspace/ok
            """
        let result = try SandboxRunner().run(SandboxTestSupport.config(SandboxTestSupport.shell(script), workspace: workspace))
        let out = workspace.read("out.txt") ?? ""
        #expect(!out.contains("WROTE"), "a write outside the workspace succeeded: \(out)")
        #expect(out.contains("Read-only file system"), "unexpected failure mode: \(out)")
        #expect(result.exitCode == 0)
        #expect(!FileManager.default.fileExists(atPath: marker), "marker created on the host")
        #expect(SandboxTestSupport.contents("/etc/passwd") == passwdBefore, "/etc/passwd changed")
        #expect(!FileManager.default.fileExists(atPath: "/usr/evil") && !FileManager.default.fileExists(atPath: "/evil"))
        #expect(workspace.read("ok") == "inside\n", "the workspace itself must stay writable")
    }

    @Test func hostLoopbackPortIsUnreachable() throws {
        try SandboxTestSupport.requireSandbox()
        let workspace = TempDir("ws")
        defer { workspace.cleanup() }
        let listener = HostListener()
        let script = "exec >/workspace/out.txt 2>&1; echo hello > /dev/tcp/127.0.0.1/\(listener.port) && echo CONNECTED; exit 0"
        let result = try SandboxRunner().run(SandboxTestSupport.config(["/bin/bash", "-c", script], workspace: workspace))
        let out = workspace.read("out.txt") ?? ""
        #expect(!out.contains("CONNECTED"), "\(out)")
        #expect(out.contains("Connection refused"), "\(out)")
        #expect(result.exitCode == 0)
        #expect(!listener.connectionArrived(), "the host listener received a connection")
    }

    @Test func proxyRefusesUnlistedDomainAndIPLiteral() throws {
        try SandboxTestSupport.requireSandbox()
        let workspace = TempDir("ws")
        defer { workspace.cleanup() }
        let listener = HostListener()
        var config = SandboxTestSupport.config(
            SandboxTestSupport.shell(
                """
                curl -sS -o /dev/null -w 'evil:%{http_code}\\n' http://evil.example/; \
                curl -sS -o /dev/null -w 'literal:%{http_code}\\n' --noproxy '' http://127.0.0.1:\(listener.port)/; \
                curl -sS -o /dev/null -w 'tls:%{http_code}\\n' https://evil.example/; \
                curl -sS -m 5 -o /dev/null -w 'direct:%{http_code}\\n' --noproxy '*' http://93.184.215.14/; \
                getent hosts example.com && echo DNS-RESOLVED; exit 0
                """),
            workspace: workspace)
        config.network = .allowlist(port: NetworkMode.defaultProxyPort)
        let matcher = DomainMatcher(allow: ["*.allowed.example"], ports: [80, 443, listener.port])
        let result = try SandboxRunner(egress: EgressProxy.Configuration(matcher: matcher)).run(config)
        let out = workspace.read("out.txt") ?? ""
        #expect(out.contains("evil:403"), "\(out)")
        #expect(out.contains("literal:403"), "\(out)")
        #expect(!out.contains("direct:200") && !out.contains("DNS-RESOLVED"), "\(out)")
        let refused = result.egress.filter { !$0.allowed }
        #expect(refused.contains { $0.host == "evil.example" && $0.method == "GET" && $0.reason.contains("not on the allowlist") })
        #expect(refused.contains { $0.host == "evil.example" && $0.method == "CONNECT" })
        #expect(refused.contains { $0.host == "127.0.0.1" && $0.reason.contains("IP literal") })
        #expect(result.egress.allSatisfy { !$0.allowed })
        #expect(!listener.connectionArrived(), "the IP literal reached the host listener")
    }

    @Test func forkBombIsContained() throws {
        try SandboxTestSupport.requireSandbox()
        let workspace = TempDir("ws")
        defer { workspace.cleanup() }
        let marker = "forkbomb-\(UUID().uuidString.prefix(8))"
        var config = SandboxTestSupport.config(["/bin/bash", "-c", "exec 2>/dev/null; b(){ b|b& }; b; sleep 3; : \(marker)"], workspace: workspace)
        config.limits.processes = 64
        config.timeout = .seconds(20)
        let result = try SandboxRunner().run(config)
        #expect(result.cgroup != nil, "no cgroup here (\(result.cgroupUnavailableReason ?? "?")): only RLIMIT_NPROC held the bomb")
        #expect(result.events.processLimitHits > 0, "the process limit was never reached: \(result.summary)")
        #expect(result.summary.contains("process limit"), "\(result.summary)")
        #expect(SandboxTestSupport.processes(containing: marker).isEmpty, "bomb processes survived the sandbox")
    }

    @Test func memoryBombIsKilled() throws {
        try SandboxTestSupport.requireSandbox()
        let workspace = TempDir("ws")
        defer { workspace.cleanup() }
        var config = SandboxTestSupport.config(["/usr/bin/tail", "/dev/zero"], workspace: workspace)
        config.limits.memoryBytes = 128 * 1024 * 1024
        config.timeout = .seconds(60)
        let result = try SandboxRunner().run(config)
        #expect(result.exitCode != 0)
        #expect(result.cgroup != nil, "no cgroup: \(result.cgroupUnavailableReason ?? "?")")
        #expect(result.stoppedBy == .memoryLimit, "\(result.summary)")
    }

    @Test func cpuSpinPastTheTimeoutKillsTheTree() throws {
        try SandboxTestSupport.requireSandbox()
        let workspace = TempDir("ws")
        defer { workspace.cleanup() }
        let marker = "spin-\(UUID().uuidString.prefix(8))"
        var config = SandboxTestSupport.config(
            ["/bin/sh", "-c", "(while :; do :; done) & while :; do :; done; : \(marker)"], workspace: workspace)
        config.timeout = .milliseconds(700)
        let result = try SandboxRunner().run(config)
        #expect(result.stoppedBy == .timeout)
        #expect(result.exitCode == 128 + SIGKILL)
        #expect(SandboxTestSupport.processes(containing: marker).isEmpty, "spinning processes survived the timeout")
    }

    @Test func cpuTimeLimitIsReported() throws {
        try SandboxTestSupport.requireSandbox()
        let workspace = TempDir("ws")
        defer { workspace.cleanup() }
        var config = SandboxTestSupport.config(["/bin/sh", "-c", "while :; do :; done"], workspace: workspace)
        config.limits.cpuSeconds = 1
        config.timeout = .seconds(30)
        let result = try SandboxRunner().run(config)
        #expect(result.stoppedBy == .cpuTimeLimit, "\(result.summary)")
    }

    @Test func ptraceIsRefused() throws {
        try SandboxTestSupport.requireSandbox()
        let workspace = TempDir("ws")
        defer { workspace.cleanup() }
        let host = Process()
        host.executableURL = URL(fileURLWithPath: "/bin/sleep")
        host.arguments = ["30"]
        try host.run()
        defer {
            kill(host.processIdentifier, SIGKILL)  // SIGTERM may be blocked in the inherited signal mask
            host.waitUntilExit()
        }
        let nr = ClawGuardSandbox.syscallNumber("ptrace")
        // ptrace(PTRACE_ATTACH, pid) through perl's raw syscall: the host's pid, then the sandbox's pid 1.
        let script = "syscall(\(nr), 16, \(host.processIdentifier), 0, 0); syscall(\(nr), 16, 1, 0, 0); print \"SURVIVED\\n\";"
        let result = try SandboxRunner().run(SandboxTestSupport.config(["/usr/bin/perl", "-e", script], workspace: workspace))
        #expect(result.stoppedBy == .refusedSystemCall)
        #expect(result.signal == SIGSYS)
        let status = String(decoding: SandboxTestSupport.contents("/proc/\(host.processIdentifier)/status") ?? Data(), as: UTF8.self)
        #expect(status.contains("TracerPid:\t0"), "the host process is being traced")
        #expect(host.isRunning)
    }

    @Test func mountIsRefused() throws {
        try SandboxTestSupport.requireSandbox()
        let workspace = TempDir("ws")
        defer { workspace.cleanup() }
        let mountsBefore = SandboxTestSupport.contents("/proc/self/mountinfo")
        let result = try SandboxRunner().run(
            SandboxTestSupport.config(["/usr/bin/mount", "-t", "tmpfs", "none", "/workspace"], workspace: workspace))
        #expect(result.stoppedBy == .refusedSystemCall, "\(result.summary)")
        #expect(SandboxTestSupport.contents("/proc/self/mountinfo") == mountsBefore)
    }

    @Test(arguments: [
        ["/usr/bin/unshare", "-U", "/bin/true"],
        // setns(2) on the sandbox's own mount namespace file (the host's are not reachable at all).
        ["/usr/bin/perl", "-e", "open(F, '/proc/self/ns/mnt') or die; syscall(\(ClawGuardSandbox.syscallNumber("setns")), fileno(F), 0);"],
        ["/usr/bin/perl", "-e", "syscall(\(ClawGuardSandbox.syscallNumber("clone")), 0x10000000 | 17, 0, 0, 0, 0);"],
    ])
    func namespaceEscapesAreRefused(command: [String]) throws {
        try SandboxTestSupport.requireSandbox()
        let workspace = TempDir("ws")
        defer { workspace.cleanup() }
        let result = try SandboxRunner().run(SandboxTestSupport.config(command, workspace: workspace))
        #expect(result.stoppedBy == .refusedSystemCall, "\(command): \(result.summary)")
    }

    @Test func setuidBinaryGainsNothing() throws {
        try SandboxTestSupport.requireSandbox()
        let workspace = TempDir("ws")
        defer { workspace.cleanup() }
        // A setuid copy of `id` owned by another uid: if the bit worked, the effective uid would change.
        try FileManager.default.copyItem(atPath: "/usr/bin/id", toPath: workspace.file("suid-id"))
        chown(workspace.file("suid-id"), 4242, 4242)
        chmod(workspace.file("suid-id"), 0o4755)
        let result = try SandboxRunner().run(
            SandboxTestSupport.config(
                SandboxTestSupport.shell("/workspace/suid-id -u; grep NoNewPrivs /proc/self/status"), workspace: workspace))
        let out = workspace.read("out.txt") ?? ""
        #expect(result.exitCode == 0, "\(out)")
        #expect(out.hasPrefix("\(getuid())\n"), "setuid took effect: \(out)")
        #expect(out.contains("NoNewPrivs:\t1"))
    }

    @Test func hostProcessesCannotBeSignalled() throws {
        try SandboxTestSupport.requireSandbox()
        let workspace = TempDir("ws")
        defer { workspace.cleanup() }
        let host = Process()
        host.executableURL = URL(fileURLWithPath: "/bin/sleep")
        host.arguments = ["30"]
        try host.run()
        defer {
            kill(host.processIdentifier, SIGKILL)  // SIGTERM may be blocked in the inherited signal mask
            host.waitUntilExit()
        }
        let pid = host.processIdentifier
        _ = try SandboxRunner().run(
            SandboxTestSupport.config(
                SandboxTestSupport.shell("kill -9 \(pid) && echo KILLED; kill -9 -1; echo done"), workspace: workspace))
        let out = workspace.read("out.txt") ?? ""
        #expect(!out.contains("KILLED"), "\(out)")
        usleep(100_000)
        #expect(host.isRunning, "the host process was killed from inside the sandbox")
    }

    @Test func hostProcOneEnvironIsUnreadable() throws {
        try SandboxTestSupport.requireSandbox()
        let workspace = TempDir("ws")
        defer { workspace.cleanup() }
        let hostHome = Environment.value("HOME") ?? "/root"
        let result = try SandboxRunner().run(
            SandboxTestSupport.config(
                SandboxTestSupport.shell("cat /proc/1/environ; echo; head -c 4096 /proc/1/mem; cat /proc/1/cmdline"),
                workspace: workspace))
        let out = workspace.read("out.txt") ?? ""
        #expect(result.exitCode == 0, "\(out)")
        #expect(out.contains("Permission denied"), "\(out)")
        #expect(!out.contains("HOME=\(hostHome)"), "the host environment leaked: \(out)")
        #expect(!out.contains("PATH="), "an environment leaked: \(out)")
    }

    @Test func tmpIsNoexecAndSizeLimited() throws {
        try SandboxTestSupport.requireSandbox()
        let workspace = TempDir("ws")
        defer { workspace.cleanup() }
        var config = SandboxTestSupport.config(
            SandboxTestSupport.shell("cp /bin/true /tmp/t && /tmp/t && echo EXECUTED; head -c 3000000 /dev/zero > /tmp/big || echo FULL"),
            workspace: workspace)
        config.tmpSizeBytes = 1024 * 1024
        _ = try SandboxRunner().run(config)
        let out = workspace.read("out.txt") ?? ""
        #expect(!out.contains("EXECUTED"), "\(out)")
        #expect(out.contains("Permission denied"), "\(out)")
        #expect(out.contains("FULL"), "\(out)")
    }

    @Test func environmentIsMinimal() throws {
        try SandboxTestSupport.requireSandbox()
        let workspace = TempDir("ws")
        defer { workspace.cleanup() }
        var runner = SandboxRunner()
        runner.callerEnvironment = ["PATH": "/usr/bin:/bin", "AWS_SECRET_ACCESS_KEY": "planted-secret", "LC_ALL": "C", "TERM": "dumb"]
        _ = try runner.run(SandboxTestSupport.config(SandboxTestSupport.shell("env; pwd"), workspace: workspace))
        let out = workspace.read("out.txt") ?? ""
        #expect(!out.contains("planted-secret"), "\(out)")
        #expect(out.contains("LC_ALL=C") && out.contains("HOME=/home/sandbox") && out.contains("TERM=dumb"), "\(out)")
        #expect(out.contains("\n/workspace\n") || out.hasSuffix("/workspace\n"), "\(out)")
    }

    @Test func missingCommandIsAClearSetupError() throws {
        try SandboxTestSupport.requireSandbox()
        do {
            _ = try SandboxRunner().run(SandboxConfiguration(command: ["no-such-command-\(UUID().uuidString)"]))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .sandbox)
            #expect(error.message.contains("execute no-such-command"), "\(error.message)")
        }
    }
}
