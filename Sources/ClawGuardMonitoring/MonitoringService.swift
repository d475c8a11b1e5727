import ClawGuardCore
import ClawGuardStore
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Synchronization

/// Metrics and alerts computed from one event stream: the audit trail (followed by an `AuditTail`), plus the
/// events the gateway reports (`report(_:)`). A ServiceLifecycle `Service`: run it in the server's `ServiceGroup`;
/// mount `renderMetrics()` at `/metrics`.
public final class MonitoringService: Service, Sendable {
    /// Settings of the service.
    public struct Configuration: Sendable {
        /// The metric name prefix (`openclaw` matches the reference alert rules).
        public var prefix: String
        public var tail: AuditTail.Configuration
        /// How often windows slide when no events come (resolves alerts, re-sends to Alertmanager).
        public var evaluationInterval: Duration
        /// Seconds between notifications for the same alert and group.
        public var cooldown: TimeInterval
        /// Seconds an allowed call waits for a failure report before it counts as a success.
        public var successGrace: TimeInterval
        /// Attempts per alert action.
        public var actionAttempts: Int

        public init(prefix: String = "clawguard", tail: AuditTail.Configuration = AuditTail.Configuration(),
                    evaluationInterval: Duration = .seconds(10), cooldown: TimeInterval = 300, successGrace: TimeInterval = 30,
                    actionAttempts: Int = 3) {
            self.prefix = prefix
            self.tail = tail
            self.evaluationInterval = evaluationInterval
            self.cooldown = cooldown
            self.successGrace = successGrace
            self.actionAttempts = actionAttempts
        }
    }

    public let store: StateStore
    public let configuration: Configuration
    public let metrics: MonitoringMetrics
    public let alerts: AlertEngine
    public let dispatcher: ActionDispatcher
    /// The policy's daily budget per user, for `budget_remaining_usd`.
    public let dailyBudgetUSD: Double?
    let logger: Logger
    let outbox: AsyncStream<AlertNotification>
    let outboxInput: AsyncStream<AlertNotification>.Continuation
    /// Session → spend last seen, to turn session totals into `cost` events.
    let spendSeen = Mutex<[String: Double]>([:])

    /// - Parameters:
    ///   - store: the state store whose audit trail is followed (and on which enforcement acts).
    ///   - policy: alert rules, action targets and budgets come from it (nil: no alerts).
    ///   - context: how notifications are delivered (HTTP timeout, environment for secrets).
    /// - Throws: `ClawGuardError` for a bad prefix or alert rules that cannot be evaluated.
    public init(store: StateStore, policy: Policy?, configuration: Configuration = Configuration(),
                context: ActionContext = ActionContext(), logger: Logger = Logger(label: "clawguard.monitoring")) throws(ClawGuardError) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        metrics = try MonitoringMetrics(prefix: configuration.prefix, successGrace: configuration.successGrace)
        alerts = AlertEngine(definitions: try AlertDefinition.compile(policy?.alerts ?? [], defaultCooldown: configuration.cooldown))
        dispatcher = ActionDispatcher(targets: policy?.actions ?? [:], store: store, context: context,
                                      attempts: configuration.actionAttempts, logger: logger)
        dailyBudgetUSD = policy?.budgets.dailyUSDPerUser
        (outbox, outboxInput) = AsyncStream.makeStream(of: AlertNotification.self, bufferingPolicy: .bufferingNewest(10_000))
        if let sessions = try? store.sessions(limit: 1000) {
            let active = sessions.filter { $0.status == "active" && $0.endedAt == nil }
            metrics.seedActiveSessions(active.map { ($0.id, $0.lastActivity) })
            spendSeen.withLock { seen in for s in active { seen[s.id] = s.costUSD } }
        }
    }

    /// A swift-metrics factory that writes into this service's registry: bootstrap `MetricsSystem` with it in the
    /// executable, and metrics recorded anywhere through swift-metrics appear on `/metrics` too.
    public var metricsFactory: PrometheusMetricsFactory { PrometheusMetricsFactory(registry: metrics.registry) }

    /// The metrics in the Prometheus text format, for `GET /metrics` (`text/plain; version=0.0.4`).
    public func renderMetrics(now: Date = Date()) -> String {
        metrics.settle(now: now)
        return metrics.render()
    }

    /// Reports an event that is not in the audit trail (authentication failure, rate-limit rejection, decision
    /// latency, pending approvals): counted at once, and seen by the alert engine.
    public func report(_ event: MonitoringEvent) {
        metrics.consume([event], now: event.time)
        if alerts.counts(event) { handle(alerts.consume([event], now: event.time)) }
    }

    /// The alerts firing now.
    public func firingAlerts() -> [FiringAlert] { alerts.firing() }

    /// Processes one batch of audit records: metrics, spend, alerts; enforcement runs before this returns.
    /// - Returns: what the alert engine produced (notifications are also queued for delivery when running).
    @discardableResult
    public func process(_ records: [AuditRecord], now: Date = Date(), deliver: Bool = true) -> AlertOutput {
        var events: [MonitoringEvent] = []
        for record in records {
            metrics.countAuditRecord(type: record.type)
            events += AuditEventMapping.events(of: record)
        }
        events += spendEvents(events)
        metrics.consume(events, now: now)
        updateBudgets(users: Set(events.compactMap(\.user)), now: now)
        let output = alerts.consume(events, now: now)
        if deliver { handle(output) }
        return output
    }

    /// Spend since the last look at each session that has events in the batch, as `cost` events.
    func spendEvents(_ events: [MonitoringEvent]) -> [MonitoringEvent] {
        var lastEvent: [String: MonitoringEvent] = [:]
        var started = Set<String>()
        var ended = Set<String>()
        for event in events {
            guard let session = event.session else { continue }
            lastEvent[session] = event
            if event.kind == .sessionStarted { started.insert(session) }
            if event.kind == .sessionEnded || event.kind == .sessionStopped { ended.insert(session) }
        }
        var out: [MonitoringEvent] = []
        // One read for the whole batch (a snapshot per session was a tenth of the gateway's CPU under load).
        guard let totals = try? store.sessionTotals(lastEvent.keys) else { return [] }
        for (session, last) in lastEvent.sorted(by: { $0.key < $1.key }) {
            guard let snapshot = totals[session] else { continue }
            let delta: Double = spendSeen.withLock { seen in
                let before = seen[session] ?? (started.contains(session) ? 0 : snapshot.costUSD)
                seen[session] = ended.contains(session) ? nil : snapshot.costUSD
                return snapshot.costUSD - before
            }
            if delta > 0 {
                out.append(MonitoringEvent(.cost, time: last.time, session: session, agent: snapshot.agent, user: snapshot.user, value: delta))
            }
        }
        return out
    }

    func updateBudgets(users: Set<String>, now: Date) {
        guard let daily = dailyBudgetUSD else { return }
        for user in users {
            if let spent = try? store.dailySpend(user: user) { metrics.setBudgetRemaining(user: user, usd: daily - spent) }
        }
    }

    func handle(_ output: AlertOutput) {
        for enforcement in output.enforcements { dispatcher.enforce(enforcement) }
        for notification in output.notifications { outboxInput.yield(notification) }
    }

    /// How far back `warmUp` reads for per-session totals (rules without a window).
    public static let sessionLookback: TimeInterval = 86_400

    /// Refills the alert windows after a restart. Without it they start empty, and a threshold that spans the restart
    /// (`3 denials/hour` with two before it and one after) would never fire. Records before the stored cursor that are
    /// still inside the longest window (per-session totals: the last `sessionLookback`) go to the alert engine only:
    /// not to the metrics (Prometheus counters restart with the process), and no notification or enforcement comes
    /// out of it (those ran, or did not, before the restart). Spend (`cost`) is derived from session totals, not from
    /// records, so its windows restart from the totals seen at start.
    /// - Returns: how many records were read (0 without a stored cursor: the tail then replays its own period).
    @discardableResult
    public func warmUp(now: Date = Date(), maxRecords: Int = 200_000) throws(ClawGuardError) -> Int {
        guard !alerts.definitions.isEmpty, let name = configuration.tail.cursorName,
              let cursor = try store.auditCursor(name) else { return 0 }
        let span = alerts.definitions.map { $0.window ?? Self.sessionLookback }.max() ?? 0
        var position = max(try store.auditSeq(before: now.addingTimeInterval(-span)), cursor - Int64(maxRecords))
        var read = 0
        while position < cursor {
            let records = try store.auditBatch(after: position, limit: Int(min(1000, cursor - position)))
            guard let last = records.last else { break }
            _ = alerts.consume(records.flatMap(AuditEventMapping.events(of:)), now: now)
            read += records.count
            position = last.seq
        }
        return read
    }

    /// Follows the trail, slides the windows and delivers notifications until shutdown.
    public func run() async throws {
        do {
            let count = try warmUp()
            if count > 0 { logger.info("alert windows refilled from the audit trail", metadata: ["records": "\(count)"]) }
        } catch {
            logger.warning("alert windows start empty: the audit trail could not be read", metadata: ["error": "\(error.message)"])
        }
        let tail = AuditTail(store: store, configuration: configuration.tail, logger: logger) { [self] records in
            process(records)
        }
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await tail.run() }
            group.addTask { [self] in
                await cancelWhenGracefulShutdown {
                    while !Task.isCancelled {
                        do { try await Task.sleep(for: self.configuration.evaluationInterval) } catch { return }
                        self.metrics.settle()
                        self.handle(self.alerts.tick())
                    }
                }
            }
            group.addTask { [self] in
                await cancelWhenGracefulShutdown {
                    for await notification in self.outbox {
                        _ = await self.dispatcher.dispatch(notification)
                    }
                }
            }
        }
    }
}
