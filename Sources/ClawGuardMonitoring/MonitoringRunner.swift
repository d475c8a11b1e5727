import ClawGuardCore
import ClawGuardStore
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Entry points for the command line, so the executable stays wiring only.
public enum MonitoringRunner {
    /// Sends log output to standard error (call once, from the executable, before anything logs).
    public static func bootstrapLogging(level: Logger.Level = .info) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// Runs `service` in a `ServiceGroup` until SIGTERM or SIGINT (graceful shutdown).
    public static func runUntilSignalled(_ service: MonitoringService, logger: Logger = Logger(label: "clawguard.monitoring")) async throws {
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Replays audit records `after` a position (all by default) into a fresh service and returns it, for one-shot
    /// use: `clawguard metrics` renders it, `clawguard alerts check` asks what fires.
    /// - Parameters:
    ///   - since: only records at or after this time (nil: the whole trail).
    ///   - deliver: run enforcement actions (and queue notifications) while replaying.
    public static func replay(_ service: MonitoringService, since: Date?, now: Date = Date(), deliver: Bool) throws(ClawGuardError) -> AlertOutput {
        var cursor: Int64 = try since.map { (t) throws(ClawGuardError) in try service.store.auditSeq(before: t) } ?? 0
        var output = AlertOutput()
        while true {
            let records = try service.store.auditBatch(after: cursor, limit: 1000)
            guard let last = records.last else { break }
            let step = service.process(records, now: now, deliver: deliver)
            output.notifications += step.notifications
            output.enforcements += step.enforcements
            cursor = last.seq
        }
        return output
    }
}
