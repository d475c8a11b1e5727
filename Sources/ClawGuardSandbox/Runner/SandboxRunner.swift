import CClawGuardSandbox
import ClawGuardCore
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs commands inside the native Linux sandbox (user, mount, pid, network, ipc and uts namespaces; a
/// new read-only root; seccomp; no capabilities; rlimits and cgroups; a wall-clock timeout).
///
/// `run` blocks the calling thread until the command ends.
public struct SandboxRunner: Sendable {
    /// Decides outbound connections in `allowlist` network mode.
    public var egress: EgressProxy.Configuration
    /// Use cgroups when the host allows it.
    public var useCgroups: Bool
    /// The caller's environment (for the variable allowlist).
    public var callerEnvironment: [String: String]
    /// Where the proxy's socket directory is created.
    public var scratchDirectory: String

    /// - Parameters:
    ///   - egress: the egress decision and event sink (default: refuse everything).
    ///   - useCgroups: whether to put the sandbox in its own cgroup when possible.
    public init(
        egress: EgressProxy.Configuration = EgressProxy.Configuration(decide: { _, _ in .deny("no egress rules given") }),
        useCgroups: Bool = true,
        callerEnvironment: [String: String] = Environment.all,
        scratchDirectory: String = Environment.value("TMPDIR") ?? "/tmp"
    ) {
        self.egress = egress
        self.useCgroups = useCgroups
        self.callerEnvironment = callerEnvironment
        self.scratchDirectory = scratchDirectory
    }

    /// Runs `config.command` in the sandbox.
    /// - Parameter runID: the identifier recorded in the result (and naming the cgroup); generated if `nil`.
    /// - Returns: the exit status, and which limit or rule stopped the command, if any.
    /// - Throws: `ClawGuardError` (`.invalidInput`, `.sandbox`, `.unsupported`) when the sandbox cannot be
    ///   set up as configured. The command has not run then: no silent downgrade.
    public func run(_ config: SandboxConfiguration, runID: String? = nil) throws(ClawGuardError) -> SandboxResult {
        try Self.validate(config)
        let id = runID ?? RunID.generate()
        let start = DispatchTime.now()

        // Egress proxy (allowlist mode): a private directory holding only its socket.
        var proxy: EgressProxy?
        var proxyDirectory: String?
        let collected = Mutex<[EgressEvent]>([])
        if case .allowlist = config.network {
            var template = Array("\(scratchDirectory)/clawguard-proxy-XXXXXX".utf8CString)
            guard let dir = mkdtemp(&template) else {
                throw ClawGuardError(.sandbox, "cannot create the proxy socket directory in \(scratchDirectory): \(SandboxCgroup.errnoText())")
            }
            let path = String(cString: dir)
            chmod(path, 0o755)
            proxyDirectory = path
            var egress = self.egress
            let sink = egress.events
            egress.events = { event in
                collected.withLock { $0.append(event) }
                sink(event)
            }
            do {
                proxy = try EgressProxy(socketPath: path + "/" + ProxyBridge.socketName, configuration: egress)
            } catch {
                rmdir(path)
                throw error
            }
        }
        defer {
            proxy?.stop()
            if let proxyDirectory { rmdir(proxyDirectory) }
        }

        let steps = MountPlanner().plan(for: config, proxySocketDirectory: proxyDirectory)
        let proxyAddress: String? =
            if case .allowlist(let port) = config.network { "127.0.0.1:\(port)" } else { nil }
        let environment = config.environment.resolve(caller: callerEnvironment, home: config.homeDirectory, proxy: proxyAddress)

        var cgroup: SandboxCgroup?
        var cgroupReason: String?
        if useCgroups {
            do { cgroup = try SandboxCgroup.create(name: SandboxCgroup.name(forRun: id), limits: config.limits) } catch {
                cgroupReason = error.description
            }
        } else {
            cgroupReason = "cgroups disabled"
        }
        defer { cgroup?.remove() }

        let outcome = try Self.spawnAndWait(config: config, steps: steps, environment: environment, cgroup: &cgroup, cgroupReason: &cgroupReason)
        proxy?.stop()
        let events = cgroup?.events() ?? CgroupEvents()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        var result = SandboxResult(
            runID: id, exitCode: 0, signal: nil, stoppedBy: nil, events: events, cgroup: cgroup?.version.rawValue,
            cgroupUnavailableReason: cgroup == nil ? cgroupReason : nil, durationSeconds: elapsed,
            egress: collected.withLock { $0 }, overlay: config.overlay != nil,
            maskedPaths: steps.filter { $0.kind == .mask }.map(\.target))
        Self.interpret(outcome, into: &result)
        if outcome.forwardedSignal != 0 {
            result.stoppedBy = .interrupted
        }
        return result
    }

    struct Outcome {
        var commandStatus: Int32
        var initStatus: Int32
        var timedOut: Bool
        var forwardedSignal: Int32 = 0
    }

    /// For the command-line tool only: SIGINT, SIGTERM, SIGHUP and SIGQUIT kill the running sandbox
    /// instead of the tool, which then cleans up and reports `interrupted`.
    public static func forwardTerminationSignals() { cg_enable_signal_forwarding() }

    static func interpret(_ outcome: Outcome, into result: inout SandboxResult) {
        let status = outcome.commandStatus
        if outcome.timedOut {
            result.signal = SIGKILL
            result.exitCode = 128 + SIGKILL
            result.stoppedBy = .timeout
            return
        }
        if status == -1 {
            // The init died without reporting: it was killed (memory limit) or crashed.
            result.signal = SIGKILL
            result.exitCode = 128 + SIGKILL
            result.stoppedBy = result.events.oomKills > 0 ? .memoryLimit : nil
            return
        }
        let termSig = status & 0x7f
        if termSig == 0 {
            result.exitCode = (status >> 8) & 0xff
        } else {
            result.signal = termSig
            result.exitCode = 128 + termSig
        }
        switch result.signal {
        case SIGSYS: result.stoppedBy = .refusedSystemCall
        case SIGXCPU: result.stoppedBy = .cpuTimeLimit
        case SIGXFSZ: result.stoppedBy = .fileSizeLimit
        case SIGKILL where result.events.oomKills > 0: result.stoppedBy = .memoryLimit
        default:
            if result.events.oomKills > 0 && result.exitCode != 0 {
                result.stoppedBy = .memoryLimit
            } else if result.events.processLimitHits > 0 && result.exitCode != 0 {
                result.stoppedBy = .processLimit
            }
        }
    }

    static func validate(_ config: SandboxConfiguration) throws(ClawGuardError) {
        guard let first = config.command.first, !first.isEmpty else {
            throw ClawGuardError(.invalidInput, "no command given: clawguard run [options] -- COMMAND [ARGS…]")
        }
        for s in config.command + [config.workspaceMountPoint, config.homeDirectory] where s.utf8.contains(0) {
            throw ClawGuardError(.invalidInput, "an argument contains a NUL byte")
        }
        if let workspace = config.workspace {
            let normalized = PathUtilities.normalize(workspace)
            if let system = (["/"] + config.systemMounts.map(\.source)).first(where: { PathUtilities.relative($0, to: normalized) != nil }) {
                throw ClawGuardError(
                    .invalidInput,
                    "refusing \(workspace) as the workspace: it contains \(system), which the sandbox keeps read-only; choose a project directory")
            }
            var st = stat()
            guard stat(workspace, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
                throw ClawGuardError(.invalidInput, "the workspace \(workspace) is not an existing directory")
            }
        }
        for path in [config.workspaceMountPoint, config.homeDirectory, config.effectiveWorkingDirectory] {
            guard path.hasPrefix("/"), PathUtilities.normalize(path) == path || path == "/" else {
                throw ClawGuardError(.invalidInput, "sandbox path \(path) must be absolute and normalized")
            }
        }
        if let timeout = config.timeout, timeout <= .zero {
            throw ClawGuardError(.invalidInput, "the timeout must be positive")
        }
        if case .allowlist(let port) = config.network, !(1...65535).contains(port) {
            throw ClawGuardError(.invalidInput, "proxy port \(port) is out of range")
        }
    }

    // MARK: - Handing the plan to C

    private static func spawnAndWait(
        config: SandboxConfiguration, steps: [MountStep], environment: [String: String], cgroup: inout SandboxCgroup?,
        cgroupReason: inout String?
    ) throws(ClawGuardError) -> Outcome {
        var strings: [UnsafeMutablePointer<CChar>] = []
        defer { for s in strings { free(s) } }
        func c(_ s: String) -> UnsafePointer<CChar> {
            let p = strdup(s)!
            strings.append(p)
            return UnsafePointer(p)
        }
        let argv: [UnsafePointer<CChar>?] = config.command.map { c($0) } + [nil]
        let envp: [UnsafePointer<CChar>?] = environment.sorted { $0.key < $1.key }.map { c("\($0.key)=\($0.value)") } + [nil]
        let mounts: [cg_mount_op] = steps.map { step in
            var flags: Int32 = 0
            if step.readOnly { flags |= Int32(CG_MF_RDONLY.rawValue) }
            if step.noExec { flags |= Int32(CG_MF_NOEXEC.rawValue) }
            if step.optional { flags |= Int32(CG_MF_OPTIONAL.rawValue) }
            return cg_mount_op(kind: Int32(step.kind.cValue), flags: flags, source: c(step.source), target: c(step.target), data: c(step.data))
        }
        // With a memory cgroup the whole tree is limited there (and an overrun is an OOM kill we can
        // report); the per-process RLIMIT_DATA is the fallback without one.
        let rlimits = Self.rlimits(config.limits, memoryInCgroup: cgroup?.hasMemoryController ?? false)
        let rules: [cg_syscall_rule] = config.seccomp.map { rule in
            let action: cg_seccomp_action =
                switch rule.action {
                case .kill: CG_SECCOMP_KILL
                case .errorEPERM: CG_SECCOMP_EPERM
                case .errorENOSYS: CG_SECCOMP_ENOSYS
                }
            return cg_syscall_rule(name: c(rule.name), action: Int32(action.rawValue))
        }
        var filter = [UInt64](repeating: 0, count: 512)
        let filterLength = rules.withUnsafeBufferPointer { cg_seccomp_build($0.baseAddress, Int32($0.count), &filter, Int32(filter.count)) }
        guard filterLength > 0 else { throw ClawGuardError(.internalError, "the seccomp filter does not fit") }

        let uid = getuid(), gid = getgid()
        let proxyPort: Int32 = if case .allowlist(let port) = config.network { Int32(port) } else { 0 }
        let cwd = c(config.effectiveWorkingDirectory), hostname = c(config.hostname), bridge = c(ProxyBridge.insideSocket)
        var errbuf = [CChar](repeating: 0, count: 1024)
        var handle = cg_spawn_handle()

        let started: Int32 = argv.withUnsafeBufferPointer { argvP in
            envp.withUnsafeBufferPointer { envpP in
                mounts.withUnsafeBufferPointer { mountsP in
                    rlimits.withUnsafeBufferPointer { rlimitsP in
                        filter.withUnsafeBytes { filterP in
                            var spawn = cg_spawn_config(
                                argv: argvP.baseAddress, envp: envpP.baseAddress, cwd: cwd, hostname: hostname,
                                mounts: mountsP.baseAddress, mount_count: Int32(mountsP.count),
                                rlimits: rlimitsP.baseAddress, rlimit_count: Int32(rlimitsP.count),
                                filter: filterP.baseAddress, filter_len: filterLength,
                                new_session: config.newSession ? 1 : 0, bridge_port: proxyPort, bridge_socket: bridge,
                                outer_uid: uid, outer_gid: gid, inner_uid: uid, inner_gid: gid)
                            return cg_spawn_start(&spawn, &handle, &errbuf, errbuf.count)
                        }
                    }
                }
            }
        }
        guard started == 0 else { throw ClawGuardError(.unsupported, String(cString: errbuf)) }
        if let group = cgroup {
            do { try group.add(pid: handle.pid) } catch {
                // The limits were planned with this cgroup: never run without them.
                cg_spawn_kill(&handle)
                throw ClawGuardError(.sandbox, "cannot apply the sandbox's limits: \(error.description)")
            }
        }
        guard cg_spawn_release(&handle, &errbuf, errbuf.count) == 0 else {
            throw ClawGuardError(.sandbox, String(cString: errbuf))
        }
        let timeoutMs: Int32
        if let timeout = config.timeout {
            let ms = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
            timeoutMs = Int32(clamping: max(1, ms))
        } else {
            timeoutMs = -1
        }
        var commandStatus: Int32 = -1, initStatus: Int32 = -1, timedOut: Int32 = 0
        cg_spawn_wait(&handle, timeoutMs, &commandStatus, &initStatus, &timedOut)
        return Outcome(
            commandStatus: commandStatus, initStatus: initStatus, timedOut: timedOut != 0, forwardedSignal: cg_forwarded_signal())
    }

    static func rlimits(_ limits: ResourceLimits, memoryInCgroup: Bool) -> [cg_rlimit] {
        var result: [cg_rlimit] = []
        func add(_ resource: __rlimit_resource, _ soft: UInt64, _ hard: UInt64) {
            result.append(cg_rlimit(resource: Int32(resource.rawValue), soft: soft, hard: hard))
        }
        if let memory = limits.memoryBytes, !memoryInCgroup { add(RLIMIT_DATA, memory, memory) }
        if let processes = limits.processes { add(__RLIMIT_NPROC, UInt64(processes), UInt64(processes)) }
        if let cpu = limits.cpuSeconds { add(RLIMIT_CPU, UInt64(cpu), UInt64(cpu) + 5) }
        if let files = limits.openFiles { add(RLIMIT_NOFILE, UInt64(files), UInt64(files)) }
        if let size = limits.fileSizeBytes { add(RLIMIT_FSIZE, size, size) }
        if !limits.coreDumps { add(RLIMIT_CORE, 0, 0) }
        return result
    }
}

extension MountStep.Kind {
    var cValue: UInt32 {
        switch self {
        case .bind: CG_MOUNT_BIND.rawValue
        case .tmpfs: CG_MOUNT_TMPFS.rawValue
        case .proc: CG_MOUNT_PROC.rawValue
        case .dev: CG_MOUNT_DEV.rawValue
        case .overlay: CG_MOUNT_OVERLAY.rawValue
        case .mask: CG_MOUNT_MASK.rawValue
        case .symlink: CG_MOUNT_SYMLINK.rawValue
        case .directory: CG_MOUNT_DIR.rawValue
        }
    }
}

/// Run identifiers: sortable by time, unique enough for one machine.
public enum RunID {
    public static func generate() -> String {
        var t = time(nil)
        var tmv = tm()
        gmtime_r(&t, &tmv)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        // `%04d%02d%02d-%02d%02d%02d`, without String(format:) (Foundation's formatter costs more than the mounts).
        let stamp = pad(tmv.tm_year + 1900, 4) + pad(tmv.tm_mon + 1, 2) + pad(tmv.tm_mday, 2) + "-"
            + pad(tmv.tm_hour, 2) + pad(tmv.tm_min, 2) + pad(tmv.tm_sec, 2)
        let suffix = (0..<6).map { _ in "0123456789abcdefghijklmnopqrstuvwxyz".randomElement()! }
        return stamp + "-" + String(suffix)
    }

    /// Whether `id` has the shape of a run identifier (no path tricks).
    public static func isValid(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x2D || c == 0x5F
        }
    }
}
