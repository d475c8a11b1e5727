// Benchmark of the monitoring pipeline: audit records → events → metrics + alert windows, and rendering.
//   swift build -c release --product monitoring-bench && .build/release/monitoring-bench [--calls N]
// Writes N tool calls (50 sessions, 10 % denied, a third Read) into a fresh on-disk store through
// StateStore.recordToolCall (the hook's write path), then replays them through MonitoringService.process in batches
// of 500 (as the tail does) with 4 alert rules, renders the metrics 100 times, and times the gateway's per-decision
// report(.decisionLatency). Figures: docs/MONITORING.md.
import ClawGuardCore
import ClawGuardMonitoring
import ClawGuardStore
import Foundation

var calls = 20_000
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    if argument == "--calls", let value = arguments.next().flatMap(Int.init), value > 0 { calls = value }
}
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("monitoring-bench-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: directory) }
let store = try StateStore(path: directory.appendingPathComponent("state.db").path)
let limits = Limits(loopDetection: nil)
var start = Date()
for i in 0..<calls {
    let deny = i % 10 == 9
    let event = ToolCallEvent(session: "s\(i % 50)", agent: "claude-code", user: "u\(i % 5)", tool: i % 3 == 0 ? "Read" : "Bash",
                              input: .object(["command": .string("echo \(i)")]))
    let verdict = Verdict(decision: deny ? .deny : .allow, reason: "bench", risks: deny ? [Risk(.network, "curl")] : [])
    _ = try store.recordToolCall(event, verdict: verdict, limits: limits)
}
print("write: \(calls) tool calls in \(String(format: "%.2f", Date().timeIntervalSince(start))) s")

func rule(_ name: String, _ threshold: String, _ metric: String? = nil) throws -> AlertRule {
    AlertRule(name: name, metric: metric, threshold: try AlertThreshold.parse(threshold).get(), actions: ["log"])
}
var policy = Policy(profileName: "bench", mode: .default)
policy.alerts = [
    try rule("high_api_cost", "5 USD/hour"), try rule("elevated_bash_usage", "50 commands/session"),
    try rule("violations", "1 occurrence", "security_violations"), try rule("error_rate", "10%"),
]
let service = try MonitoringService(store: store, policy: policy, configuration: .init(tail: .init(cursorName: nil)))
start = Date()
var cursor: Int64 = 0
var records = 0
while true {
    let batch = try store.auditBatch(after: cursor, limit: 500)
    guard let last = batch.last else { break }
    service.process(batch, deliver: false)
    cursor = last.seq
    records += batch.count
}
let elapsed = Date().timeIntervalSince(start)
print("replay: \(records) records in \(String(format: "%.2f", elapsed)) s = \(Int(Double(records) / elapsed)) records/s (read + map + metrics + 4 alert rules)")
start = Date()
var bytes = 0
for _ in 0..<100 { bytes = service.renderMetrics().utf8.count }
print("render: \(String(format: "%.2f", Date().timeIntervalSince(start) * 10)) ms per /metrics (\(bytes) bytes)")
start = Date()
let reports = 1_000_000
for i in 0..<reports { service.report(.decisionLatency(seconds: Double(i % 100) / 10_000)) }
print("report: \(String(format: "%.0f", Date().timeIntervalSince(start) / Double(reports) * 1e9)) ns per gateway report(.decisionLatency) with 4 alert rules")
