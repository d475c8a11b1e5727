import ArgumentParser
import ClawGuardCore
import ClawGuardStore
import Foundation

/// `clawguard log show|tail|verify|export|prune`: the tamper-evident audit trail.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Show, tail, verify and export the audit trail.",
        subcommands: [Show.self, Tail.self, Verify.self, Export.self, Forward.self, Prune.self, RecordCall.self])

    /// Filters shared by show and tail.
    struct Filters: ParsableArguments {
        @Option(help: "Only this session.") var session: String?
        @Option(help: "Only this event type (agent_started, tool_invoked, tool_blocked, …).") var type: String?
        @Flag(help: "One JSON object per line instead of text.") var json = false
    }

    static func render(_ record: AuditRecord, json: Bool) -> String {
        if json { return record.line(.jsonl) }
        var parts = ["#\(record.seq)", record.time, record.type]
        if let decision = record.decision { parts.append(decision.uppercased()) }
        if let tool = record.tool { parts.append(tool) }
        if let session = record.session { parts.append("session=\(session)") }
        if let agent = record.agent { parts.append("agent=\(agent)") }
        if let rule = record.rule { parts.append("rule=\(rule)") }
        if let reason = record.reason { parts.append("— \(reason)") }
        return parts.joined(separator: " ")
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show audit records (newest last).")
        @Option(help: "At most this many (the newest).") var limit: Int = 50
        @OptionGroup var filters: Filters
        @OptionGroup var state: StateOptions

        func run() async throws {
            let store = try state.open()
            for record in try store.auditRecords(.init(session: filters.session, type: filters.type, limit: limit)) {
                print(LogCommand.render(record, json: filters.json))
            }
        }
    }

    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the newest records; with -f, keep printing new ones.")
        @Option(name: .short, help: "How many to show first.") var n: Int = 10
        @Flag(name: .short, help: "Follow: print new records as they are appended.") var follow = false
        @Option(help: "With -f: stop after this many seconds (bounded follow; 0 = until interrupted).") var seconds: Double = 0
        @OptionGroup var filters: Filters
        @OptionGroup var state: StateOptions

        func run() async throws {
            let store = try state.open()
            var last: Int64 = 0
            for record in try store.auditRecords(.init(session: filters.session, type: filters.type, limit: n)) {
                FileHandle.standardOutput.write(Data((LogCommand.render(record, json: filters.json) + "\n").utf8))
                last = record.seq
            }
            guard follow else { return }
            if last == 0 { last = try store.auditRecords(.init(limit: 1)).last?.seq ?? 0 }
            let deadline = seconds > 0 ? Date().addingTimeInterval(seconds) : .distantFuture
            while Date() < deadline {
                try await Task.sleep(for: .milliseconds(250))
                for record in try store.auditRecords(.init(session: filters.session, type: filters.type, afterSeq: last)) {
                    FileHandle.standardOutput.write(Data((LogCommand.render(record, json: filters.json) + "\n").utf8))
                    last = record.seq
                }
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify the hash chain and signed checkpoints (exit 0 intact, 1 broken).")
        @Flag(help: "Print the result as JSON.") var json = false
        @OptionGroup var state: StateOptions

        func run() async throws {
            let store = try state.open()
            let result = try store.verifyAudit()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
            } else if result.ok {
                print("audit trail OK: \(result.recordsChecked) records, \(result.checkpointsChecked) signed checkpoints"
                    + (result.uncheckpointedTail > 0 ? "; \(result.uncheckpointedTail) newest records are not yet covered by a checkpoint" : ""))
            } else {
                print("audit trail BROKEN at record \(result.firstBadSeq.map(String.init) ?? "?"): \(result.problem ?? "unknown problem")")
            }
            for note in result.notes { printError("note: \(note)") }
            if !result.ok { throw ExitCode(1) }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the audit trail to stdout, one record per line.")
        @Option(help: "jsonl (default), cef or syslog (RFC 5424).") var format: String = "jsonl"
        @Option(help: "Only this session.") var session: String?
        @Option(help: "Only records after this seq.") var after: Int64?
        @OptionGroup var state: StateOptions

        func run() async throws {
            guard let format = AuditExportFormat(rawValue: format) else {
                throw ValidationError("unknown format '\(format)'; use jsonl, cef or syslog")
            }
            let store = try state.open()
            for record in try store.auditRecords(.init(session: session, afterSeq: after)) {
                print(record.line(format))
            }
        }
    }

    struct Forward: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send audit records to syslog (RFC 5424): udp://HOST:PORT, tcp://HOST:PORT or unix:///PATH.")
        @Option(help: "Where to send: udp://host:port, tcp://host:port (octet-counted), unix:///dev/log.") var target: String
        @Option(help: "Only records after this seq.") var after: Int64?
        @Flag(help: "Send every record, not only security events (warning and above).") var all = false
        @OptionGroup var state: StateOptions

        func run() async throws {
            let transport = try Self.transport(target)
            let store = try state.open()
            let sent = try SyslogForwarder(transport).forward(store.auditRecords(.init(afterSeq: after)), all: all)
            print("forwarded \(sent) records to \(target)")
        }

        static func transport(_ target: String) throws -> SyslogTransport {
            if target.hasPrefix("unix://") { return .unix(path: String(target.dropFirst("unix://".count))) }
            for scheme in ["udp", "tcp"] where target.hasPrefix(scheme + "://") {
                let rest = target.dropFirst(scheme.count + 3)
                guard let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]) else {
                    throw ValidationError("target \(target) needs a port: \(scheme)://host:port")
                }
                let host = String(rest[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                return scheme == "udp" ? .udp(host: host, port: port) : .tcp(host: host, port: port)
            }
            throw ValidationError("unknown target \(target); use udp://host:port, tcp://host:port or unix:///path")
        }
    }

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove records older than N days; a signed checkpoint keeps the rest verifiable.")
        @Option(help: "Keep this many days.") var keepDays: Double
        @OptionGroup var state: StateOptions

        func run() async throws {
            guard keepDays >= 0 else { throw ValidationError("--keep-days must be 0 or more") }
            let store = try state.open()
            let removed = try store.pruneAudit(before: Date().addingTimeInterval(-keepDays * 86_400))
            print("pruned \(removed) audit records older than \(keepDays) days")
        }
    }

    /// A diagnostic probe (hidden): records one tool call exactly as a hook would (one process, one transaction)
    /// and answers like a hook: exit 0 allow, 3 ask, 2 deny; any store error is a deny (exit 2) with the reason.
    /// Used by the concurrency proof and the latency benchmark until `clawguard hook` exists.
    struct RecordCall: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record-call", abstract: "Record one tool call as a hook would (diagnostics).",
            shouldDisplay: false)
        @Option var session: String
        @Option var agent: String = "probe"
        @Option var user: String = "probe-user"
        @Option var tool: String = "Bash"
        @Option var command: String = "true"
        @Option(help: "Rate limit per session per minute (0: none).") var perMinute: Int = 0
        @Option(help: "Session budget in USD (needs --transcript).") var sessionUsd: Double?
        @Option var transcript: String?
        @Flag(help: "Turn loop detection off.") var noLoop = false
        @Option(help: "The decision engine's verdict to record (allow, ask, deny).") var verdict: String = "allow"
        @Option(help: "The verdict's reason.") var verdictReason: String = "probe"
        @Option(help: "Benchmark: record this many calls in-process and print transaction latency percentiles.")
        var bench: Int = 0
        @Flag(help: "Benchmark: open the store anew for every call (what a hook process pays, minus process start).")
        var benchOpen = false
        @OptionGroup var state: StateOptions

        func run() async throws {
            if bench > 0 { return try runBench() }
            do {
                let store = try StateStore(path: state.resolvedPath)
                var limits = Limits(loopDetection: noLoop ? nil : LoopDetection())
                if perMinute > 0 { limits.rateLimits = [.perMinute(perMinute, .session, name: "limits.per_minute")] }
                if let sessionUsd { limits.budget = BudgetLimits(sessionUSD: sessionUsd) }
                let outcome = try store.recordToolCall(
                    ToolCallEvent(session: session, agent: agent, user: user, tool: tool,
                                  input: .object(["command": .string(command)]), transcriptPath: transcript),
                    verdict: Verdict(decision: Decision(rawValue: verdict) ?? .deny, reason: verdictReason,
                                     rule: verdict == "allow" ? nil : "probe-verdict"),
                    limits: limits)
                let line: JSONValue = .object([
                    "decision": .string(outcome.decision.rawValue), "enforced": .string(outcome.enforced.rawValue),
                    "reason": .string(outcome.reason), "calls": .number(Double(outcome.session.calls)),
                    "hits": .array(outcome.hits.map { .string($0.kind.rawValue) }),
                    "cost_usd": .number(outcome.session.costUSD),
                ])
                print(CanonicalJSON.encode(line))
                if outcome.enforced != .allow { throw ExitCode(outcome.enforced.exitCode) }
            } catch let error as ClawGuardError {
                print(CanonicalJSON.encode(.object(["decision": .string("deny"), "enforced": .string("deny"),
                                                    "reason": .string("state store error: \(error.description)")])))
                throw ExitCode(Decision.deny.exitCode)
            }
        }
    
        /// Records `bench` calls (distinct commands, one session per 100 calls) with per-agent/session/user
        /// rate limits, loop detection and, with --transcript, a session budget; prints latency percentiles.
        func runBench() throws {
            var store = try StateStore(path: state.resolvedPath)
            var limits = Limits(
                rateLimits: [.perMinute(1_000_000, .agent), .perMinute(1_000_000, .session), .perHour(1_000_000, .user)],
                loopDetection: LoopDetection())
            if transcript != nil { limits.budget = BudgetLimits(sessionUSD: 1_000_000, dailyUSDPerUser: 1_000_000) }
            var samples: [Double] = []
            samples.reserveCapacity(bench)
            let clock = ContinuousClock()
            for i in 0..<bench {
                let call = ToolCallEvent(session: "\(session)-\(i / 100)", agent: agent, user: user, tool: tool,
                                         input: .object(["command": .string("\(command) \(i)")]), transcriptPath: transcript)
                let elapsed = try clock.measure {
                    if benchOpen { store = try StateStore(path: state.resolvedPath) }
                    _ = try store.recordToolCall(call, verdict: Verdict(decision: .allow, reason: "bench"), limits: limits)
                }
                samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
            }
            samples.sort()
            func pct(_ p: Double) -> Double { samples[min(Int(Double(samples.count - 1) * p), samples.count - 1)] }
            print(CanonicalJSON.encode(.object([
                "calls": .number(Double(bench)), "median_us": .number(pct(0.5).rounded()),
                "p90_us": .number(pct(0.9).rounded()), "p99_us": .number(pct(0.99).rounded()),
                "max_us": .number(samples.last!.rounded()),
            ])))
        }
    }
}
