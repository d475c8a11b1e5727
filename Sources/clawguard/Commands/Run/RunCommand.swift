import ArgumentParser
import ClawGuardCore
import ClawGuardSandbox
import Foundation

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

    @Option(help: "Policy profile (wired by the policy integration).") var profile: String?
    @Option(help: "Policy file (wired by the policy integration).") var policy: String?
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

    func run() async throws {
        do {
            let code = try execute()
            throw ExitCode(code)
        } catch let error as ClawGuardError {
            FileHandle.standardError.write(Data("clawguard run: \(error.message)\n".utf8))
            throw ExitCode(error.code == .invalidInput ? 2 : 125)
        }
    }

    func execute() throws(ClawGuardError) -> Int32 {
        var argv = command
        if argv.first == "--" { argv.removeFirst() }
        guard profile == nil, policy == nil else {
            throw ClawGuardError(.unsupported, "--profile/--policy are not wired to the policy model yet; use the explicit flags")
        }
        var config = SandboxConfiguration(command: argv, workspace: noWorkspace ? nil : PathUtilities.absolute(workspace ?? "."))
        if let timeout { config.timeout = try SandboxOptionParsing.duration(timeout) }
        if let memory { config.limits.memoryBytes = try SandboxOptionParsing.size(memory) }
        if let processes { config.limits.processes = processes }
        if let cpuSeconds { config.limits.cpuSeconds = cpuSeconds }
        if let openFiles { config.limits.openFiles = openFiles }
        if let fileSize { config.limits.fileSizeBytes = try SandboxOptionParsing.size(fileSize) }
        if let tmpSize { config.tmpSizeBytes = try SandboxOptionParsing.size(tmpSize) }
        config.tmpNoExec = !tmpExec
        if let cwd { config.workingDirectory = cwd }
        config.extraMounts = try roBinds.map { (s) throws(ClawGuardError) in try SandboxOptionParsing.bind(s, readOnly: true) }
            + binds.map { (s) throws(ClawGuardError) in try SandboxOptionParsing.bind(s, readOnly: false) }
        for entry in env {
            if let eq = entry.firstIndex(of: "=") {
                config.environment.set[String(entry[..<eq])] = String(entry[entry.index(after: eq)...])
            } else {
                config.environment.allowed.append(entry)
            }
        }
        switch network {
        case "none": config.network = .none
        case "allowlist": config.network = .allowlist(port: proxyPort)
        default: throw ClawGuardError(.invalidInput, "--network must be none or allowlist")
        }
        if !allowDomains.isEmpty || !denyDomains.isEmpty, config.network == .none {
            throw ClawGuardError(.invalidInput, "--allow-domain/--deny-domain need --network allowlist")
        }

        if backend != "native" {
            guard let engine = ContainerBackend.Engine(rawValue: backend) else {
                throw ClawGuardError(.invalidInput, "--backend must be native, docker or podman")
            }
            guard !overlay else { throw ClawGuardError(.unsupported, "--overlay needs the native backend") }
            return try ContainerBackend(engine: engine, image: image).run(config)
        }

        let matcher = DomainMatcher(allow: allowDomains, deny: denyDomains, ports: allowPorts.isEmpty ? [80, 443] : allowPorts)
        let jsonOutput = json
        var runner = SandboxRunner(
            egress: EgressProxy.Configuration(matcher: matcher, events: { event in
                guard !jsonOutput else { return }
                let verdict = event.allowed ? "allowed" : "refused"
                FileHandle.standardError.write(Data("clawguard: egress \(verdict) \(event.method) \(event.host):\(event.port): \(event.reason)\n".utf8))
            }))
        runner.useCgroups = !noCgroups
        let store = RunStore(root: runsDir ?? RunStore.defaultRoot())
        var record: RunRecord?
        if overlay {
            guard let ws = config.workspace else { throw ClawGuardError(.invalidInput, "--overlay needs a workspace") }
            let created = try store.create(workspace: ws, command: argv)
            config.overlay = created.layers
            record = created
        }
        SandboxRunner.forwardTerminationSignals()
        let result = try runner.run(config, runID: record?.id)
        if var record {
            record.exitCode = result.exitCode
            record.stoppedBy = result.stoppedBy?.rawValue
            try store.save(record)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            if let data = try? encoder.encode(result) {
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            }
        } else {
            if result.stoppedBy != nil || result.egress.contains(where: { !$0.allowed })
                || result.events.processLimitHits > 0 || result.events.oomKills > 0
            {
                FileHandle.standardError.write(Data("clawguard: \(result.summary)\n".utf8))
            }
            if let record {
                FileHandle.standardError.write(Data("clawguard: changes kept in run \(record.id): clawguard changes list \(record.id)\n".utf8))
            }
        }
        return result.exitCode
    }
}
