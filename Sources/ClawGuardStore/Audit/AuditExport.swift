import ClawGuardCore
import Foundation

/// Line formats for exporting the audit trail to SIEMs.
public enum AuditExportFormat: String, Sendable, CaseIterable {
    /// One JSON object per line: every field, including `prev_hash` and `hash`.
    case jsonl
    /// ArcSight Common Event Format.
    case cef
    /// RFC 5424 syslog lines (without transport framing).
    case syslog
}

extension AuditRecord {
    /// The event type (unknown types are treated as `error` severity).
    public var eventType: AuditEventType {
        AuditEventType.named(type) ?? AuditEventType(type, .error, fields: [], security: true)
    }

    /// The record as one line in `format`.
    public func line(_ format: AuditExportFormat, hostname: String = AuditRecord.hostname, appName: String = "clawguard",
                     facility: Int = SyslogFacility.authpriv) -> String {
        switch format {
        case .jsonl: CanonicalJSON.encode(jsonObject)
        case .cef: cefLine
        case .syslog: syslogMessage(hostname: hostname, appName: appName, facility: facility)
        }
    }

    /// `CEF:0|ClawGuard|clawguard|0.1|<type>|<summary>|<severity>|<extensions>`
    public var cefLine: String {
        func header(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
                .replacingOccurrences(of: "\n", with: " ")
        }
        func ext(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "=", with: "\\=")
                .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
        }
        var fields: [(String, String)] = [("rt", time), ("cs1Label", "seq"), ("cs1", String(seq))]
        if let session { fields += [("cs2Label", "session"), ("cs2", session)] }
        if let agent { fields.append(("suser", agent)) }
        if let user { fields.append(("duser", user)) }
        if let tool { fields.append(("act", tool)) }
        if let decision { fields.append(("outcome", decision)) }
        if let rule { fields += [("cs3Label", "rule"), ("cs3", rule)] }
        if let reason { fields.append(("reason", reason)) }
        fields += [("cs4Label", "hash"), ("cs4", hash), ("msg", details)]
        let summary = reason.map { "\(type): \($0)" } ?? type
        return "CEF:0|ClawGuard|clawguard|0.1|\(header(type))|\(header(String(summary.prefix(200))))|\(eventType.severity.cefSeverity)|"
            + fields.map { "\($0.0)=\(ext($0.1))" }.joined(separator: " ")
    }

    /// An RFC 5424 message: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID [clawguard@32473 …] MSG`.
    public func syslogMessage(hostname: String = AuditRecord.hostname, appName: String = "clawguard",
                              facility: Int = SyslogFacility.authpriv) -> String {
        let pri = facility * 8 + eventType.severity.syslogSeverity
        func param(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "]", with: "\\]")
        }
        func name(_ s: String, _ max: Int) -> String {
            let printable = s.unicodeScalars.filter { $0.value >= 33 && $0.value <= 126 }.map(String.init).joined()
            return printable.isEmpty ? "-" : String(printable.prefix(max))
        }
        var params = [("seq", String(seq)), ("hash", hash)]
        for (key, value) in [("session", session), ("agent", agent), ("user", user), ("tool", tool),
                             ("decision", decision), ("rule", rule)] {
            if let value { params.append((key, value)) }
        }
        let sd = "[clawguard@32473 " + params.map { "\($0.0)=\"\(param($0.1))\"" }.joined(separator: " ") + "]"
        let message = (reason ?? type).replacingOccurrences(of: "\n", with: " ")
        return "<\(pri)>1 \(time) \(name(hostname, 255)) \(name(appName, 48)) \(getpid()) \(name(type, 32)) \(sd) \(message)"
    }

    /// This machine's host name.
    public static var hostname: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "-" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Syslog facility numbers (RFC 5424 table 1).
public enum SyslogFacility {
    public static let auth = 4
    public static let authpriv = 10
    public static let local0 = 16
}
