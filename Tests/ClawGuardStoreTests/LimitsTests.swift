import ClawGuardCore
import Foundation
import Testing
@testable import ClawGuardStore

@Suite struct GCRATests {
    @Test func burstThenSpacing() {
        let gcra = GCRA(count: 3, period: 60)  // 3 per minute, burst 3
        var tat: Double? = nil
        for i in 0..<3 {
            let check = gcra.check(tat: tat, now: 0)
            #expect(check.conforms, "call \(i) of the burst")
            tat = check.newTAT
        }
        let fourth = gcra.check(tat: tat, now: 0)
        #expect(!fourth.conforms)
        #expect(abs(fourth.retryAfter - 20) < 1e-6)
        #expect(!gcra.check(tat: tat, now: 19.9).conforms)
        #expect(gcra.check(tat: tat, now: 20).conforms)
    }

    @Test func burstOfOneSpacesEveryCall() {
        let gcra = GCRA(count: 10, period: 10, burst: 1)
        let first = gcra.check(tat: nil, now: 100)
        #expect(first.conforms)
        #expect(!gcra.check(tat: first.newTAT, now: 100.5).conforms)
        #expect(gcra.check(tat: first.newTAT, now: 101).conforms)
    }
}

@Suite struct TimeWindowTests {
    // noon = Wednesday 2026-11-25 10:00 UTC = 11:00 Europe/Berlin.
    @Test(arguments: [
        (TimeWindow(name: "office", timeZone: "Europe/Berlin", days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1080), true),
        (TimeWindow(name: "office", timeZone: "Europe/Berlin", days: [6, 7], startMinute: 540, endMinute: 1080), false),
        (TimeWindow(name: "early", timeZone: "Europe/Berlin", days: [3], startMinute: 480, endMinute: 660), false),
        (TimeWindow(name: "early", timeZone: "UTC", days: [3], startMinute: 480, endMinute: 601), true),
        (TimeWindow(name: "night", timeZone: "America/New_York", days: [2], startMinute: 1320, endMinute: 360), true),
    ])
    func contains(window: TimeWindow, expected: Bool) throws {
        #expect(try window.contains(noon) == expected)
    }

    @Test func unknownZoneFailsClosed() {
        let window = TimeWindow(name: "x", timeZone: "Mars/Olympus", days: [3], startMinute: 0, endMinute: 1440)
        #expect(throws: ClawGuardError.self) { try window.contains(noon) }
    }

    @Test(arguments: ["9", "25:00", "09:60", "ab:cd", "", "9:5:1"])
    func badTimes(text: String) {
        #expect(throws: ClawGuardError.self) { try TimeWindow.minutes(text) }
    }

    @Test func goodTimes() throws {
        #expect(try TimeWindow.minutes("09:30") == 570)
        #expect(try TimeWindow.minutes("24:00") == 1440)
    }
}

@Suite struct CanonicalJSONTests {
    @Test func sortedKeysNoWhitespaceMinimalEscapes() {
        let value: JSONValue = .object([
            "b": .number(1), "a": .array([.bool(true), .null, .number(1.5)]), "é": .string("x"),
            "c": .string("quote\" back\\ nl\n tab\t bell\u{07} ünï"),
        ])
        #expect(CanonicalJSON.encode(value)
            == "{\"a\":[true,null,1.5],\"b\":1,\"c\":\"quote\\\" back\\\\ nl\\n tab\\t bell\\u0007 ünï\",\"é\":\"x\"}")
    }

    @Test func roundTripsThroughFoundation() throws {
        let value: JSONValue = .object(["k": .string("a\u{01}b\"c"), "n": .number(-3), "z": .object([:])])
        let text = CanonicalJSON.encode(value)
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(decoded == value)
    }
}

@Suite struct RedactionTests {
    @Test(arguments: [
        "export ANTHROPIC_API_KEY=sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789",
        "curl -H 'Authorization: Bearer abcdefghijklmnop1234567890' https://x",
        "git push https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r",
        "aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE",
        "mysql --password hunter2hunter2 -u root",
        "{\"password\": \"s3cr3t-value\"}",
    ])
    func secretsAreRemoved(text: String) {
        let redacted = MinimalRedactor.redact(text)
        #expect(redacted.contains("[REDACTED"), "not redacted: \(redacted)")
        for secret in ["sk-ant-api03-abcdef", "abcdefghijklmnop1234567890", "ghp_abcdef", "AKIAIOSFODNN7EXAMPLE",
                       "hunter2hunter2", "s3cr3t-value"] {
            #expect(!redacted.contains(secret), "\(secret) survived in \(redacted)")
        }
    }

    @Test func ordinaryTextIsKept() {
        let text = "ls -la /tmp && git status --short"
        #expect(MinimalRedactor.redact(text) == text)
    }

    @Test func privateKeyBlock() {
        let text = "cat <<EOF\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\nEOF"
        let redacted = MinimalRedactor.redact(text)
        #expect(!redacted.contains("b3BlbnNzaC1rZXktdjEAAAAA"))
        #expect(redacted.contains("[REDACTED:private-key]"))
    }

    @Test func jsonValuesUnderSecretKeys() {
        let value: JSONValue = .object(["command": .string("deploy"), "api_token": .string("plain")])
        #expect(MinimalRedactor.redact(value, with: MinimalRedactor.redact)
            == .object(["command": .string("deploy"), "api_token": .string("[REDACTED]")]))
    }
}

@Suite struct GCRAPrecisionTests {
    /// At epoch-sized times a Double resolves ~2e-7 s; the quota must still be exact.
    @Test(arguments: [(25, 60.0), (7, 3600.0), (100, 86_400.0), (3, 1.0)])
    func exactQuotaAtEpochTimes(count: Int, period: Double) {
        let gcra = GCRA(count: count, period: period)
        let now = noon.timeIntervalSince1970
        var tat: Double? = nil
        var admitted = 0
        for _ in 0..<(count * 2) {
            let check = gcra.check(tat: tat, now: now)
            if check.conforms {
                admitted += 1
                tat = check.newTAT
            }
        }
        #expect(admitted == count)
    }
}
