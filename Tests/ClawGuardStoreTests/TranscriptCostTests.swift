import ClawGuardCore
import Foundation
import Testing
@testable import ClawGuardStore

@Suite struct PriceTableTests {
    @Test(arguments: [
        ("claude-sonnet-4-5-20250929", 3.0, true), ("claude-sonnet-4-5", 3.0, true), ("claude-opus-4-1-20250805", 15.0, true),
        ("claude-opus-5-5", 4.0, true), ("claude-haiku-4-5[1m]", 1.0, true), ("claude-opus-4-20250514", 15.0, true),
        ("claude-opus-4-9", 30.0, false), ("gpt-5", 30.0, false), ("claude-sonnet-4-5-evil", 30.0, false),
    ])
    func lookup(model: String, input: Double, known: Bool) {
        let (price, isKnown) = PriceTable.anthropic.price(for: model)
        #expect(isKnown == known)
        if known { #expect(price.input == input) }
    }

    @Test func unknownModelChargedAtTheMostExpensivePrice() {
        let usage = TokenUsage(input: 1_000_000, output: 1_000_000)
        let unknown = PriceTable.anthropic.cost(of: usage, model: "claude-next-9")
        #expect(!unknown.known)
        let maxInput = PriceTable.anthropic.models.map(\.input).max()!
        let maxOutput = PriceTable.anthropic.models.map(\.output).max()!
        #expect(abs(unknown.usd - (maxInput + maxOutput)) < 1e-9)
        for model in PriceTable.anthropic.models {
            #expect(unknown.usd >= PriceTable.anthropic.cost(of: usage, model: model.modelPrefix).usd)
        }
    }
}

@Suite struct TranscriptCostTests {
    /// A transcript written by the real Claude Code 2.1.331 against the E2E stub (two assistant messages; the
    /// first spans two lines with the same message id). Claude Code itself reported `total_cost_usd` 0.03522.
    static let fixture = fixtures.appendingPathComponent("claude-transcript.jsonl").path
    static let claudeReportedCost = 0.03522

    @Test func matchesClaudeCodesOwnCost() throws {
        let delta = try TranscriptCostReader(prices: .anthropic).read(path: Self.fixture, from: .init())
        #expect(delta.messages == 2)
        #expect(abs(delta.usd - Self.claudeReportedCost) < 1e-9, "got \(delta.usd)")
        #expect(delta.unknownModels.isEmpty)
        #expect(delta.malformedLines == 0)
        let size = try FileManager.default.attributesOfItem(atPath: Self.fixture)[.size] as! Int
        #expect(delta.cursor.offset == Int64(size))
    }

    @Test func incrementalReadsAtEveryCutAddUpToTheWhole() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixture))
        let reader = TranscriptCostReader(prices: .anthropic)
        let dir = try TempDir()
        defer { dir.cleanup() }
        let path = dir.file("t.jsonl")
        // Grow the file in uneven chunks, as an agent writing it would; a cut may fall mid-line.
        for step in [97, 613, 1500] {
            FileManager.default.createFile(atPath: path, contents: Data())
            var cursor = TranscriptCostReader.Cursor()
            var total = 0.0
            var messages = 0
            var written = 0
            while written < data.count {
                let next = min(written + step, data.count)
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                try handle.seekToEnd()
                try handle.write(contentsOf: data[written..<next])
                try handle.close()
                written = next
                let delta = try reader.read(path: path, from: cursor)
                #expect(delta.malformedLines == 0, "a partial line must not count as malformed (step \(step))")
                total += delta.usd
                messages += delta.messages
                cursor = delta.cursor
            }
            #expect(messages == 2, "step \(step)")
            #expect(abs(total - Self.claudeReportedCost) < 1e-9, "step \(step): \(total)")
        }
    }

    @Test func malformedLinesAndUnknownModelsAreFlagged() throws {
        let lines = [
            #"{"type":"assistant","message":{"id":"m1","model":"claude-unknown-7","usage":{"input_tokens":1000}}}"#,
            #"{"type":"assistant","message":{"id":"m2","model":"claude-sonnet-4-5","usage":{"#,
            #"{"type":"assistant","message":{"id":"m3","model":"<synthetic>","usage":{"input_tokens":5}}}"#,
        ]
        let delta = TranscriptCostReader(prices: .anthropic).priceLines(Data((lines.joined(separator: "\n") + "\n").utf8), previous: nil)
        #expect(delta.unknownModels == ["claude-unknown-7"])
        #expect(delta.malformedLines == 1)
        #expect(delta.messages == 1)
        #expect(abs(delta.usd - 1000 * PriceTable.anthropic.mostExpensive.input / 1_000_000) < 1e-12)
    }

    @Test func missingTranscript() throws {
        // Not written yet (a session's first call): nothing spent.
        let fresh = try TranscriptCostReader(prices: .anthropic).read(path: "/nonexistent/t.jsonl", from: .init())
        #expect(fresh.usd == 0 && fresh.messages == 0)
        // Read before and gone now: unknown spend.
        #expect(throws: ClawGuardError.self) {
            try TranscriptCostReader(prices: .anthropic).read(path: "/nonexistent/t.jsonl", from: .init(offset: 100))
        }
        // A path that cannot be read as a file: unknown spend.
        #expect(throws: ClawGuardError.self) {
            try TranscriptCostReader(prices: .anthropic).read(path: "/proc/self/fd/does-not-exist/x", from: .init(offset: 10))
        }
    }

    @Test func cacheCreationSplitPricesOneHourWrites() {
        let line = #"{"type":"assistant","message":{"id":"m","model":"claude-sonnet-4-5","usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":3000,"cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":2000}}}}"#
        let delta = TranscriptCostReader(prices: .anthropic).priceLines(Data((line + "\n").utf8), previous: nil)
        // 1000 × $3.75 + 2000 × $6 per million.
        #expect(abs(delta.usd - (1000 * 3.75 + 2000 * 6) / 1_000_000) < 1e-12)
    }
}
