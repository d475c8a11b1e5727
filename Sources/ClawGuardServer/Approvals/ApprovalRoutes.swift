import ClawGuardCore
import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `POST /v1/approvals/{id}/approve|deny` and batch bodies.
struct ApprovalDecisionBody: Decodable {
    var reason: String?
    var scope: ApprovalScope?
}

struct ApprovalBatchBody: Decodable {
    var ids: [String]
    var decision: String
    var reason: String?
    var scope: ApprovalScope?
}

extension Router<GatewayContext> {
    /// Approvals: list, show, approve, deny, batch, and a server-sent-events stream. Reading needs
    /// `approvals:write` or `sessions:read`; deciding needs `approvals:write`.
    public func addApprovalRoutes(_ services: GatewayServices) {
        let approvals = services.approvals
        let decisions = services.decisions
        let broker = services.broker
        let limit = services.configuration.maxBodyBytes
        let requireRead: @Sendable (GatewayContext) throws -> Void = { context in
            if context.token?.scopes.grant(.sessionsRead) == true { return }
            try context.require(.approvalsWrite)
        }

        get("/v1/approvals") { request, context -> Response in
            try requireRead(context)
            var status: ApprovalStatus?
            if let text = request.uri.queryParameters["status"].map(String.init) {
                guard let parsed = ApprovalStatus(rawValue: text) else {
                    throw GatewayError(.badRequest, "status must be one of \(ApprovalStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                status = parsed
            }
            let session = request.uri.queryParameters["session"].map(String.init)
            let count = try QueryValues.int(request, "limit", default: 100, range: 1...1000)
            return JSONText.response(["approvals": try approvals.list(status: status, session: session, limit: count)])
        }

        get("/v1/approvals/stream") { _, context -> Response in
            try requireRead(context)
            let events = broker.subscribe()
            let pending = try approvals.list(status: .pending, limit: 1000)
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: ": clawguard approvals stream\n\n"))
                    for approval in pending.reversed() {
                        try await writer.write(ByteBuffer(string: SSE.event("pending", JSONText.encode(ApprovalEvent(type: "pending", approval: approval)))))
                    }
                    for await event in events.cancelOnGracefulShutdown() {
                        try await writer.write(ByteBuffer(string: SSE.event(event.type, JSONText.encode(event))))
                    }
                    try await writer.finish(nil)
                })
        }

        get("/v1/approvals/{id}") { _, context -> Response in
            try requireRead(context)
            let id = try context.parameters.require("id")
            guard let record = try approvals.get(id) else { throw GatewayError(.notFound, "no approval \(id)") }
            return JSONText.response(record)
        }

        for (action, approve) in [("approve", true), ("deny", false)] {
            post("/v1/approvals/{id}/\(action)") { request, context -> Response in
                try context.require(.approvalsWrite)
                let id = try context.parameters.require("id")
                let body = request.headers[.contentLength] == "0" ? ApprovalDecisionBody()
                    : try await JSONText.read(ApprovalDecisionBody.self, request, limit: limit)
                guard let existing = try approvals.get(id) else { throw GatewayError(.notFound, "no approval \(id)") }
                guard let record = try decisions.decideApproval(id, ApprovalDecision(approve: approve, reason: body.reason, scope: body.scope ?? .once),
                                                                by: context.actor) else {
                    throw GatewayError(.conflict, "approval \(id) is already \(existing.status.rawValue)")
                }
                return JSONText.response(record)
            }
        }

        post("/v1/approvals/batch") { request, context -> Response in
            try context.require(.approvalsWrite)
            let body = try await JSONText.read(ApprovalBatchBody.self, request, limit: limit)
            guard ["approve", "deny"].contains(body.decision) else { throw GatewayError(.badRequest, "decision must be approve or deny") }
            guard !body.ids.isEmpty, body.ids.count <= 1000 else { throw GatewayError(.badRequest, "ids must list 1 to 1000 approvals") }
            var decided: [ApprovalRecord] = []
            var skipped: [String] = []
            for id in body.ids {
                if let record = try decisions.decideApproval(id, ApprovalDecision(approve: body.decision == "approve", reason: body.reason,
                                                                                  scope: body.scope ?? .once), by: context.actor) {
                    decided.append(record)
                } else {
                    skipped.append(id)
                }
            }
            return JSONText.response(BatchAnswer(decided: decided, skipped: skipped))
        }
    }
}

struct BatchAnswer: Encodable {
    var decided: [ApprovalRecord]
    /// Unknown or no longer pending.
    var skipped: [String]
}

/// Server-sent-events framing.
enum SSE {
    static func event(_ name: String, _ data: String) -> String {
        "event: \(name)\n" + data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)\n" }.joined() + "\n"
    }
}

/// Query parameters with clear errors.
enum QueryValues {
    static func int(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return value }
        guard let number = Int(String(text)), range.contains(number) else {
            throw GatewayError(.badRequest, "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    static func date(_ request: Request, _ name: String) throws -> Date? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        throw GatewayError(.badRequest, "\(name) must be an ISO 8601 time such as 2026-11-25T10:00:00Z")
    }
}
