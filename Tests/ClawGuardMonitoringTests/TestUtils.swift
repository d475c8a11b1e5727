import ClawGuardCore
import ClawGuardStore
import Foundation
import Testing

@testable import ClawGuardMonitoring

/// A fresh on-disk state store in a temporary directory (the real SQLite, as the hooks use it).
func makeStore() throws -> StateStore {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-mon-\(UUID().uuidString)")
    return try StateStore(path: dir.appendingPathComponent("state.db").path)
}

/// A tool call through the real store (the hook's path), allowed or denied by `decision`.
@discardableResult
func call(_ store: StateStore, session: String, tool: String = "Bash", command: String = "ls", decision: Decision = .allow,
          risks: [Risk] = [], user: String = "alice", now: Date = Date()) throws -> ToolCallOutcome {
    let event = ToolCallEvent(session: session, agent: "claude-code", user: user, tool: tool,
                              input: .object(["command": .string(command)]))
    let verdict = Verdict(decision: decision, reason: "test", rule: decision == .deny ? "Bash(\(command))" : nil, risks: risks)
    return try store.recordToolCall(event, verdict: verdict, limits: Limits(loopDetection: nil), now: now)
}

/// The value of one sample line (`name{labels} value`) in Prometheus text, or nil.
func sample(_ text: String, _ series: String) -> Double? {
    for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
        return Double(line.dropFirst(series.count + 1).split(separator: " ").first ?? "")
    }
    return nil
}

/// An alert rule as the policy would parse it.
func rule(_ name: String, _ threshold: String, metric: String? = nil, window: Int? = nil, actions: [String] = ["log"]) throws -> AlertRule {
    let parsed = try AlertThreshold.parse(threshold).get()
    return AlertRule(name: name, metric: metric, threshold: parsed, windowSeconds: window, actions: actions, source: RuleSource(file: "test"))
}
