/// One replaced span.
public struct Redaction: Sendable, Hashable, Codable {
    /// Credential kind (`aws-access-key`) or PII kind (`email`).
    public var kind: String
    /// The rule that found it (`aws-access-key`, `generic-password`, `pii/email`).
    public var rule: String
    /// Byte range in the original UTF-8 input.
    public var byteRange: Range<Int>
    public var line: Int
    public var column: Int
    /// Four hex digits of a stable hash of the original value; equal values get equal tags.
    public var tag: String
    /// The text written in its place: `[REDACTED:kind:tag]`.
    public var replacement: String
}

/// Replaces credentials and personal data with `[REDACTED:kind:hash4]` markers. The hash is stable across runs and
/// machines, so the audit trail can correlate repeated values without storing them.
///
/// ```swift
/// let (clean, found) = Redactor().redact(toolOutput)
/// ```
public struct Redactor: Sendable {
    public var options: ScannerConfiguration.Redaction
    private let secrets: SecretScanner
    private let pii: PIIScanner

    public init(_ options: ScannerConfiguration.Redaction = .init(), secretScanner: SecretScanner = .standard) {
        self.options = options
        self.secrets = secretScanner
        self.pii = PIIScanner(kinds: options.pii)
    }

    /// The marker written in place of a value.
    public static func marker(kind: String, tag: String) -> String { "[REDACTED:\(kind):\(tag)]" }

    /// Returns the redacted text and what was replaced (in input order). Overlaps keep the credential finding.
    public func redact(_ text: String) -> (text: String, findings: [Redaction]) {
        var input = text
        let (bytes, found) = input.withUTF8 { redact(bytes: $0) }
        return found.isEmpty ? (text, []) : (String(decoding: bytes, as: UTF8.self), found)
    }

    /// Byte-exact variant for streams that need not be valid UTF-8: unmatched bytes are copied unchanged.
    public func redact(bytes buf: UnsafeBufferPointer<UInt8>) -> (bytes: [UInt8], findings: [Redaction]) {
        var items: [Redaction] = []
        if options.secrets {
            for f in secrets.scan(bytes: buf) {
                items.append(Redaction(kind: f.kind, rule: f.rule, byteRange: f.byteRange, line: f.line,
                                       column: f.column, tag: f.tag,
                                       replacement: Self.marker(kind: f.kind, tag: f.tag)))
            }
        }
        if !options.pii.isEmpty {
            // Both lists are in input order: one merge pass drops PII that overlaps a credential.
            let secretRanges = items.map(\.byteRange)
            var k = 0
            for f in pii.scan(bytes: buf) {
                while k < secretRanges.count, secretRanges[k].upperBound <= f.byteRange.lowerBound { k += 1 }
                if k < secretRanges.count, secretRanges[k].overlaps(f.byteRange) { continue }
                items.append(Redaction(kind: f.kind.rawValue, rule: "pii/\(f.kind.rawValue)",
                                       byteRange: f.byteRange, line: f.line, column: f.column, tag: f.tag,
                                       replacement: Self.marker(kind: f.kind.rawValue, tag: f.tag)))
            }
        }
        if items.isEmpty { return (Array(buf), []) }
        items.sort { $0.byteRange.lowerBound < $1.byteRange.lowerBound }
        var out: [UInt8] = []
        out.reserveCapacity(buf.count)
        var cursor = 0
        for item in items where item.byteRange.lowerBound >= cursor {
            out.append(contentsOf: buf[cursor..<item.byteRange.lowerBound])
            out.append(contentsOf: item.replacement.utf8)
            cursor = item.byteRange.upperBound
        }
        out.append(contentsOf: buf[cursor..<buf.count])
        return (out, items)
    }
}
