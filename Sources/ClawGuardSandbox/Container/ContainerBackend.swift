import ClawGuardCore
import Foundation

/// Runs a sandbox configuration as a Docker or Podman container with the reference design's hardening
/// flags, where an engine is installed and answering.
public struct ContainerBackend: Sendable {
    public enum Engine: String, Sendable, CaseIterable { case docker, podman }

    public static let defaultImage = "debian:bookworm-slim"

    public var engine: Engine
    public var image: String
    /// Where to look for the engine binary (default: `$PATH`).
    public var searchPath: String

    public init(engine: Engine, image: String = ContainerBackend.defaultImage, searchPath: String? = nil) {
        self.engine = engine
        self.image = image
        self.searchPath = searchPath ?? Environment.value("PATH") ?? "/usr/local/bin:/usr/bin:/bin"
    }

    /// The engine's argument vector (after the binary) for `config`. Pure.
    /// - Throws: `.unsupported` for settings a container cannot express (allowlist network, overlay).
    public func arguments(for config: SandboxConfiguration, name: String, uid: UInt32, gid: UInt32,
                          callerEnvironment: [String: String], fileExists: @Sendable (String) -> Bool? = ContainerBackend.hostFileKind)
        throws(ClawGuardError) -> [String]
    {
        guard config.network == .none else {
            throw ClawGuardError(.unsupported, "--network allowlist needs the native backend (the egress proxy is not wired into containers)")
        }
        guard config.overlay == nil else { throw ClawGuardError(.unsupported, "--overlay needs the native backend") }
        let tmpOptions = "rw,\(config.tmpNoExec ? "noexec," : "")nosuid,nodev,size=\(Self.size(config.tmpSizeBytes))"
        var args = [
            "run", "--rm", "--name", name, "--read-only",
            "--tmpfs", "/tmp:\(tmpOptions)",
            "--tmpfs", "\(config.homeDirectory):\(tmpOptions)",
            "--security-opt", "no-new-privileges",
            "--cap-drop", "ALL",
            "--network", "none",
            "--hostname", config.hostname,
            "--user", "\(uid):\(gid)",
        ]
        let limits = config.limits
        if let memory = limits.memoryBytes { args += ["--memory", Self.size(memory), "--memory-swap", Self.size(memory)] }
        if let pids = limits.processes { args += ["--pids-limit", String(pids)] }
        if let files = limits.openFiles { args += ["--ulimit", "nofile=\(files):\(files)"] }
        if let cpu = limits.cpuSeconds { args += ["--ulimit", "cpu=\(cpu):\(cpu + 5)"] }
        if let size = limits.fileSizeBytes { args += ["--ulimit", "fsize=\(size):\(size)"] }
        if !limits.coreDumps { args += ["--ulimit", "core=0:0"] }
        if let workspace = config.workspace { args += ["-v", "\(workspace):\(config.workspaceMountPoint):rw"] }
        for mount in config.extraMounts {
            args += ["-v", "\(mount.source):\(mount.target):\(mount.readOnly ? "ro" : "rw")"]
        }
        args += ["-v", "/etc/passwd:/etc/passwd:ro", "-v", "/etc/group:/etc/group:ro"]
        // Protected paths exposed through the workspace or extra binds (the image itself has no host files).
        var planConfig = config
        planConfig.systemMounts = []
        for target in MountPlanner(readLink: { _ in nil }).maskTargets(planConfig) {
            guard let host = hostPath(forInside: target, config: config), let isDirectory = fileExists(host) else { continue }
            args += isDirectory ? ["--tmpfs", "\(target):ro,size=4k,mode=000"] : ["-v", "/dev/null:\(target):ro"]
        }
        args += ["-w", config.effectiveWorkingDirectory]
        let environment = config.environment.resolve(caller: callerEnvironment, home: config.homeDirectory, proxy: nil)
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) where key != "PATH" { args += ["-e", "\(key)=\(value)"] }
        args.append(image)
        args += config.command
        return args
    }

    /// The engine binary, or a clear error when it is not installed.
    public func locate() throws(ClawGuardError) -> String {
        for dir in searchPath.split(separator: ":") {
            let candidate = "\(dir)/\(engine.rawValue)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ClawGuardError(.unsupported, "--backend \(engine.rawValue): no \(engine.rawValue) binary on PATH; install it or use the native backend")
    }

    /// Runs the container, waiting for it; returns its exit status.
    public func run(_ config: SandboxConfiguration) throws(ClawGuardError) -> Int32 {
        let binary = try locate()
        let probe = Self.execute(binary, ["info", "--format", "{{.ServerVersion}}"], timeout: 15, quiet: true)
        guard probe == 0 else {
            throw ClawGuardError(.unsupported, "--backend \(engine.rawValue): the \(engine.rawValue) engine does not answer (`\(engine.rawValue) info` failed); start it or use the native backend")
        }
        let name = "clawguard-" + RunID.generate()
        let args = try arguments(for: config, name: name, uid: getuid(), gid: getgid(), callerEnvironment: Environment.all)
        let timeout = config.timeout.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
        let status = Self.execute(binary, args, timeout: timeout, quiet: false)
        if status == -2 { _ = Self.execute(binary, ["kill", name], timeout: 15, quiet: true); return 128 + 9 }
        return status
    }

    /// Runs a process; returns its status, or -2 on timeout (after terminating it).
    static func execute(_ binary: String, _ args: [String], timeout: Double?, quiet: Bool) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = args
        if quiet {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        do { try process.run() } catch { return -1 }
        if let timeout {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { process.terminate(); process.waitUntilExit(); return -2 }
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    func hostPath(forInside target: String, config: SandboxConfiguration) -> String? {
        var exposures: [(String, String)] = []
        if let workspace = config.workspace { exposures.append((workspace, config.workspaceMountPoint)) }
        exposures += config.extraMounts.map { ($0.source, $0.target) }
        for (host, inside) in exposures {
            if let rest = PathUtilities.relative(target, to: inside) { return PathUtilities.join(host, rest) }
        }
        return nil
    }

    /// `true` for a directory, `false` for anything else, `nil` when missing.
    public static let hostFileKind: @Sendable (String) -> Bool? = { path in
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        return isDirectory.boolValue
    }

    /// `2g`, `512m`, `100k` or bytes.
    static func size(_ bytes: UInt64) -> String {
        if bytes % (1 << 30) == 0 { return "\(bytes >> 30)g" }
        if bytes % (1 << 20) == 0 { return "\(bytes >> 20)m" }
        if bytes % (1 << 10) == 0 { return "\(bytes >> 10)k" }
        return "\(bytes)"
    }
}
