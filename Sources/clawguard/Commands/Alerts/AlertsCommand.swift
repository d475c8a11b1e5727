import ArgumentParser
import ClawGuardCore
import ClawGuardMonitoring
import ClawGuardStore
import Foundation

/// `clawguard alerts check|run|export-prometheus`: the policy's alert rules.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Evaluate, run and export the policy's alert rules.",
        subcommands: [Check.self, Run.self, ExportPrometheus.self])

    /// Loads the policy and compiles its alerts; a rule that cannot be evaluated is a clear error.
    static func definitions(_ options: PolicyOptions) throws -> (Policy, [AlertDefinition]) {
        let policy = try options.loadPolicy()
        do {
            return (policy, try AlertDefinition.compile(policy.alerts))
        } catch {
            throw ValidationError(error.message)
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate the alert rules once against the audit trail and print what fires.",
            discussion: "Replays the records of the longest rule window (at least the last hour). Exits 0 when nothing fires, 3 when something does. With --act, enforcement (terminate_session, kill_switch) and notifications run too.")
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var state: StateOptions
        @Flag(help: "Run the rules' actions (enforcement and notifications), not only print.") var act = false
        @Flag(help: "One JSON object per firing alert.") var json = false

        func run() async throws {
            let (loaded, definitions) = try AlertsCommand.definitions(policy)
            let store = try state.open()
            let service = try MonitoringService(store: store, policy: loaded, configuration: .init(tail: .init(cursorName: nil)))
            let longest = definitions.compactMap(\.window).max() ?? 0
            let now = Date()
            let output = try MonitoringRunner.replay(service, since: now.addingTimeInterval(-max(longest, 3600)), now: now, deliver: false)
            if act {
                for enforcement in output.enforcements { service.dispatcher.enforce(enforcement) }
                for notification in output.notifications {
                    for result in await service.dispatcher.dispatch(notification) where !result.ok {
                        printError("clawguard: action \(result.action) for \(notification.alert) failed after \(result.attempts) attempt(s): \(result.error ?? "")")
                    }
                }
            }
            let firing = service.firingAlerts()
            for alert in firing {
                if json {
                    print(jsonLine(CheckLine(alert: alert.alert, group: alert.group, value: alert.value, value_text: alert.valueText,
                                             threshold: alert.threshold, sessions: alert.sessions)))
                } else {
                    print("FIRING \(alert.alert) [\(alert.group)] \(alert.valueText) ≥ \(alert.threshold)"
                          + (alert.sessions.isEmpty ? "" : " sessions: \(alert.sessions.joined(separator: ", "))"))
                }
            }
            if firing.isEmpty && !json { print("No alert fires (\(definitions.count) rule(s) evaluated).") }
            if !firing.isEmpty { throw ExitCode(3) }
        }

        struct CheckLine: Encodable {
            var alert: String
            var group: String
            var value: Double
            var value_text: String
            var threshold: String
            var sessions: [String]
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Follow the audit trail and run the alert rules until stopped (SIGTERM/SIGINT).",
            discussion: "The same monitoring service `clawguard serve` runs, without the HTTP server: for hosts where only hooks run.")
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var state: StateOptions
        @Option(help: "Seconds between evaluations when no events come.") var interval: Double = 10
        @Option(help: "Seconds between notifications for one alert and group.") var cooldown: Double = 300
        @Option(help: "Seconds between polls of the audit trail.") var poll: Double = 0.5
        @Option(help: "Cursor name in the store (resume point); 'none' to start from the recent past every time.") var cursor = "alerts"

        func run() async throws {
            guard interval > 0, poll > 0, cooldown >= 0 else { throw ValidationError("--interval and --poll must be > 0, --cooldown ≥ 0") }
            let (loaded, _) = try AlertsCommand.definitions(policy)
            MonitoringRunner.bootstrapLogging()
            let store = try state.open()
            let configuration = MonitoringService.Configuration(
                tail: .init(pollInterval: .milliseconds(Int(poll * 1000)), cursorName: cursor == "none" ? nil : cursor),
                evaluationInterval: .milliseconds(Int(interval * 1000)), cooldown: cooldown)
            let service = try MonitoringService(store: store, policy: loaded, configuration: configuration)
            try await MonitoringRunner.runUntilSignalled(service)
        }
    }

    struct ExportPrometheus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-prometheus",
            abstract: "Write Prometheus alerting rules equivalent to the policy's alerts (check them with promtool check rules).")
        @OptionGroup var policy: PolicyOptions
        @Option(help: "Metric name prefix the rules read (as configured for /metrics).") var prefix = "clawguard"
        @Option(name: [.short, .customLong("output")], help: "Write to this file instead of standard output.") var output: String?

        func run() async throws {
            let (_, definitions) = try AlertsCommand.definitions(policy)
            do { try MetricCatalog.validate(prefix: prefix) } catch { throw ValidationError(error.message) }
            let (yaml, skipped) = PrometheusExport.ruleFile(definitions, prefix: prefix)
            for rule in skipped { printError("clawguard: alert \(rule.alert) is not exported: \(rule.skipped ?? "")") }
            if let output {
                do { try Data(yaml.utf8).write(to: URL(fileURLWithPath: output)) } catch {
                    throw ValidationError("cannot write \(output): \(error.localizedDescription)")
                }
            } else {
                print(yaml, terminator: "")
            }
        }
    }
}

/// `clawguard metrics`: the Prometheus metrics computed from the audit trail, once.
struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics", abstract: "Print the Prometheus metrics computed from the audit trail (what /metrics serves).",
        discussion: "Replays the whole trail (or the records since --since seconds ago) into fresh counters. Gauges that only the gateway knows (pending approvals) are 0.")
    @OptionGroup var state: StateOptions
    @OptionGroup var policy: PolicyOptions
    @Option(help: "Metric name prefix ('openclaw' gives the reference design's names).") var prefix = "clawguard"
    @Option(help: "Only records of the last this many seconds.") var since: Double?

    func run() async throws {
        let store = try state.open()
        // The policy is optional here: it only adds the budget gauge.
        let loaded = try? policy.loadPolicy()
        let service: MonitoringService
        do {
            var noAlerts = loaded
            noAlerts?.alerts = []
            service = try MonitoringService(store: store, policy: noAlerts,
                                            configuration: .init(prefix: prefix, tail: .init(cursorName: nil), successGrace: 0))
        } catch {
            throw ValidationError(error.message)
        }
        let now = Date()
        _ = try MonitoringRunner.replay(service, since: since.map { now.addingTimeInterval(-$0) }, now: now, deliver: false)
        print(service.renderMetrics(now: now), terminator: "")
    }
}
