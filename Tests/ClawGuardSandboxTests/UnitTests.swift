import CClawGuardSandbox
import ClawGuardCore
import Foundation
import Testing

@testable import ClawGuardSandbox

#if canImport(Glibc)
import Glibc
#endif

@Suite struct DomainMatcherTests {
    static let matcher = DomainMatcher(
        allow: ["api.anthropic.com", "*.github.com", "Registry.NPMJS.org.", "203.0.113.7", "10.1.0.0/16", "::1"],
        deny: ["evil.github.com"], ports: [443, 80])

    @Test(arguments: [
        ("api.anthropic.com", 443, true, "allow rule 'api.anthropic.com'"),
        ("API.Anthropic.COM.", 443, true, "allow rule"),
        ("registry.npmjs.org", 80, true, "allow rule 'registry.npmjs.org'"),
        ("raw.github.com", 443, true, "'*.github.com'"),
        ("a.b.github.com", 443, true, "'*.github.com'"),
        ("github.com", 443, false, "not on the allowlist"),
        ("evil.github.com", 443, false, "deny rule 'evil.github.com'"),
        ("notgithub.com", 443, false, "not on the allowlist"),
        ("github.com.evil.example", 443, false, "not on the allowlist"),
        ("api.anthropic.com", 22, false, "port 22 is not allowed"),
        ("8.8.8.8", 443, false, "IP literal 8.8.8.8 refused"),
        ("127.0.0.1", 443, false, "IP literal"),
        ("[::ffff:127.0.0.1]", 443, false, "IP literal"),
        ("203.0.113.7", 443, true, "listed"),
        ("10.1.2.3", 443, true, "'10.1.0.0/16'"),
        ("10.2.0.1", 443, false, "IP literal"),
        ("[::1]", 443, true, "listed"),
        ("", 443, false, "malformed"),
        ("bad host.example", 443, false, "malformed"),
        ("exa\nmple.com", 443, false, "malformed"),
        (String(repeating: "a", count: 300), 443, false, "malformed"),
    ])
    func decides(host: String, port: Int, allowed: Bool, reason: String) {
        let decision = Self.matcher.decide(host: host, port: port)
        #expect(decision.allowed == allowed, "\(host): \(decision.reason)")
        #expect(decision.reason.contains(reason), "\(host): \(decision.reason)")
    }

    @Test func starAllowsNamesButNotIPLiterals() {
        let any = DomainMatcher(allow: ["*"])
        #expect(any.decide(host: "anything.example", port: 443).allowed)
        #expect(!any.decide(host: "1.2.3.4", port: 443).allowed)
    }

    @Test(arguments: [
        ("127.0.0.1", true), ("10.9.9.9", true), ("172.16.0.1", true), ("172.32.0.1", false), ("192.168.1.1", true),
        ("169.254.169.254", true), ("100.64.0.1", true), ("0.0.0.0", true), ("224.0.0.1", true), ("8.8.8.8", false),
        ("::1", true), ("::", true), ("fd00::1", true), ("fe80::1", true), ("::ffff:10.0.0.1", true),
        ("2606:4700::1111", false), ("::ffff:8.8.8.8", false),
    ])
    func privateRanges(address: String, isPrivate: Bool) {
        #expect(IPAddress(address)?.isPrivate == isPrivate, "\(address)")
    }

    @Test func resolvedPrivateAddressesNeedAListing() {
        #expect(Self.matcher.permitsResolvedAddress("93.184.215.14"))
        #expect(!Self.matcher.permitsResolvedAddress("127.0.0.1"))
        #expect(Self.matcher.permitsResolvedAddress("10.1.9.9"))
        #expect(!Self.matcher.permitsResolvedAddress("not-an-ip"))
    }
}

@Suite struct ProxyRequestTests {
    func parse(_ s: String) throws(ProxyRequestError) -> ProxyRequest { try ProxyRequest.parse(head: Array(s.utf8)) }

    @Test func connect() throws {
        let r = try parse("CONNECT api.anthropic.com:443 HTTP/1.1\r\nHost: api.anthropic.com:443")
        #expect(r.kind == .tunnel && r.host == "api.anthropic.com" && r.port == 443)
        let v6 = try parse("CONNECT [2001:db8::1]:8443 HTTP/1.1")
        #expect(v6.host == "2001:db8::1" && v6.port == 8443)
    }

    @Test func forwardRewritesToOriginFormAndDropsProxyHeaders() throws {
        let r = try parse("POST http://user:pw@example.com:8080?q=1 HTTP/1.1\r\nHost: example.com\r\nProxy-Authorization: x\r\nConnection: keep-alive\r\nX-A: b")
        #expect(r.host == "example.com" && r.port == 8080 && r.kind == .forward(path: "/?q=1"))
        let head = String(decoding: r.upstreamHead(), as: UTF8.self)
        #expect(head == "POST /?q=1 HTTP/1.1\r\nHost: example.com\r\nX-A: b\r\nConnection: close\r\n\r\n")
        #expect(try parse("GET http://example.com HTTP/1.0").port == 80)
    }

    @Test(arguments: [
        "", "GET", "GET http://a.example/ HTTP/2.0", "get http://a.example/ HTTP/1.1", "CONNECT a.example HTTP/1.1",
        "CONNECT a.example:0 HTTP/1.1", "CONNECT a.example:99999 HTTP/1.1", "CONNECT :443 HTTP/1.1",
        "CONNECT [::1:443 HTTP/1.1", "GET / HTTP/1.1", "GET ftp://a.example/ HTTP/1.1",
        "GET http://a.example/ HTTP/1.1\r\nNoColon", "GET http://a.example/ HTTP/1.1\r\nX: a\nInjected: b",
        "GET http://a.example/ HTTP/1.1\r\n: empty-name", "GET  http://a.example/ HTTP/1.1",
    ])
    func malformedIsRefused(head: String) {
        #expect(throws: ProxyRequestError.self) { try parse(head) }
    }

    @Test func hugeAndNonUTF8AreRefused() {
        #expect(throws: ProxyRequestError.self) { try ProxyRequest.parse(head: [UInt8](repeating: 0x41, count: 70_000)) }
        #expect(throws: ProxyRequestError.self) { try ProxyRequest.parse(head: [0x47, 0x45, 0x54, 0x20, 0xFF, 0xFE]) }
    }
}

@Suite struct OptionParsingTests {
    @Test(arguments: [("30s", 30_000), ("5m", 300_000), ("1h", 3_600_000), ("250ms", 250), ("7", 7_000), ("2S", 2_000)])
    func durations(text: String, milliseconds: Int64) throws {
        #expect(try SandboxOptionParsing.duration(text) == .milliseconds(milliseconds))
    }

    @Test(arguments: ["", "0s", "-5s", "5x", "s", "ms", "1.5s", "99999999999999999999h"])
    func badDurations(text: String) {
        #expect(throws: ClawGuardError.self) { try SandboxOptionParsing.duration(text) }
    }

    @Test(arguments: [("100m", UInt64(100 << 20)), ("2g", UInt64(2) << 30), ("512K", UInt64(512 << 10)), ("1024", UInt64(1024)), ("1gb", UInt64(1) << 30)])
    func sizes(text: String, bytes: UInt64) throws {
        #expect(try SandboxOptionParsing.size(text) == bytes)
    }

    @Test(arguments: ["", "0", "-1m", "1.5g", "g", "99999999999t"])
    func badSizes(text: String) {
        #expect(throws: ClawGuardError.self) { try SandboxOptionParsing.size(text) }
    }

    @Test func binds() throws {
        let b = try SandboxOptionParsing.bind("/usr/share:/data/../share", readOnly: true)
        #expect(b.source == "/usr/share" && b.target == "/share" && b.readOnly)
        #expect(throws: ClawGuardError.self) { try SandboxOptionParsing.bind("/usr:relative", readOnly: true) }
    }
}

@Suite struct ConfigurationTests {
    @Test func defaultsFollowTheReferenceHardening() {
        let c = SandboxConfiguration(command: ["true"], hostHome: "/home/u")
        #expect(c.limits.memoryBytes == 2 << 30)
        #expect(c.limits.processes == 512)
        #expect(c.tmpSizeBytes == 100 << 20 && c.tmpNoExec)
        #expect(c.network == .none)
        #expect(!c.limits.coreDumps)
        #expect(c.maskedPaths.contains("/home/u/.ssh") && c.maskedPaths.contains("/etc/shadow"))
    }

    @Test func environmentAllowlist() {
        var policy = EnvironmentPolicy()
        policy.set["FOO"] = "bar"
        let env = policy.resolve(
            caller: ["PATH": "/bin", "LC_CTYPE": "C", "OPENAI_API_KEY": "sk", "HOME": "/root", "SSH_AUTH_SOCK": "/s"],
            home: "/home/sandbox", proxy: "127.0.0.1:3128")
        #expect(env["PATH"] == "/bin" && env["LC_CTYPE"] == "C" && env["FOO"] == "bar")
        #expect(env["OPENAI_API_KEY"] == nil && env["SSH_AUTH_SOCK"] == nil)
        #expect(env["HOME"] == "/home/sandbox")
        #expect(env["HTTPS_PROXY"] == "http://127.0.0.1:3128" && env["http_proxy"] == "http://127.0.0.1:3128")
    }

    @Test func pathUtilities() {
        #expect(PathUtilities.relative("/home/u/.ssh/id", to: "/home/u") == ".ssh/id")
        #expect(PathUtilities.relative("/home/user2", to: "/home/u") == nil)
        #expect(PathUtilities.relative("/x", to: "/") == "x")
        #expect(PathUtilities.normalize("/a//b/./c/../d/") == "/a/b/d")
    }
}

@Suite struct MountPlanTests {
    let planner = MountPlanner(readLink: { path in
        switch path {
        case "/bin": "usr/bin"
        case "/lib32": ""
        default: nil
        }
    })

    @Test func systemIsReadOnlyMergedUsrLinksAreRecreatedMissingOptionalSkipped() {
        let plan = planner.plan(for: SandboxConfiguration(command: ["true"], workspace: "/w", hostHome: "/h"))
        #expect(plan.contains(MountStep(.symlink, source: "usr/bin", target: "/bin")))
        #expect(!plan.contains { $0.target == "/lib32" })
        let usr = plan.filter { $0.kind == .bind && $0.target == "/usr" }
        #expect(!usr.isEmpty && usr.allSatisfy { $0.readOnly })
        #expect(plan.contains(MountStep(.bind, source: "/w", target: "/workspace")))
        let tmp = plan.first { $0.target == "/tmp" }
        #expect(tmp?.kind == .tmpfs && tmp?.noExec == true && tmp?.data.contains("size=104857600") == true)
        #expect(plan.contains { $0.kind == .proc } && plan.contains { $0.kind == .dev })
    }

    @Test func protectedPathsAreMappedThroughEveryExposure() {
        var config = SandboxConfiguration(command: ["true"], workspace: "/home/u", hostHome: "/home/u")
        config.extraMounts = [MountSpec(source: "/home/u/.config", target: "/cfg")]
        let targets = planner.maskTargets(config)
        #expect(targets.contains("/workspace/.ssh"))
        #expect(targets.contains("/workspace/.bashrc"))
        #expect(targets.contains("/cfg/gcloud"))
        #expect(targets.contains("/etc/shadow"))
        #expect(!targets.contains("/home/u/.ssh"), "the home itself is not mounted")
    }

    @Test func overlayUsesTheLayersAndUserXattrs() {
        var config = SandboxConfiguration(command: ["true"], workspace: "/w", hostHome: "/h")
        config.overlay = OverlayLayers(lower: ["/r/up", "/w"], upper: "/t/up", work: "/t/work")
        let step = planner.plan(for: config).first { $0.kind == .overlay }
        #expect(step?.data == "lowerdir=/oldroot/r/up:/oldroot/w,upperdir=/oldroot/t/up,workdir=/oldroot/t/work,userxattr")
    }

    @Test func proxySocketDirectoryIsBoundReadOnlyOnlyInAllowlistMode() {
        var config = SandboxConfiguration(command: ["true"])
        #expect(!planner.plan(for: config, proxySocketDirectory: "/tmp/p").contains { $0.target == ProxyBridge.insideDirectory })
        config.network = .allowlist(port: 3128)
        let step = planner.plan(for: config, proxySocketDirectory: "/tmp/p").first { $0.target == ProxyBridge.insideDirectory }
        #expect(step?.source == "/tmp/p" && step?.readOnly == true)
    }
}

@Suite struct SeccompTests {
    @Test func everyDefaultRuleExistsOnThisArchitectureOrIsKnownAbsent() {
        let unknown = ClawGuardSandbox.unknownSyscalls()
        #if arch(x86_64)
        #expect(unknown.isEmpty, "rules without a system call number: \(unknown)")
        #endif
        #expect(ClawGuardSandbox.syscallNumber("no_such_call") == -1)
    }

    @Test func programIsBuiltAndBounded() {
        let ptrace = strdup("ptrace")!, bogus = strdup("bogus")!
        defer { free(ptrace); free(bogus) }
        let rules = [cg_syscall_rule(name: ptrace, action: 0), cg_syscall_rule(name: bogus, action: 0)]
        var small = [UInt64](repeating: 0, count: 4)
        #expect(cg_seccomp_build(rules, 2, &small, 4) == -1, "must refuse to overflow")
        var program = [UInt64](repeating: 0, count: 64)
        let n = cg_seccomp_build(rules, 2, &program, 64)
        #expect(n > 4 && n < 64)
        let noRules = cg_seccomp_build(nil, 0, &program, 64)
        #expect(n - noRules == 2, "one rule = one compare + one return; unknown names are skipped")
    }

    @Test func rlimitsFollowTheLimits() {
        var limits = ResourceLimits()
        limits.cpuSeconds = 10
        let withCgroup = SandboxRunner.rlimits(limits, memoryInCgroup: true)
        let without = SandboxRunner.rlimits(limits, memoryInCgroup: false)
        #expect(without.count == withCgroup.count + 1, "RLIMIT_DATA only without a memory cgroup")
        #expect(without.contains { $0.resource == Int32(RLIMIT_CORE.rawValue) && $0.hard == 0 })
        #expect(without.contains { $0.resource == Int32(RLIMIT_CPU.rawValue) && $0.soft == 10 })
    }
}

@Suite struct ResultInterpretationTests {
    func interpret(_ status: Int32, timedOut: Bool = false, events: CgroupEvents = CgroupEvents()) -> SandboxResult {
        var r = SandboxResult(
            runID: "r", exitCode: 0, signal: nil, stoppedBy: nil, events: events, cgroup: "v1", cgroupUnavailableReason: nil,
            durationSeconds: 0, egress: [], overlay: false, maskedPaths: [])
        SandboxRunner.interpret(.init(commandStatus: status, initStatus: 0, timedOut: timedOut), into: &r)
        return r
    }

    @Test func statuses() {
        #expect(interpret(3 << 8).exitCode == 3 && interpret(3 << 8).stoppedBy == nil)
        #expect(interpret(SIGSYS).stoppedBy == .refusedSystemCall && interpret(SIGSYS).exitCode == 128 + SIGSYS)
        #expect(interpret(SIGXCPU).stoppedBy == .cpuTimeLimit)
        #expect(interpret(SIGXFSZ).stoppedBy == .fileSizeLimit)
        #expect(interpret(0, timedOut: true).stoppedBy == .timeout)
        #expect(interpret(SIGKILL, events: CgroupEvents(oomKills: 1)).stoppedBy == .memoryLimit)
        #expect(interpret(SIGKILL).stoppedBy == nil, "a plain SIGKILL is the command's business")
        #expect(interpret(1 << 8, events: CgroupEvents(processLimitHits: 3)).stoppedBy == .processLimit)
        #expect(interpret(0, events: CgroupEvents(processLimitHits: 3)).stoppedBy == nil)
    }

    @Test func jsonHasEveryKey() throws {
        let data = try JSONEncoder().encode(interpret(0))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        for key in ["runID", "exitCode", "signal", "stoppedBy", "events", "cgroup", "egress", "overlay", "maskedPaths"] {
            #expect(object?.keys.contains(key) == true, "missing \(key)")
        }
    }
}

@Suite struct ContainerBackendTests {
    @Test func generatesTheReferenceHardeningFlags() throws {
        var config = SandboxConfiguration(command: ["claude", "-p", "hi"], workspace: "/work/ws", hostHome: "/work/ws")
        config.environment.set["ANTHROPIC_BASE_URL"] = "http://stub"
        let backend = ContainerBackend(engine: .docker, image: "agent-sandbox:latest")
        let args = try backend.arguments(
            for: config, name: "clawguard-x", uid: 1000, gid: 1000, callerEnvironment: ["PATH": "/bin", "SECRET": "s"],
            fileExists: { $0 == "/work/ws/.ssh" ? true : ($0 == "/work/ws/.env" ? false : nil) })
        let line = args.joined(separator: " ")
        for flag in [
            "run --rm --name clawguard-x --read-only", "--tmpfs /tmp:rw,noexec,nosuid,nodev,size=100m",
            "--security-opt no-new-privileges", "--cap-drop ALL", "--network none", "--memory 2g", "--pids-limit 512",
            "-v /work/ws:/workspace:rw", "-v /etc/passwd:/etc/passwd:ro", "--user 1000:1000", "--ulimit core=0:0",
            "--tmpfs /workspace/.ssh:ro,size=4k,mode=000", "-v /dev/null:/workspace/.env:ro", "-e ANTHROPIC_BASE_URL=http://stub",
            "-w /workspace",
        ] {
            #expect(line.contains(flag), "missing \(flag) in: \(line)")
        }
        #expect(!line.contains("SECRET"))
        #expect(Array(args.suffix(4)) == ["agent-sandbox:latest", "claude", "-p", "hi"])
    }

    @Test func allowlistAndOverlayAreRefused() {
        var config = SandboxConfiguration(command: ["true"])
        config.network = .allowlist(port: 3128)
        #expect(throws: ClawGuardError.self) {
            try ContainerBackend(engine: .podman).arguments(for: config, name: "n", uid: 0, gid: 0, callerEnvironment: [:])
        }
    }

    @Test func missingEngineIsAClearError() {
        let backend = ContainerBackend(engine: .podman, searchPath: "/nonexistent-dir")
        do {
            _ = try backend.locate()
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unsupported && error.message.contains("no podman binary"))
        }
    }

    @Test func silentEngineIsAClearError() throws {
        // docker's client may be installed without a daemon (as on the build machines): `docker info` fails.
        let dir = TempDir("engine")
        defer { dir.cleanup() }
        dir.write("docker", "#!/bin/sh\necho 'Cannot connect to the Docker daemon' >&2\nexit 1\n", mode: 0o755)
        let backend = ContainerBackend(engine: .docker, searchPath: dir.path)
        do {
            _ = try backend.run(SandboxConfiguration(command: ["true"]))
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("does not answer"), "\(error.message)")
        }
    }
}

@Suite struct ValidationTests {
    @Test(arguments: ["/", "/usr/..", "/etc/../"])
    func systemDirectoriesAreNotWorkspaces(workspace: String) {
        #expect(throws: ClawGuardError.self) {
            try SandboxRunner.validate(SandboxConfiguration(command: ["true"], workspace: workspace))
        }
    }

    @Test func badConfigurationsAreRefusedBeforeAnythingRuns() {
        var c = SandboxConfiguration(command: [])
        #expect(throws: ClawGuardError.self) { try SandboxRunner.validate(c) }
        c = SandboxConfiguration(command: ["a\u{0}b"])
        #expect(throws: ClawGuardError.self) { try SandboxRunner.validate(c) }
        c = SandboxConfiguration(command: ["true"], workspace: "/nonexistent-\(UUID().uuidString)")
        #expect(throws: ClawGuardError.self) { try SandboxRunner.validate(c) }
        c = SandboxConfiguration(command: ["true"])
        c.workingDirectory = "relative"
        #expect(throws: ClawGuardError.self) { try SandboxRunner.validate(c) }
        c = SandboxConfiguration(command: ["true"])
        c.network = .allowlist(port: 70000)
        #expect(throws: ClawGuardError.self) { try SandboxRunner.validate(c) }
        c = SandboxConfiguration(command: ["true"])
        c.timeout = .zero
        #expect(throws: ClawGuardError.self) { try SandboxRunner.validate(c) }
    }
}

@Suite struct CgroupTests {
    @Test func unusableHierarchyIsReportedAndLeavesNothingBehind() throws {
        // A directory that looks like a cgroup v2 root but whose new group has no control files.
        let root = TempDir("cgroot")
        defer { root.cleanup() }
        root.write("cgroup.controllers", "memory pids\n")
        root.write("cgroup.subtree_control", "")
        do {
            _ = try SandboxCgroup.create(name: "clawguard-test", limits: ResourceLimits(), root: root.path)
            Issue.record("expected CgroupUnavailable")
        } catch {
            #expect(error.description.contains("memory.max"), "\(error.description)")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix("clawguard-") }
        #expect(leftovers.isEmpty, "a half-made cgroup was left: \(leftovers)")
    }

    /// A cgroup whose creator died (SIGKILL) is removed by the next run; one whose creator lives stays.
    @Test func stalePerRunGroupsAreSweptLiveOnesStay() throws {
        let base = TempDir("cgbase")
        defer { base.cleanup() }
        let stale = SandboxCgroup.name(forRun: "old", pid: Int32.max)  // no such process
        let live = SandboxCgroup.name(forRun: "busy", pid: getppid())
        let foreign = "user-service"
        for name in [stale, live, foreign] { try FileManager.default.createDirectory(atPath: base.path + "/" + name, withIntermediateDirectories: false) }
        #expect(SandboxCgroup.sweepStale(in: base.path) == [stale])
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: base.path))
        #expect(left == [live, foreign])
    }

    @Test func missingHierarchyIsReported() {
        #expect(throws: CgroupUnavailable.self) {
            try SandboxCgroup.create(name: "x", limits: ResourceLimits(), root: "/nonexistent-cgroup-root")
        }
    }
}

@Suite struct PathNormalizationFastPathTests {
    /// The normalisation before the fast path was added.
    static func slowNormalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    @Test func fastPathAgreesWithTheFullNormalisation() {
        let pieces = ["", "/", "//", ".", "..", "...", "a", "bc", ".x", "x.", "..y"]
        var paths: [String] = []
        for a in pieces { for b in pieces { for c in pieces { paths.append(a + b + c); paths.append("/" + a + "/" + b + c) } } }
        paths += ["/", "/usr", "/usr/", "/usr/./bin", "/usr/../etc", "/home/u/.ssh", "/a/b/...", "/a/.../b", "usr/bin"]
        for p in paths {
            #expect(PathUtilities.isNormalized(p) == (Self.slowNormalize(p) == p), "\(p)")
            #expect(PathUtilities.normalize(p) == Self.slowNormalize(p), "\(p)")
        }
    }
}
