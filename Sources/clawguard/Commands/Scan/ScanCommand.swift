import ArgumentParser
import ClawGuardScanners
import Foundation

/// `clawguard scan`: credentials, prompt injection and personal data in files, directories or stdin.
/// Exit status: 0 nothing found, 1 findings, 2 error (unreadable input, bad baseline) — CI fails closed.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan files or stdin for credentials, prompt injection and personal data.",
        discussion: """
            With no --secrets/--injection/--pii flag, credentials and prompt injection are scanned.
            Directories are walked recursively, honouring .gitignore files and skipping .git and binary files.
            Exit status: 0 = clean, 1 = findings, 2 = error.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, sarif }

    @Flag(help: "Scan for credentials.") var secrets = false
    @Flag(help: "Scan for prompt injection.") var injection = false
    @Flag(help: "Scan for personal data (e-mail, phone, payment cards, IBAN, US SSN, IP addresses).") var pii = false
    @Option(help: "Output format: text, json or sarif.") var format: Format = .text
    @Option(help: "Baseline / allowlist file (JSON) of accepted findings.") var baseline: String?
    @Option(help: "Write all current credential findings to this baseline file and exit 0.") var writeBaseline: String?
    @Option(help: "Prompt-injection score threshold (0…1).") var threshold: Double = ScannerConfiguration.Injection().threshold
    @Flag(help: "Scan files that .gitignore excludes too.") var noGitignore = false
    @Option(help: "Skip files larger than this many bytes.") var maxFileSize: Int = 100 << 20
    @Argument(help: "Files or directories to scan; '-' or nothing reads stdin.") var paths: [String] = []

    func run() async throws {
        do { try scan() } catch let failure as ScanFailure {
            FileHandle.standardError.write(Data("clawguard scan: \(failure)\n".utf8))
            throw ExitCode(2)
        }
    }

    private func scan() throws {
        let selection = (secrets || injection || pii) ? (secrets, injection, pii) : (true, true, false)
        var scanner = ContentScan(secrets: selection.0, injection: selection.1, pii: selection.2, threshold: threshold)
        if let baseline {
            guard let data = FileManager.default.contents(atPath: baseline) else {
                throw ScanFailure("cannot read baseline \(baseline)")
            }
            do { scanner.baseline = try SecretBaseline.decode(data) } catch {
                throw ScanFailure("baseline \(baseline) is not valid: \(error)")
            }
        }
        let targets = paths.isEmpty ? ["-"] : paths
        var report = ScanReport()
        for target in targets {
            if target == "-" {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                scanner.scan(bytes: [UInt8](data), file: "-", into: &report)
            } else {
                FileWalker(root: target, honourGitignore: !noGitignore, maxFileSize: maxFileSize)
                    .walk(into: &report) { path, bytes, report in scanner.scan(bytes: bytes, file: path, into: &report) }
            }
        }
        if let writeBaseline {
            let entries = report.findings.filter { $0.scanner == "secrets" }
                .map { SecretBaseline.Entry(fingerprint: $0.fingerprint ?? "", rule: $0.rule, file: $0.file) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(SecretBaseline(findings: entries))
            guard FileManager.default.createFile(atPath: writeBaseline, contents: data) else {
                throw ScanFailure("cannot write baseline \(writeBaseline)")
            }
            FileHandle.standardError.write(Data("wrote \(entries.count) finding(s) to \(writeBaseline)\n".utf8))
            return
        }
        let output: String
        switch format {
        case .text: output = report.text()
        case .json: output = report.json()
        case .sarif: output = report.sarif()
        }
        FileHandle.standardOutput.write(Data(output.utf8))
        for error in report.errors { FileHandle.standardError.write(Data("clawguard scan: \(error)\n".utf8)) }
        if !report.errors.isEmpty { throw ExitCode(2) }
        if !report.findings.isEmpty { throw ExitCode(1) }
    }
}

/// A scan error with a message a human can act on; exits 2.
struct ScanFailure: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// The scanners selected for one run.
struct ContentScan {
    var secrets: Bool
    var injection: Bool
    var pii: Bool
    var threshold: Double
    var baseline: SecretBaseline? = nil

    func scan(bytes: [UInt8], file: String, into report: inout ScanReport) {
        report.files += 1
        report.bytes += bytes.count
        bytes.withUnsafeBufferPointer { buf in
            if secrets {
                for f in SecretScanner.standard.scan(bytes: buf) {
                    if let baseline, baseline.allows(fingerprint: f.fingerprint, rule: f.rule, file: file) {
                        report.baselined += 1
                        continue
                    }
                    report.findings.append(.init(scanner: "secrets", file: file, line: f.line, column: f.column,
                                                 kind: f.kind, rule: f.rule, message: "credential \(f.kind)",
                                                 preview: f.preview, fingerprint: f.fingerprint, score: nil,
                                                 reasons: nil))
                }
            }
            if pii {
                for f in PIIScanner.standard.scan(bytes: buf) {
                    report.findings.append(.init(scanner: "pii", file: file, line: f.line, column: f.column,
                                                 kind: f.kind.rawValue, rule: "pii/\(f.kind.rawValue)",
                                                 message: "personal data (\(f.kind.rawValue))", preview: f.preview,
                                                 fingerprint: nil, score: nil, reasons: nil))
                }
            }
        }
        if injection {
            let text = String(decoding: bytes, as: UTF8.self)
            let analysis = InjectionScanner.standard.analyze(text)
            if analysis.isInjection(threshold: threshold), let first = analysis.reasons.first(where: { $0.weight > 0 }) {
                var line = 1, column = 1
                for b in bytes[0..<min(first.byteRange.lowerBound, bytes.count)] {
                    if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
                }
                let reasons = analysis.reasons.filter { $0.weight > 0 }.map { "\($0.signal): \($0.detail)" }
                report.findings.append(.init(scanner: "injection", file: file, line: line, column: column,
                                             kind: "prompt-injection", rule: analysis.signals.first ?? "injection",
                                             message: "prompt injection (score \(String(format: "%.2f", analysis.score)))",
                                             preview: nil, fingerprint: nil, score: analysis.score, reasons: reasons))
            }
        }
    }
}
