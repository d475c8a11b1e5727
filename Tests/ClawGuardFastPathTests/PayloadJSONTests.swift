import ClawGuardCore
import ClawGuardHooks
import Foundation
import Testing

/// `PayloadJSON` (the hook's direct JSON reader) against `JSONDecoder`, which it replaces only where it answers:
/// whenever it returns a value, the decoder returns the same one; whenever the decoder fails, it returns nil.
@Suite struct PayloadJSONTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Real JSON texts from the repository: every line of the JSONL data sets, and the JSON files.
    static func corpus() throws -> [[UInt8]] {
        let jsonl = ["Tests/Eval/bypass.jsonl", "Tests/Eval/benign.jsonl", "Tests/ClawGuardCoreTests/Fixtures/parser-cases.jsonl",
                     "Tests/ClawGuardStoreTests/Fixtures/claude-transcript.jsonl", "Evaluation/scanners/data/injection-eval.jsonl"]
        let json = ["Benchmarks/hook/in.json", "Tests/ClawGuardConfigAuditTests/Fixtures/claude/settings-insecure.json",
                    "Tests/ClawGuardConfigAuditTests/Fixtures/openclaw/reference-template.json", "Sources/ClawGuardServer/OpenAPI/openapi.json"]
        var texts: [[UInt8]] = []
        for file in jsonl {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            texts += text.split(separator: "\n").map { Array($0.utf8) }
        }
        for file in json { texts.append(Array(try Data(contentsOf: root.appendingPathComponent(file)))) }
        return texts
    }

    static let edgeCases: [String] = [
        #"{}"#, #" { } "#, #"{"a":1}"#, #"{"a":-0}"#, #"{"a":1.5e3,"b":-2E-2,"c":0.1}"#, #"{"a":01}"#, #"{"a":1.}"#,
        #"{"a":.5}"#, #"{"a":1e400}"#, #"{"a":-1e-400}"#, #"{"a":123456789012345678901234567890}"#, #"{"a":+1}"#,
        #"{"a":"\u00e9\ud83d\ude00\n\t\"\\\/\b\f\r"}"#, #"{"a":"\ud800"}"#, #"{"a":"\udc00x"}"#, #"{"a":"\u12"}"#,
        #"{"a":"\x"}"#, "{\"a\":\"tab\there\"}", #"{"a":"é😀"}"#, #"{"a":1,"a":2}"#, #"{"a":{"a":1},"b":[1,[2,[3]]]}"#,
        #"{"a":[]}"#, #"{"a":[1,]}"#, #"{"a":1,}"#, #"{"a" 1}"#, #"{a:1}"#, #"{"a":tru}"#, #"{"a":true,"b":false,"c":null}"#,
        #"[1,2]"#, #""str""#, #"1"#, #"null"#, #"{"a":1} x"#, #"{"a":1}}"#, "", " ", "{", "\u{FEFF}{\"a\":1}",
        #"{"hook_event_name":"PreToolUse","tool_input":{"command":"rm -rf / # \u0000"}}"#,
        String(repeating: "[", count: 200) + String(repeating: "]", count: 200),
        "{\"a\":" + String(repeating: "[", count: 130) + String(repeating: "]", count: 130) + "}",
    ]

    func decoder(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    func check(_ bytes: [UInt8]) {
        let fast = PayloadJSON.parseObject(bytes)
        let slow = decoder(bytes)
        if let fast {
            #expect(fast == slow, "\(String(decoding: bytes, as: UTF8.self).prefix(200))")
        }
        if slow == nil { #expect(fast == nil) }
    }

    @Test func agreesWithJSONDecoderOnTheCorpus() throws {
        let corpus = try Self.corpus()
        #expect(corpus.count > 1000)
        var answered = 0
        for text in corpus {
            check(text)
            if PayloadJSON.parseObject(text) != nil { answered += 1 }
        }
        // The fast path must actually be taken for ordinary objects (not silently always deferring).
        #expect(answered * 10 > corpus.count * 9, "answered \(answered) of \(corpus.count)")
    }

    @Test(arguments: edgeCases) func agreesWithJSONDecoderOnEdgeCases(_ text: String) {
        check(Array(text.utf8))
    }

    @Test func invalidUTF8IsLeftToTheDecoder() {
        check([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D])  // {"a":"\xff\xfe"}
        check([0x7B, 0x22, 0xC3, 0x22, 0x3A, 0x31, 0x7D])  // a truncated sequence in a key
    }

    /// Every prefix and single-byte corruption of real payloads (truncated or damaged input).
    @Test func agreesOnDamagedInput() throws {
        let samples = try Self.corpus().filter { $0.count < 400 }.prefix(40)
        let replacements: [UInt8] = [0x22, 0x5C, 0x7B, 0x7D, 0x2C, 0x3A, 0x30, 0x20, 0x00, 0xFF]
        for text in samples {
            for cut in stride(from: 0, to: text.count, by: 7) { check(Array(text[..<cut])) }
            for position in stride(from: 0, to: text.count, by: 11) {
                for byte in replacements {
                    var damaged = text
                    damaged[position] = byte
                    check(damaged)
                }
            }
        }
    }

    @Test func theBenchPayloadTakesTheFastPath() throws {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("Benchmarks/hook/in.json"))
        let value = try #require(PayloadJSON.parseObject(data))
        #expect(value["tool_input"]?["command"]?.stringValue == "git status && ls -la src | grep -c swift")
    }
}
