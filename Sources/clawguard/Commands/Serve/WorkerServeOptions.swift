import ArgumentParser
import ClawGuardServer
import ClawGuardStore
import ClawGuardWorker
import Foundation
import Logging

/// `clawguard serve --worker-runs DIR …`: the worker API (`/v1/runs`). Without `--worker-runs` the routes answer 503.
struct WorkerServeOptions: ParsableArguments {
    @Option(name: .customLong("worker-runs"), help: ArgumentHelp("Enable the worker API; per-run directories go here.", valueName: "DIR"))
    var runsDirectory: String?

    @Option(name: .customLong("worker-agent"), help: ArgumentHelp("The Claude Code CLI the runs start (default: claude on PATH).", valueName: "PATH"))
    var agent: String?

    @Option(name: .customLong("worker-env"), help: ArgumentHelp("NAME=VALUE for the agent's minimal environment (repeatable), e.g. ANTHROPIC_API_KEY.", valueName: "NAME=VALUE"))
    var environment: [String] = []

    @Option(name: .customLong("worker-explore-profile"), help: ArgumentHelp("The read-only profile of explore phases.", valueName: "NAME"))
    var exploreProfile = "explorer"

    @Option(name: .customLong("worker-active-per-user"), help: ArgumentHelp("Runs of one user at a time (0: unlimited).", valueName: "N"))
    var activePerUser = 1

    /// The gateway's worker, or nil when not enabled.
    /// The unix socket the worker's hooks use by default: a private directory in the runs directory.
    var defaultSocketPath: String? {
        runsDirectory.map { URL(fileURLWithPath: $0).standardizedFileURL.path + "/.gateway/gateway.sock" }
    }

    /// - Parameter socketPath: the gateway's unix socket; the runs' hooks decide through it with per-run tokens.
    func make(services: GatewayServices, store: StateStore, statePath: String, policies: [String], socketPath: String?,
              logger: Logger) throws -> GatewayWorker? {
        guard let runsDirectory else { return nil }
        var env: [String: String] = [:]
        for pair in environment {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw ValidationError("--worker-env must be NAME=VALUE (got \(pair))")
            }
            env[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        guard let agentPath = agent ?? Self.onPath("claude") else {
            throw ValidationError("--worker-agent: the Claude Code CLI was not found on PATH; name it")
        }
        var limits = WorkerLimits()
        limits.maxActiveRunsPerUser = activePerUser > 0 ? activePerUser : nil
        // The slim front next to this clawguard-full when there is one: it is what the runs' hooks start (once per
        // tool call) and it answers `hook --server unix:…` itself; the sandbox binds only this one binary.
        let self_ = URL(fileURLWithPath: AgentSettings.executablePath).resolvingSymlinksInPath().path
        var configuration = WorkerConfiguration(
            statePath: statePath, policyPaths: policies, runsDirectory: URL(fileURLWithPath: runsDirectory).standardizedFileURL.path,
            clawguardPath: self_, agentPath: agentPath, agentEnvironment: env, exploreProfile: exploreProfile, limits: limits)
        if let socketPath {
            let tokens = services.tokens
            configuration.gateway = WorkerGatewayAccess(
                socketPath: socketPath,
                issue: { runID, expiresAt in
                    // Scope chat: /v1/decide only (no approvals, no state, no audit).
                    let issued = try tokens.create(name: "worker-run-\(runID)", scopes: [.chat], expiresAt: expiresAt,
                                                   createdBy: "clawguard worker")
                    return WorkerGatewayAccess.Token(id: issued.record.id, secret: issued.token)
                },
                revoke: { id in
                    do { _ = try tokens.revoke(id) } catch {
                        logger.warning("a run's gateway token could not be revoked (it still expires)",
                                       metadata: ["token.id": .string(id), "error": .string("\(error)")])
                    }
                })
        }
        let manager = try RunManager(configuration: configuration, store: store)
        return GatewayWorker(manager: manager, approvals: services.approvals, broker: services.broker, logger: logger)
    }

    static func onPath(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
