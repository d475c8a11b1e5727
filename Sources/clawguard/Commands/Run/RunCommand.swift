import ArgumentParser
import ClawGuardRunCLI
import ClawGuardSandbox

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a command inside the ClawGuard sandbox.",
        discussion: """
            Defaults: read-only root, /tmp tmpfs 100 MB noexec, no new privileges, all capabilities dropped, \
            seccomp filter, no network, 2 GB memory, 512 processes, the current directory as workspace. \
            Exit status is the command's (128+N when signal N ended it); when the sandbox stopped it, \
            the reason is printed (and in --json).
            """)

    @Option(help: "Policy profile: its `sandbox:` section and network rules define the sandbox (flags override).")
    var profile: String?
    @Option(help: "Policy file, repeatable, layered (default: the discovered policy when --profile is given).") var policy: [String] = []
    @Option(help: "State database for the audit trail of egress connections (default: $CLAWGUARD_STATE or ~/.clawguard/state.db).")
    var state: String?
    @Option(help: "Workspace directory, mounted read-write at /workspace (default: the current directory).")
    var workspace: String?
    @Flag(help: "Run without a workspace.") var noWorkspace = false
    @Flag(help: "Mount the workspace copy-on-write; review with `clawguard changes`.") var overlay = false
    @Option(help: "Network: none (loopback only) or allowlist (HTTP/HTTPS proxy with --allow-domain rules).")
    var network: String = "none"
    @Option(name: .customLong("allow-domain"), help: "Allowed domain (example.com, *.example.com, an IP or CIDR).")
    var allowDomains: [String] = []
    @Option(name: .customLong("deny-domain"), help: "Denied domain (wins over allow).") var denyDomains: [String] = []
    @Option(name: .customLong("allow-port"), help: "Allowed destination port (default 80 and 443).") var allowPorts: [Int] = []
    @Option(help: "Port of the proxy bridge inside the sandbox.") var proxyPort: Int = NetworkMode.defaultProxyPort
    @Option(help: "Wall-clock timeout (30s, 5m, 1h).") var timeout: String?
    @Option(help: "Memory limit (2g, 512m).") var memory: String?
    @Option(help: "Process limit.") var processes: Int?
    @Option(help: "CPU seconds per process.") var cpuSeconds: Int?
    @Option(help: "Open files per process.") var openFiles: Int?
    @Option(help: "Largest file a process may write (1g).") var fileSize: String?
    @Option(help: "Size of the /tmp tmpfs (100m).") var tmpSize: String?
    @Flag(help: "Allow executing files in /tmp and the sandbox home.") var tmpExec = false
    @Option(name: .customLong("ro-bind"), help: "Extra read-only bind SRC[:DST].") var roBinds: [String] = []
    @Option(name: .customLong("bind"), help: "Extra read-write bind SRC[:DST].") var binds: [String] = []
    @Option(name: .customLong("env"), help: "NAME=VALUE to set, or NAME to pass through from the caller.")
    var env: [String] = []
    @Option(help: "Working directory inside the sandbox.") var cwd: String?
    @Option(help: "native (default), docker or podman.") var backend: String = "native"
    @Option(help: "Container image for --backend docker|podman.") var image: String = ContainerBackend.defaultImage
    @Flag(help: "Do not put the sandbox in its own cgroup (limits by rlimits only).") var noCgroups = false
    @Flag(help: "Print the run report as JSON (last line of standard output).") var json = false
    @Option(help: "Directory of copy-on-write runs (default ~/.clawguard/runs).") var runsDir: String?
    @Argument(parsing: .captureForPassthrough, help: "-- COMMAND [ARGS…]") var command: [String] = []

    /// The same values as plain data; `clawguard run` usually arrives here through the slim front's parser
    /// (`RunArguments`), which must accept exactly these options.
    var invocation: RunInvocation {
        RunInvocation(
            profile: profile,
            policies: policy,
            state: state,
            workspace: workspace,
            noWorkspace: noWorkspace,
            overlay: overlay,
            network: network,
            allowDomains: allowDomains,
            denyDomains: denyDomains,
            allowPorts: allowPorts,
            proxyPort: proxyPort,
            timeout: timeout,
            memory: memory,
            processes: processes,
            cpuSeconds: cpuSeconds,
            openFiles: openFiles,
            fileSize: fileSize,
            tmpSize: tmpSize,
            tmpExec: tmpExec,
            roBinds: roBinds,
            binds: binds,
            env: env,
            cwd: cwd,
            backend: backend,
            image: image,
            noCgroups: noCgroups,
            json: json,
            runsDir: runsDir,
            command: command)
    }

    func run() async throws {
        throw ExitCode(invocation.main())
    }
}
