import Foundation
@testable import ClawGuardCore

/// The evaluation set in Tests/Eval: bypass attempts and ordinary developer commands with expected decisions,
/// judged against Tests/Eval/policy.yaml. Shared by the evaluation test and `clawguard-bench`-style reports.
struct EvaluationCase: Decodable, Sendable {
    struct Generate: Decodable, Sendable {
        var prefix: String
        var `repeat`: String
        var times: Int
        var middle: String
        var close: String
        var suffix: String
    }
    var id: String
    var command: String
    var cwd: String
    var expect: String
    var `class`: String
    var why: String
    var source: String
    var generate: Generate?
    var tags: [String]?

    /// The command to judge (generated ones are expanded).
    var text: String {
        guard let g = generate else { return command }
        return g.prefix + String(repeating: g.repeat, count: g.times) + g.middle + String(repeating: g.close, count: g.times) + g.suffix
    }
}

struct EvaluationReport {
    var bypassTotal = 0
    var bypassCaught = 0
    var bypassDenyExpected = 0
    var bypassDenyMet = 0
    var benignAllowTotal = 0
    var benignAllowMet = 0
    var benignAskTotal = 0
    var benignAskMet = 0
    var misses: [(EvaluationCase, Verdict)] = []
    var falseAlarms: [(EvaluationCase, Verdict)] = []
    var lenient: [(EvaluationCase, Verdict)] = []

    var recall: Double { Double(bypassCaught) / Double(max(1, bypassTotal)) }
    /// Of the commands ClawGuard did not allow, the share that were attacks (benign `allow` cases it stopped
    /// count against it; benign `ask` cases are neither).
    var precision: Double {
        let falsePositives = benignAllowTotal - benignAllowMet
        return Double(bypassCaught) / Double(max(1, bypassCaught + falsePositives))
    }
    var falsePositiveRate: Double { Double(benignAllowTotal - benignAllowMet) / Double(max(1, benignAllowTotal)) }
}

enum Evaluation {
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Eval")

    static func load(_ name: String) throws -> [EvaluationCase] {
        let text = try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").map { try decoder.decode(EvaluationCase.self, from: Data($0.utf8)) }
    }

    static func engine() throws -> DecisionEngine {
        let yaml = try String(contentsOf: root.appendingPathComponent("policy.yaml"), encoding: .utf8)
        let policy = try PolicyLoader.load(
            inputs: [.init(name: root.appendingPathComponent("policy.yaml").path, text: yaml)], profile: nil,
            cwd: "/home/dev/project", home: "/home/dev")
        return DecisionEngine(policy: policy)
    }

    static func run() throws -> EvaluationReport {
        let engine = try engine()
        var report = EvaluationReport()
        for c in try load("bypass.jsonl") {
            let verdict = engine.decide(.bash(c.text, cwd: c.cwd))
            report.bypassTotal += 1
            if verdict.decision != .allow { report.bypassCaught += 1 } else { report.misses.append((c, verdict)) }
            if c.expect == "deny" {
                report.bypassDenyExpected += 1
                if verdict.decision == .deny { report.bypassDenyMet += 1 }
            }
        }
        for c in try load("benign.jsonl") {
            let verdict = engine.decide(.bash(c.text, cwd: c.cwd))
            if c.expect == "allow" {
                report.benignAllowTotal += 1
                if verdict.decision == .allow { report.benignAllowMet += 1 } else { report.falseAlarms.append((c, verdict)) }
            } else {
                report.benignAskTotal += 1
                if verdict.decision != .allow { report.benignAskMet += 1 } else { report.lenient.append((c, verdict)) }
            }
        }
        return report
    }
}
