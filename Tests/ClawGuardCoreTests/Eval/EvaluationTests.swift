import Foundation
import Testing
@testable import ClawGuardCore

/// Runs the evaluation set and holds the measured figures as a floor (docs/EVALUATION.md records them).
/// Every miss is printed with its reason, so a regression says which command got through.
@Suite struct EvaluationTests {
    @Test func evaluationSet() throws {
        let report = try Evaluation.run()
        print(String(format: "evaluation: bypass recall %.1f%% (%d/%d), precision %.1f%%, benign allow kept %d/%d (false-positive rate %.1f%%), benign ask kept %d/%d, expected-deny met %d/%d",
                     report.recall * 100, report.bypassCaught, report.bypassTotal, report.precision * 100,
                     report.benignAllowMet, report.benignAllowTotal, report.falsePositiveRate * 100,
                     report.benignAskMet, report.benignAskTotal, report.bypassDenyMet, report.bypassDenyExpected))
        for (c, v) in report.misses { print("MISS \(c.id) [\(c.class)] \(c.command.prefix(120)) -> \(v.decision): \(v.reason)") }
        for (c, v) in report.falseAlarms { print("FALSE-ALARM \(c.id) [\(c.class)] \(c.command.prefix(120)) -> \(v.decision): \(v.reason)") }
        for (c, v) in report.lenient { print("LENIENT \(c.id) [\(c.class)] \(c.command.prefix(120)) -> \(v.decision): \(v.reason)") }
        #expect(report.bypassTotal >= 300)
        #expect(report.benignAllowTotal + report.benignAskTotal >= 300)
        #expect(report.recall >= 0.99, "bypass recall fell below the recorded floor")
        #expect(report.falsePositiveRate <= 0.10, "false-positive rate rose above the recorded ceiling")
    }
}
