#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Accepted findings: a JSON file (`clawguard scan --write-baseline FILE`) listing finding fingerprints that CI should
/// no longer report, plus optional rule ids and path prefixes to allow wholesale.
///
/// ```json
/// {"version": 1,
///  "findings": [{"fingerprint": "3f9a…", "rule": "generic-password", "file": "tests/fixtures/db.env"}],
///  "allowRules": [], "allowPaths": ["tests/fixtures/"]}
/// ```
public struct SecretBaseline: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public var fingerprint: String
        public var rule: String
        public var file: String?

        public init(fingerprint: String, rule: String, file: String?) {
            self.fingerprint = fingerprint
            self.rule = rule
            self.file = file
        }
    }

    public var version: Int
    public var findings: [Entry]
    public var allowRules: [String]
    public var allowPaths: [String]

    public init(findings: [Entry] = [], allowRules: [String] = [], allowPaths: [String] = []) {
        self.version = 1
        self.findings = findings
        self.allowRules = allowRules
        self.allowPaths = allowPaths
    }

    enum CodingKeys: String, CodingKey { case version, findings, allowRules, allowPaths }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? 1
        findings = try c.decodeIfPresent([Entry].self, forKey: .findings) ?? []
        allowRules = try c.decodeIfPresent([String].self, forKey: .allowRules) ?? []
        allowPaths = try c.decodeIfPresent([String].self, forKey: .allowPaths) ?? []
    }

    /// Parses a baseline file. Throws on malformed JSON or an unknown version, so a broken baseline never
    /// silently allows everything.
    public static func decode(_ data: Data) throws -> SecretBaseline {
        let baseline = try JSONDecoder().decode(SecretBaseline.self, from: data)
        guard baseline.version == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription:
                "unsupported baseline version \(baseline.version) (expected 1)"))
        }
        return baseline
    }

    /// Fingerprints to hand to `ScannerConfiguration.Secrets.allowedFingerprints`.
    public var fingerprints: Set<String> { Set(findings.map(\.fingerprint)) }

    /// Whether a finding of `rule` in `file` with `fingerprint` is accepted.
    public func allows(fingerprint: String, rule: String, file: String?) -> Bool {
        if fingerprints.contains(fingerprint) || allowRules.contains(rule) { return true }
        if let file { return allowPaths.contains { file.hasPrefix($0) } }
        return false
    }
}
