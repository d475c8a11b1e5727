import ClawGuardCore
import ClawGuardSandbox
import ClawGuardStore
import Foundation

/// `clawguard run`'s settings as plain values, and the run itself. Filled by the slim front's parser
/// (`RunArguments.parse`) or by `clawguard-full`'s ArgumentParser command; both run the same `execute()`.
package struct RunInvocation: Sendable, Equatable {
    package var profile: String?
    /// Policy files, layered as the hook layers them (a deny anywhere wins); none: discovered when a profile is named.
    package var policies: [String]
    package var state: String?
    package var workspace: String?
    package var noWorkspace: Bool = false
    package var overlay: Bool = false
    package var network: String = "none"
    package var allowDomains: [String] = []
    package var denyDomains: [String] = []
    package var allowPorts: [Int] = []
    package var proxyPort: Int = NetworkMode.defaultProxyPort
    package var timeout: String?
    package var memory: String?
    package var processes: Int?
    package var cpuSeconds: Int?
    package var openFiles: Int?
    package var fileSize: String?
    package var tmpSize: String?
    package var tmpExec: Bool = false
    package var roBinds: [String] = []
    package var binds: [String] = []
    package var env: [String] = []
    package var cwd: String?
    package var backend: String = "native"
    package var image: String = ContainerBackend.defaultImage
    package var noCgroups: Bool = false
    package var json: Bool = false
    package var runsDir: String?
    package var command: [String] = []

    package init(
        profile: String? = nil,
        policies: [String] = [],
        state: String? = nil,
        workspace: String? = nil,
        noWorkspace: Bool = false,
        overlay: Bool = false,
        network: String = "none",
        allowDomains: [String] = [],
        denyDomains: [String] = [],
        allowPorts: [Int] = [],
        proxyPort: Int = NetworkMode.defaultProxyPort,
        timeout: String? = nil,
        memory: String? = nil,
        processes: Int? = nil,
        cpuSeconds: Int? = nil,
        openFiles: Int? = nil,
        fileSize: String? = nil,
        tmpSize: String? = nil,
        tmpExec: Bool = false,
        roBinds: [String] = [],
        binds: [String] = [],
        env: [String] = [],
        cwd: String? = nil,
        backend: String = "native",
        image: String = ContainerBackend.defaultImage,
        noCgroups: Bool = false,
        json: Bool = false,
        runsDir: String? = nil,
        command: [String] = []
    ) {
        self.profile = profile
        self.policies = policies
        self.state = state
        self.workspace = workspace
        self.noWorkspace = noWorkspace
        self.overlay = overlay
        self.network = network
        self.allowDomains = allowDomains
        self.denyDomains = denyDomains
        self.allowPorts = allowPorts
        self.proxyPort = proxyPort
        self.timeout = timeout
        self.memory = memory
        self.processes = processes
        self.cpuSeconds = cpuSeconds
        self.openFiles = openFiles
        self.fileSize = fileSize
        self.tmpSize = tmpSize
        self.tmpExec = tmpExec
        self.roBinds = roBinds
        self.binds = binds
        self.env = env
        self.cwd = cwd
        self.backend = backend
        self.image = image
        self.noCgroups = noCgroups
        self.json = json
        self.runsDir = runsDir
        self.command = command
    }

    /// Runs and returns the exit status: the command's, 2 for bad input, 125 when the sandbox cannot start.
    package func main() -> Int32 {
        do {
            return try execute()
        } catch {
            FileHandle.standardError.write(Data("clawguard run: \(error.message)\n".utf8))
            return error.code == .invalidInput ? 2 : 125
        }
    }

    package func execute() throws(ClawGuardError) -> Int32 {
        var argv = command
        if argv.first == "--" { argv.removeFirst() }
        var config = SandboxConfiguration(command: argv, workspace: noWorkspace ? nil : PathUtilities.absolute(workspace ?? "."))
        // A policy (given, or discovered when a profile is named) defines the sandbox; flags below override it.
        var loadedPolicy: Policy?
        if profile != nil || !policies.isEmpty {
            let environment = ProcessInfo.processInfo.environment
            let home = environment["HOME"] ?? NSHomeDirectory()
            let cwd = FileManager.default.currentDirectoryPath
            let paths = policies.isEmpty
                ? PolicyLocator.locate(cwd: cwd, home: home, environment: environment) : policies.map(PathUtilities.absolute)
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
