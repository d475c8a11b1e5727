import Foundation

/// Findings of one `clawguard scan` run and their renderings (text, JSON, SARIF 2.1.0).
struct ScanReport {
    struct Finding: Codable {
        var scanner: String
        var file: String
        var line: Int
        var column: Int
        var kind: String
        var rule: String
        var message: String
        var preview: String?
        var fingerprint: String?
        var score: Double?
        var reasons: [String]?
    }

    var findings: [Finding] = []
    var files = 0
    var bytes = 0
    var skipped: [String] = []
    var baselined = 0
    var errors: [String] = []

    func text() -> String {
        var out = ""
        for f in findings {
            out += "\(f.file):\(f.line):\(f.column): \(f.kind) [\(f.rule)]"
            if let p = f.preview { out += " \(p)" }
            if let s = f.score { out += " score \(String(format: "%.2f", s))" }
            out += "\n"
            for r in f.reasons ?? [] { out += "    - \(r)\n" }
        }
        out += "\(findings.count) finding(s) in \(files) file(s)"
        if baselined > 0 { out += ", \(baselined) accepted by the baseline" }
        if !skipped.isEmpty { out += ", \(skipped.count) skipped" }
        return out + "\n"
    }

    struct Summary: Codable {
        var files: Int
        var bytes: Int
        var findings: Int
        var byKind: [String: Int]
        var byScanner: [String: Int]
        var baselined: Int
        var skipped: [String]
        var errors: [String]
    }

    struct JSONReport: Codable {
        var findings: [Finding]
        var summary: Summary
    }

    func json() -> String {
        var byKind: [String: Int] = [:], byScanner: [String: Int] = [:]
        for f in findings { byKind[f.kind, default: 0] += 1; byScanner[f.scanner, default: 0] += 1 }
        let report = JSONReport(findings: findings, summary: Summary(
            files: files, bytes: bytes, findings: findings.count, byKind: byKind, byScanner: byScanner,
            baselined: baselined, skipped: skipped, errors: errors))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (String(data: (try? encoder.encode(report)) ?? Data("{}".utf8), encoding: .utf8) ?? "{}") + "\n"
    }

    func sarif() -> String {
        var rules: [String: [String: Any]] = [:]
        var results: [[String: Any]] = []
        for f in findings {
            rules[f.rule] = ["id": f.rule, "shortDescription": ["text": f.kind]]
            results.append([
                "ruleId": f.rule,
                "level": f.scanner == "pii" ? "note" : "error",
                "message": ["text": f.message + (f.preview.map { " \($0)" } ?? "")],
                "locations": [["physicalLocation": [
                    "artifactLocation": ["uri": f.file],
                    "region": ["startLine": f.line, "startColumn": f.column],
                ]]],
                "partialFingerprints": f.fingerprint.map { ["clawguard/v1": $0] } ?? [:],
            ])
        }
        let doc: [String: Any] = [
            "version": "2.1.0",
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "runs": [[
                "tool": ["driver": ["name": "clawguard", "informationUri": "https://github.com/clawguard",
                                    "rules": rules.keys.sorted().map { rules[$0]! }]],
                "results": results,
            ]],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return (String(data: data, encoding: .utf8) ?? "{}") + "\n"
    }
}

/// Walks files and directories, honouring nested .gitignore files, skipping .git, symlinked directories and binary
/// files. Unreadable paths are recorded as errors (the scan then exits 2).
struct FileWalker {
    var root: String
    var honourGitignore: Bool
    var maxFileSize: Int

    func walk(into report: inout ScanReport, _ visit: (String, [UInt8], inout ScanReport) -> Void) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: root, isDirectory: &isDir) else {
            report.errors.append("\(root): no such file or directory")
            return
        }
        if !isDir.boolValue {
            readFile(root, display: root, into: &report, visit)
            return
        }
        var ignore = GitIgnore()
        var stack: [String] = [""]     // relative directories
        while let rel = stack.popLast() {
            let dir = rel.isEmpty ? root : root + "/" + rel
            if honourGitignore, let data = fm.contents(atPath: dir + "/.gitignore") {
                ignore.add(contents: String(decoding: data, as: UTF8.self), base: rel)
            }
            let entries: [String]
            do { entries = try fm.contentsOfDirectory(atPath: dir).sorted() } catch {
                report.errors.append("\(dir): cannot list directory (\(error.localizedDescription))")
                continue
            }
            for name in entries.reversed() {
                if name == ".git" { continue }
                let childRel = rel.isEmpty ? name : rel + "/" + name
                let full = root + "/" + childRel
                var childIsDir: ObjCBool = false
                guard fm.fileExists(atPath: full, isDirectory: &childIsDir) else { continue }   // dangling link
                if honourGitignore && ignore.isIgnored(childRel, isDirectory: childIsDir.boolValue) { continue }
                if childIsDir.boolValue {
                    let attrs = try? fm.attributesOfItem(atPath: full)
                    if (attrs?[.type] as? FileAttributeType) == .typeSymbolicLink { continue }
                    stack.append(childRel)
                } else {
                    readFile(full, display: full, into: &report, visit)
                }
            }
        }
    }

    private func readFile(_ path: String, display: String, into report: inout ScanReport,
                          _ visit: (String, [UInt8], inout ScanReport) -> Void) {
        let fm = FileManager.default
        if let size = (try? fm.attributesOfItem(atPath: path))?[.size] as? Int, size > maxFileSize {
            report.skipped.append("\(display) (larger than \(maxFileSize) bytes)")
            return
        }
        guard let data = fm.contents(atPath: path) else {
            report.errors.append("\(display): cannot read file")
            return
        }
        let bytes = [UInt8](data)
        if bytes.prefix(8192).contains(0) {
            report.skipped.append("\(display) (binary)")
            return
        }
        visit(display, bytes, &report)
    }
}
