import ClawGuardCore

/// Everything that defines one sandboxed run, as a plain value. The defaults follow the reference design's
/// hardened container flags: read-only root, `/tmp` tmpfs 100 MB noexec, no new privileges, all capabilities
/// dropped, no network, 2 GB memory, 512 processes.
public struct SandboxConfiguration: Sendable, Equatable {
    /// The command and its arguments, resolved inside the sandbox (`PATH` search when it has no `/`).
    public var command: [String]
    /// The host directory mounted read-write (or copy-on-write, see `overlay`) at `workspaceMountPoint`.
    /// `nil`: no workspace.
    public var workspace: String?
    /// Where the workspace appears inside the sandbox.
    public var workspaceMountPoint: String
    /// Copy-on-write layers for the workspace; `nil` mounts the workspace read-write.
    public var overlay: OverlayLayers?
    /// Host directories bound read-only at the same path (the system: `/usr`, `/etc`, …).
    public var systemMounts: [MountSpec]
    /// Additional binds (`--ro-bind`, `--bind`).
    public var extraMounts: [MountSpec]
    /// Host paths hidden inside the sandbox (credentials, agent configs, shell rc files): an empty
    /// directory or an empty file is shown instead. Mapped through every mount that exposes them.
    public var maskedPaths: [String]
    /// Resource limits.
    public var limits: ResourceLimits
    /// Size of the `/tmp` tmpfs in bytes.
    public var tmpSizeBytes: UInt64
    /// Whether `/tmp` (and the sandbox home) refuse execution.
    public var tmpNoExec: Bool
    /// Network access.
    public var network: NetworkMode
    /// Which variables of the caller's environment pass in, and which are set.
    public var environment: EnvironmentPolicy
    /// Wall-clock limit; the whole process tree is killed when it passes. `nil`: none.
    public var timeout: Duration?
    /// `HOME` inside the sandbox (a private tmpfs).
    public var homeDirectory: String
    /// The working directory inside; `nil`: the workspace mount point (or `/` without a workspace).
    public var workingDirectory: String?
    /// The host name inside the sandbox's UTS namespace.
    public var hostname: String
    /// System calls refused, and how.
    public var seccomp: [SeccompRule]
    /// Detach from the controlling terminal (`setsid`), so the command cannot inject keystrokes into it.
    public var newSession: Bool

    /// A configuration with the reference defaults.
    /// - Parameters:
    ///   - command: the command and its arguments.
    ///   - workspace: the host directory to expose read-write, or `nil`.
    ///   - hostHome: the caller's home, used to locate protected paths; defaults to `$HOME`.
    public init(command: [String], workspace: String? = nil, hostHome: String? = nil) {
        self.command = command
        self.workspace = workspace
        self.workspaceMountPoint = "/workspace"
        self.overlay = nil
        self.systemMounts = MountSpec.systemDefaults
        self.extraMounts = []
        self.maskedPaths = ProtectedPaths.hostPaths(home: hostHome ?? Environment.value("HOME") ?? "/root")
        self.limits = ResourceLimits()
        self.tmpSizeBytes = 100 * 1024 * 1024
        self.tmpNoExec = true
        self.network = .none
        self.environment = EnvironmentPolicy()
        self.timeout = nil
        self.homeDirectory = "/home/sandbox"
        self.workingDirectory = nil
        self.hostname = "clawguard"
        self.seccomp = SeccompRule.defaults
        self.newSession = true
    }

    /// The working directory the command starts in.
    public var effectiveWorkingDirectory: String {
        workingDirectory ?? (workspace == nil ? "/" : workspaceMountPoint)
    }
}

/// A bind mount: `source` on the host, `target` inside.
public struct MountSpec: Sendable, Equatable, Codable {
    public var source: String
    public var target: String
    public var readOnly: Bool
    /// A missing source is skipped instead of failing the run.
    public var optional: Bool

    public init(source: String, target: String? = nil, readOnly: Bool = true, optional: Bool = false) {
        self.source = source
        self.target = target ?? source
        self.readOnly = readOnly
        self.optional = optional
    }

    /// The system, read-only at the same paths. Symbolic links among these (merged `/usr`) are
    /// recreated as links rather than bound.
    public static let systemDefaults: [MountSpec] = [
        "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt",
    ].map { MountSpec(source: $0, optional: true) }
}

/// The copy-on-write layers of a workspace: reads fall through to `lower`, writes land in `upper`.
public struct OverlayLayers: Sendable, Equatable {
    /// Read-only layers, topmost first (the workspace last).
    public var lower: [String]
    public var upper: String
    public var work: String

    public init(lower: [String], upper: String, work: String) {
        self.lower = lower
        self.upper = upper
        self.work = work
    }
}

/// Network access from inside the sandbox.
public enum NetworkMode: Sendable, Equatable {
    /// An empty network namespace with loopback only.
    case none
    /// Only through ClawGuard's HTTP/HTTPS proxy (running outside), reached inside at `127.0.0.1:port`.
    case allowlist(port: Int)

    /// The default port of the proxy bridge inside the sandbox.
    public static let defaultProxyPort = 3128
}

/// Resource limits. `nil` leaves a resource unlimited.
public struct ResourceLimits: Sendable, Equatable {
    /// Memory of the whole sandbox (cgroup) and of each process (`RLIMIT_DATA`).
    public var memoryBytes: UInt64? = 2 * 1024 * 1024 * 1024
    /// Processes of the whole sandbox (cgroup `pids.max`, and `RLIMIT_NPROC` in its user namespace).
    public var processes: Int? = 512
    /// CPU seconds per process (`RLIMIT_CPU`).
    public var cpuSeconds: Int? = 3600
    /// Open files per process (`RLIMIT_NOFILE`).
    public var openFiles: Int? = 4096
    /// Largest file a process may write (`RLIMIT_FSIZE`).
    public var fileSizeBytes: UInt64? = 1024 * 1024 * 1024
    /// Core dumps are off unless this is set.
    public var coreDumps: Bool = false

    public init() {}
}

/// The environment inside the sandbox: an allowlist of the caller's variables plus explicit values.
public struct EnvironmentPolicy: Sendable, Equatable {
    /// Names passed through from the caller when set; a trailing `*` matches a prefix (`LC_*`).
    public var allowed: [String] = ["PATH", "TERM", "COLORTERM", "NO_COLOR", "LANG", "LANGUAGE", "LC_*", "TZ"]
    /// Variables set explicitly (they win over passed-through ones).
    public var set: [String: String] = [:]

    public init() {}

    /// The final environment for a run.
    /// - Parameters:
    ///   - caller: the caller's environment.
    ///   - home: `HOME` inside the sandbox.
    ///   - proxy: `host:port` of the egress proxy inside, when network is allowlist.
    public func resolve(caller: [String: String], home: String, proxy: String?) -> [String: String] {
        var env: [String: String] = [:]
        for (key, value) in caller where allowed.contains(where: { Self.matches(pattern: $0, name: key) }) {
            env[key] = value
        }
        if env["PATH"] == nil { env["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" }
        env["HOME"] = home
        env["TMPDIR"] = "/tmp"
        env["CLAWGUARD_SANDBOX"] = "1"
        if let proxy {
            for key in ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"] {
                env[key] = "http://\(proxy)"
            }
            env["NODE_USE_ENV_PROXY"] = "1"  // Node ≥ 24: make fetch() honour HTTP(S)_PROXY
            env["NO_PROXY"] = "localhost,127.0.0.1,::1"
            env["no_proxy"] = env["NO_PROXY"]
        }
        for (key, value) in set { env[key] = value }
        return env
    }

    static func matches(pattern: String, name: String) -> Bool {
        if pattern.hasSuffix("*") { return name.hasPrefix(pattern.dropLast()) }
        return pattern == name
    }
}
