import ArgumentParser
import ClawGuardCore
import ClawGuardScanners
import ClawGuardServer
import ClawGuardStore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `clawguard serve`: the gateway (see docs/GATEWAY.md).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway: remote decisions, approvals, sessions and audit over HTTP.",
        discussion: """
            Binds 127.0.0.1 by default. Every route but /health needs a bearer token; on first start the server
            creates an admin token and prints it once. Put TLS in front with a reverse proxy (docs/GATEWAY.md).
            """)

    @Option(help: "The address to bind (a non-loopback address needs --allow-remote).")
    var host = "127.0.0.1"

    @Option(help: "The port (0: any free port).")
    var port = 8787

    @Flag(name: .customLong("allow-remote"), help: "Allow binding a non-loopback address (authentication stays on; use TLS in front).")
    var allowRemote = false

    @Option(help: ArgumentHelp("State database (default: $CLAWGUARD_STATE or ~/.clawguard/state.db).", valueName: "PATH"))
    var state: String?

    @Option(name: .customLong("policy"), help: ArgumentHelp("A policy file; repeat to layer several (default: discovery).", valueName: "FILE"))
    var policies: [String] = []

    @Option(help: ArgumentHelp("The profile to apply.", valueName: "NAME"))
    var profile: String?

    @Option(name: .customLong("approval-timeout"), help: ArgumentHelp("Seconds a waiting decision waits for an approval before denying.", valueName: "S"))
    var approvalTimeout = 120

    @Option(name: .customLong("approver"), help: ArgumentHelp("An automatic approver: webhook=URL or command=PROGRAM ARGS (repeatable).", valueName: "SPEC"))
    var approvers: [String] = []

    @Option(name: .customLong("max-body"), help: ArgumentHelp("The largest request body in bytes.", valueName: "BYTES"))
    var maxBody = 1 << 20

    @Option(name: .customLong("rate-limit"), help: ArgumentHelp("Requests per minute per token (0: none).", valueName: "N"))
    var rateLimit = 600_000

    @Option(help: ArgumentHelp("Requests a token may send at once above the rate.", valueName: "N"))
    var burst = 10_000

    @Option(name: .customLong("lockout"), help: ArgumentHelp("Lockout after failed authentications: FAILURES/WINDOW_S/LOCK_S.", valueName: "N/S/S"))
    var lockout = "10/60/300"

    @Option(help: ArgumentHelp("full: every commit waits for the disk; normal: survives a crash of the server, a power failure may lose the last commits.", valueName: "MODE"))
    var durability = "normal"

    @Option(name: .customLong("metrics-prefix"), help: ArgumentHelp("The /metrics name prefix (openclaw matches the reference alert rules).", valueName: "PREFIX"))
    var metricsPrefix = "clawguard"

    @Option(name: .customLong("unix-socket"), help: ArgumentHelp("Also listen on this unix socket (0600, in a 0700 directory); default with --worker-runs: DIR/.gateway/gateway.sock.", valueName: "PATH"))
    var unixSocket: String?

    @OptionGroup var worker: WorkerServeOptions

    func run() async throws {
        guard ["full", "normal"].contains(durability) else { throw ValidationError("--durability must be full or normal") }
        let lockoutParts = lockout.split(separator: "/").compactMap { Int($0) }
        guard lockoutParts.count == 3, lockoutParts.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--lockout must be FAILURES/WINDOW_SECONDS/LOCK_SECONDS, e.g. 10/60/300")
        }
        guard approvalTimeout > 0 else { throw ValidationError("--approval-timeout must be positive") }
        var approverConfigurations: [ApproverConfiguration] = []
        for spec in approvers {
            do { approverConfigurations.append(try ApproverConfiguration.parse(spec)) } catch { throw ValidationError(error.message) }
        }
        let configuration = GatewayConfiguration(
            host: host, port: port, allowRemote: allowRemote, policyPaths: policies, profile: profile,
            auth: AuthSettings(lockoutFailures: lockoutParts[0], lockoutWindow: .seconds(lockoutParts[1]),
                               lockoutDuration: .seconds(lockoutParts[2]), requestsPerMinute: rateLimit, burst: burst),
            maxBodyBytes: maxBody, approvalTimeout: .seconds(approvalTimeout), approvers: approverConfigurations)
        var configurationWithDurability = configuration
        configurationWithDurability.durableCommits = durability == "full"
        configurationWithDurability.metricsPrefix = metricsPrefix
        do { try configuration.validate() } catch { throw ValidationError(error.message) }
        if !GatewayConfiguration.isLoopback(host) {
            printError("""
                ************************************************************************
                WARNING: clawguard serve is listening on \(host), reachable from other machines.
                Every route but /health needs a token, but traffic is PLAIN HTTP: put a TLS
                reverse proxy in front (docs/GATEWAY.md) and firewall the port.
                ************************************************************************
                """)
        }
        let path = StatePaths.resolve(explicit: state)
        let store: StateStore
        do {
            // Credentials are redacted from everything the server writes to the audit trail.
            let redactor = Redactor(ScannerConfiguration.Redaction(secrets: true, pii: []))
            // The scanner's keyword gate first (as the hook does): a text without any rule's keyword has no finding,
            // so skipping the scanner for it changes nothing written; the scanner was 7 % of the server's CPU.
            store = try StateStore(path: path, options: StateStoreOptions(redact: {
                KeywordGate.standard.mayMatch($0) ? redactor.redact($0).text : $0
            }))
        } catch {
            throw ValidationError("cannot open the state database \(path): \(error.message)")
        }
        var logger = Logger(label: "clawguard.serve")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .notice
        let socketPath = (unixSocket ?? worker.defaultSocketPath).map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        var services: GatewayServices
        do {
            services = try Gateway.services(configuration: configurationWithDurability, store: store, observer: nil, logger: logger)
            if let socketPath { try Gateway.prepareSocketDirectory(for: socketPath) }
            services.worker = try worker.make(services: services, store: store, statePath: path, policies: policies,
                                              socketPath: socketPath, logger: logger)
            if let admin = try Gateway.bootstrapAdminToken(services.tokens, createdBy: "clawguard serve (first start)") {
                print("""
                    Created the admin token (scope *). It is shown only this once; store it safely:
                      \(admin.token)
                    Create narrower tokens with `clawguard token create --name NAME --scopes chat`.
                    """)
            }
        } catch {
            printError("clawguard serve: \(error)")
            throw ExitCode(1)
        }
        var extraServices: [any Service] = services.worker.map { [$0] } ?? []
        if let socketPath {
            extraServices.append(Gateway.unixSocketApplication(services, path: socketPath) { _ in
                print("clawguard serve: listening on unix:\(socketPath)")
                fflush(nil)
            })
        }
        let app = try Gateway.application(services, extraServices: extraServices) { channel in
            let port = channel.localAddress?.port ?? configuration.port
            print("clawguard serve: listening on http://\(configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host):\(port) (state \(path))")
            fflush(nil)
        }
        try await app.runService()
    }
}
