import ArgumentParser
import ClawGuardScanners
import Foundation

/// `clawguard redact < in > out`: copies stdin to stdout with credentials and personal data replaced by
/// `[REDACTED:kind:hash4]`. Bytes that are not findings are copied unchanged (also invalid UTF-8).
struct RedactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redact", abstract: "Redact credentials and personal data from stdin to stdout.")

    @Flag(help: "Leave personal data alone; redact credentials only.") var noPii = false
    @Flag(help: "Also redact IP addresses.") var ipAddresses = false
    @Flag(help: "Print a summary of what was redacted to stderr.") var summary = false

    func run() async throws {
        var pii: Set<PIIKind> = noPii ? [] : ScannerConfiguration.Redaction().pii
        if ipAddresses { pii.insert(.ipAddress) }
        let redactor = Redactor(.init(secrets: true, pii: pii))
        let input = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        let (output, found) = input.withUnsafeBufferPointer { redactor.redact(bytes: $0) }
        FileHandle.standardOutput.write(Data(output))
        if summary {
            var counts: [String: Int] = [:]
            for f in found { counts[f.kind, default: 0] += 1 }
            let text = counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            FileHandle.standardError.write(Data("redacted \(found.count) value(s)\(text.isEmpty ? "" : " — " + text)\n".utf8))
        }
    }
}
