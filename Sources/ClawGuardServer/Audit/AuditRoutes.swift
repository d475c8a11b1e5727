import ClawGuardCore
import ClawGuardStore
import Foundation
import GRDB
import Hummingbird

/// One page of `GET /v1/audit`.
struct AuditPage: Encodable {
    var records: [AuditRecord]
    /// Pass as `after` for the next page; null at the end.
    var nextAfter: Int64?

    enum CodingKeys: String, CodingKey { case records, nextAfter = "next_after" }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(records, forKey: .records)
        try c.encode(nextAfter, forKey: .nextAfter)
    }
}

extension Router<GatewayContext> {
    /// `GET /v1/audit?session=&type=&since=&until=&after=&limit=` (scope `audit:read`): records oldest first,
    /// paged by sequence number.
    public func addAuditRoutes(_ services: GatewayServices) {
        let store = services.store
        get("/v1/audit") { request, context -> Response in
            try context.require(.auditRead)
            let query = request.uri.queryParameters
            let count = try QueryValues.int(request, "limit", default: 100, range: 1...1000)
            let after = try QueryValues.int(request, "after", default: 0, range: 0...Int.max)
            let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!)
            let since = try QueryValues.date(request, "since").map { $0.formatted(style) }
            let until = try QueryValues.date(request, "until").map { $0.formatted(style) }
            var conditions = ["seq > ?"]
            var arguments: [any DatabaseValueConvertible] = [after]
            if let session = query["session"].map(String.init) { conditions.append("session = ?"); arguments.append(session) }
            if let type = query["type"].map(String.init) {
                guard AuditEventType.named(type) != nil else {
                    throw GatewayError(.badRequest, "unknown event type '\(type)'; known: \(AuditEventType.all.map(\.name).joined(separator: ", "))")
                }
                conditions.append("type = ?")
                arguments.append(type)
            }
            if let since { conditions.append("time >= ?"); arguments.append(since) }
            if let until { conditions.append("time < ?"); arguments.append(until) }
            let sql = "SELECT * FROM audit_log WHERE \(conditions.joined(separator: " AND ")) ORDER BY seq LIMIT \(count + 1)"
            var records: [AuditRecord]
            do {
                records = try store.adapterRead("reading the audit trail") { db in
                    try AuditRecord.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
                }
            } catch { throw GatewayError(error) }
            let more = records.count > count
            if more { records.removeLast() }
            return JSONText.response(AuditPage(records: records, nextAfter: more ? records.last?.seq : nil))
        }
    }
}
