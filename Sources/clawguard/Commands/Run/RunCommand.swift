import ArgumentParser
import ClawGuardCore
import ClawGuardSandbox
import ClawGuardStore
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

    @Option(help: "Policy profile: its `sandbox:` section and network rules define the sandbox (flags override).")
    var profile: String?
    @Option(help: "Policy file (default: the discovered policy when --profile is given).") var policy: String?
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
        var config = SandboxConfiguration(command: argv, workspace: noWorkspace ? nil : PathUtilities.absolute(workspace ?? "."))
        // A policy (given, or discovered when a profile is named) defines the sandbox; flags below override it.
        var loadedPolicy: Policy?
        if profile != nil || policy != nil {
            let environment = ProcessInfo.processInfo.environment
            let home = environment["HOME"] ?? NSHomeDirectory()
            let cwd = FileManager.default.currentDirectoryPath
            let paths = policy.map { [PathUtilities.absolute($0)] } ?? PolicyLocator.locate(cwd: cwd, home: home, environment: environment)
            do {
                loadedPolicy = try PolicyLoader.load(paths: paths, profile: profile, cwd: cwd, home: home)
            } catch {
                throw ClawGuardError(.invalidPolicy, "the policy cannot be used, so nothing runs: \(error)")
            }
        }
        if let settings = loadedPolicy?.sandbox {
            if let memory = settings.memoryBytes { config.limits.memoryBytes = UInt64(memory) }
            if let pids = settings.pids { config.limits.processes = pids }
            if let cpu = settings.cpuSeconds { config.limits.cpuSeconds = cpu }
            if let files = settings.openFiles { config.limits.openFiles = files }
            if let size = settings.fileSizeBytes { config.limits.fileSizeBytes = UInt64(size) }
            if let tmp = settings.tmpSizeBytes { config.tmpSizeBytes = UInt64(tmp) }
            config.tmpNoExec = settings.tmpNoexec
            if let seconds = settings.timeoutSeconds { config.timeout = .seconds(seconds) }
            if settings.network == .allowlist { config.network = .allowlist(port: proxyPort) }
        }
        if let timeout { config.timeout = try SandboxOptionParsing.duration(timeout) }
        if let memory { config.limits.memoryBytes = try SandboxOptionParsing.size(memory) }
        if let processes { config.limits.processes = processes }
        if let cpuSeconds { config.limits.cpuSeconds = cpuSeconds }
        if let openFiles { config.limits.openFiles = openFiles }
        if let fileSize { config.limits.fileSizeBytes = try SandboxOptionParsing.size(fileSize) }
        if let tmpSize { config.tmpSizeBytes = try SandboxOptionParsing.size(tmpSize) }
        if tmpExec { config.tmpNoExec = false }
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
        case "none": if loadedPolicy?.sandbox.network != .allowlist { config.network = .none }
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
        // Every egress connection goes to the audit trail; a run that cannot record it does not start.
        var auditStore: StateStore?
        if config.network != .none {
            do {
                auditStore = try StateStore(path: StatePaths.resolve(explicit: state))
            } catch {
                throw ClawGuardError(.store, "the audit trail cannot be written, so nothing runs: \(error.message)")
            }
        }
        let audit = auditStore
        let sink: EgressSink = { event in
            if let store = audit {
                let type: AuditEventType = event.allowed ? .networkConnection : .securityViolation
                var details: [String: JSONValue] = ["host": .string(event.host), "port": .number(Double(event.port)), "method": .string(event.method),
                                                    "bytes_sent": .number(Double(event.bytesSent)), "bytes_received": .number(Double(event.bytesReceived))]
                if !event.allowed { details["violation_type"] = "egress_refused" }
                _ = try? store.appendAudit([AuditEvent(type, agent: "clawguard-run", decision: event.allowed ? .allow : .deny, reason: event.reason, details: details)])
            }
            guard !jsonOutput else { return }
            let verdict = event.allowed ? "allowed" : "refused"
            FileHandle.standardError.write(Data("clawguard: egress \(verdict) \(event.method) \(event.host):\(event.port): \(event.reason)\n".utf8))
        }
        var egress = EgressProxy.Configuration(matcher: matcher, events: sink)
        if let rules = loadedPolicy?.network, allowDomains.isEmpty && denyDomains.isEmpty {
            // The policy's network rules decide; resolved addresses must not be private unless listed.
            egress = EgressProxy.Configuration(
                decide: { host, port in
                    switch rules.evaluate(host: host, port: port) {
                    case .allowed(let rule): return .allow("allowed by network rule \(rule)")
                    case .denied(_, let reason): return .deny(reason)
                    case .unlisted(let reason): return .deny(reason)
                    }
                },
                permitsAddress: { address in
                    if case .allowed = rules.evaluate(host: address, port: nil) { return true }
                    return IPAddress(address).map { !$0.isPrivate } ?? false
                },
                events: sink)
        }
        var runner = SandboxRunner(egress: egress)
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
