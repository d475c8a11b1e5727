import ClawGuardScanners
import Foundation

// scanner-bench: evaluation and throughput driver for ClawGuardScanners.
//   scanner-bench secrets FILE            findings as JSON lines (file line column kind rule)
//   scanner-bench injection FILE.jsonl    one JSON line per row: id, score, reasons
//   scanner-bench throughput FILE [N]     MB/s of SecretScanner.standard over FILE, N rounds (default 3)
//   scanner-bench rules                   rule and kind counts

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

func readFile(_ path: String) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot open \(path)") }
    return [UInt8](data)
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 { out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16) }
            else { out.unicodeScalars.append(u) }
        }
    }
    return out + "\""
}

let args = CommandLine.arguments
guard args.count >= 2 else { fail("usage: scanner-bench secrets|injection|throughput|rules ...") }
switch args[1] {
case "rules":
    let rules = CredentialRule.builtIn
    print("rules: \(rules.count), kinds: \(Set(rules.map(\.kind)).count) (+8 private-key kinds reported by the private-key rule)")
case "secrets":
    let bytes = readFile(args[2])
    let findings = bytes.withUnsafeBufferPointer { SecretScanner.standard.scan(bytes: $0) }
    for f in findings {
        print("{\"line\":\(f.line),\"column\":\(f.column),\"kind\":\(jsonString(f.kind)),\"rule\":\(jsonString(f.rule)),\"preview\":\(jsonString(f.preview))}")
    }
case "throughput":
    let bytes = readFile(args[2])
    let rounds = args.count > 3 ? Int(args[3]) ?? 3 : 3
    var best = Double.infinity
    var count = 0
    for _ in 0..<rounds {
        let t0 = now()
        count = bytes.withUnsafeBufferPointer { SecretScanner.standard.scan(bytes: $0).count }
        best = min(best, now() - t0)
    }
    let mb = Double(bytes.count) / 1_000_000
    print("secrets: \(String(format: "%.1f", mb)) MB, best of \(rounds): \(String(format: "%.3f", best)) s = \(String(format: "%.1f", mb / best)) MB/s, \(count) findings")
case "injection":
    // Input: JSON lines with "id" and "text". Output: JSON lines with id, score, signals.
    let bytes = readFile(args[2])
    let scanner = InjectionScanner.standard
    for line in bytes.split(separator: 0x0A) where !line.isEmpty {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
              let id = obj["id"] as? String, let text = obj["text"] as? String else { fail("bad JSON line") }
        let report = scanner.analyze(text)
        let signals = report.signals.map(jsonString).joined(separator: ",")
        print("{\"id\":\(jsonString(id)),\"score\":\(String(format: "%.4f", report.score)),\"signals\":[\(signals)]}")
    }
case "injection-throughput":
    let bytes = readFile(args[2])
    let text = String(decoding: bytes, as: UTF8.self)
    let t0 = now()
    let report = InjectionScanner.standard.analyze(text)
    let dt = now() - t0
    let mb = Double(bytes.count) / 1_000_000
    print("injection: \(String(format: "%.1f", mb)) MB in \(String(format: "%.3f", dt)) s = \(String(format: "%.1f", mb / dt)) MB/s, score \(String(format: "%.2f", report.score))")
case "hostile":
    // Adversarial shapes at ~10 MB each: throughput must stay in the same range as ordinary text (linear time).
    let shapes: [(String, String)] = [
        ("10 MB of 'a'", String(repeating: "a", count: 10_000_000)),
        ("AKIA repeated", String(repeating: "AKIA", count: 2_500_000)),
        ("near-miss ghp_ tokens", String(repeating: "ghp_" + String(repeating: "a1", count: 17) + " ", count: 250_000)),
        ("password= repeated", String(repeating: "password=", count: 1_100_000)),
        ("eyJ. repeated", String(repeating: "eyJ.", count: 2_500_000)),
        ("postgres://user: repeated", String(repeating: "postgres://user:", count: 625_000)),
        ("-----BEGIN RSA PRIVATE KEY----- repeated", String(repeating: "-----BEGIN RSA PRIVATE KEY-----\n", count: 300_000)),
        ("a@ repeated (PII)", String(repeating: "a@", count: 5_000_000)),
        ("ignore ignore (injection)", String(repeating: "ignore ignore ", count: 700_000)),
    ]
    let t00 = now()
    _ = SecretScanner.standard.scan("warm up")
    let t01 = now()
    _ = InjectionScanner.standard.analyze("warm up")
    let t02 = now()
    _ = PIIScanner.standard.scan("warm up")
    print("construction: SecretScanner.standard \(String(format: "%.1f", (t01 - t00) * 1000)) ms, InjectionScanner.standard \(String(format: "%.1f", (t02 - t01) * 1000)) ms")
    for (name, text) in shapes {
        let mb = Double(text.utf8.count) / 1_000_000
        let t0 = now()
        let s = SecretScanner.standard.scan(text).count
        let t1 = now()
        let p = PIIScanner.standard.scan(text).count
        let t2 = now()
        let i = InjectionScanner.standard.analyze(text).score
        let t3 = now()
        print("\(name): \(String(format: "%.1f", mb)) MB — secrets \(String(format: "%.0f", mb / (t1 - t0))) MB/s (\(s)), pii \(String(format: "%.0f", mb / (t2 - t1))) MB/s (\(p)), injection \(String(format: "%.1f", mb / (t3 - t2))) MB/s (score \(String(format: "%.2f", i)))")
    }
default:
    fail("unknown mode \(args[1])")
}
