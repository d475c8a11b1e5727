import ClawGuardCore
import ClawGuardStore
import ClawGuardWorker
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// The body of `POST /v1/runs`.
struct RunRequestBody: Decodable {
    var prompt: String
    var profile: String
    var budgetUSD: Double
    var timeout: Double?
    /// Who the run is for; defaults to the token's name. Only a token with `*` may start runs for someone else.
    var user: String?
    var phases: [RunPhase]?

    enum CodingKeys: String, CodingKey { case prompt, profile, budgetUSD = "budget_usd", timeout, user, phases }
}

/// A run as the API shows it.
struct RunView: Encodable {
    var id: String
    var status: String
    var phase: String
    var parentID: String?
    var user: String
    var profile: String
    var session: String?
    var result: String?
    var costUSD: Double
    var budgetUSD: Double
    var durationSeconds: Double?
    var denials: JSONValue
    var endReason: String?
    var error: String?
    var exitStatus: Int?
    var createdAt: Date
    var startedAt: Date?
    var endedAt: Date?
    var approvalID: String?

    init(_ row: RunRow, approvalID: String? = nil) {
        id = row.id
        status = row.status
        phase = row.phase
        parentID = row.parentID
        user = row.user
        profile = row.profile
        session = row.session
        result = row.result
        costUSD = row.costUSD
        budgetUSD = row.budgetUSD
        durationSeconds = row.durationSeconds
        denials = (try? JSONDecoder().decode(JSONValue.self, from: Data(row.denials.utf8))) ?? .array([])
        endReason = row.endReason
        error = row.error
        exitStatus = row.exitStatus
        createdAt = Date(timeIntervalSince1970: row.createdAt)
        startedAt = row.startedAt.map(Date.init(timeIntervalSince1970:))
        endedAt = row.endedAt.map(Date.init(timeIntervalSince1970:))
        self.approvalID = approvalID
    }

    enum CodingKeys: String, CodingKey {
        case id, status, phase, parentID = "parent_id", user, profile, session, result, costUSD = "cost_usd"
        case budgetUSD = "budget_usd", durationSeconds = "duration_seconds", denials, endReason = "end_reason", error
        case exitStatus = "exit_status", createdAt = "created_at", startedAt = "started_at", endedAt = "ended_at"
        case approvalID = "approval_id"
    }
}

extension WorkerError {
    /// The HTTP answer for a worker error (a refusal is 429 for rate limits, 403 otherwise, with the guard's code).
    var gatewayError: GatewayError {
        switch code {
        case .refused:
            let limited = refusal?.hasPrefix("rate_limited") == true || refusal == "too_many_active_runs"
            return GatewayError(limited ? .tooManyRequests : .forbidden, "\(refusal ?? "refused"): \(message)")
        case .notFound: return GatewayError(.notFound, message)
        case .conflict: return GatewayError(.conflict, message)
        case .invalidRequest: return GatewayError(.badRequest, message)
        default: return GatewayError(.internalError, message)
        }
    }
}

extension Router<GatewayContext> {
    /// The worker API: `POST /v1/runs` (scope `chat`), `GET /v1/runs/{id}`, `GET /v1/runs/{id}/events` (server-sent
    /// events, replayed from `Last-Event-ID` or `?after=`), `POST /v1/runs/{id}/cancel`. A run's owner (the token's
    /// name) or a `sessions:read` token may read it; cancelling needs its owner or `sessions:write`. The plan of a
    /// phased run is approved through the gateway's approvals (`POST /v1/approvals/{id}/approve`). Without a
    /// configured worker every route answers 503.
    public func addRunRoutes(_ services: GatewayServices) {
        let limit = services.configuration.maxBodyBytes
        let worker: @Sendable () throws -> RunManager = {
            guard let manager = services.worker?.manager else {
                throw GatewayError(.unavailable, "the worker is not configured (clawguard serve --worker-runs DIR)")
            }
            return manager
        }
        let readable: @Sendable (GatewayContext, RunRow, Scope) throws -> Void = { context, row, scope in
            try context.require(.chat)
            if context.token?.name == row.user || context.token?.scopes.grant(scope) == true { return }
            throw GatewayError(.forbidden, "run \(row.id) belongs to another user")
        }
        let lookup: @Sendable (RunManager, String) throws -> RunRow = { manager, id in
            do { return try manager.status(id) } catch let error as WorkerError { throw error.gatewayError }
        }

        post("/v1/runs") { request, context -> Response in
            try context.require(.chat)
            let manager = try worker()
            let body = try await JSONText.read(RunRequestBody.self, request, limit: limit)
            let owner = context.token?.name ?? "anonymous"
            if let user = body.user, user != owner, context.token?.scopes.grant(.all) != true {
                throw GatewayError(.forbidden, "only an admin token may start a run for another user")
            }
            let runRequest = RunRequest(prompt: body.prompt, profile: body.profile, budgetUSD: body.budgetUSD,
                                        timeoutSeconds: body.timeout, user: body.user ?? owner, phases: body.phases)
            do {
                let row = try manager.submit(runRequest)
                return JSONText.response(RunView(row), status: .accepted)
            } catch let error as WorkerError {
                throw error.gatewayError
            }
        }

        get("/v1/runs/{id}") { _, context -> Response in
            try context.require(.chat)
            let manager = try worker()
            let row = try lookup(manager, try context.parameters.require("id"))
            try readable(context, row, .sessionsRead)
            return JSONText.response(RunView(row, approvalID: services.worker?.approvalID(forRun: row.id)))
        }

        get("/v1/runs/{id}/events") { request, context -> Response in
            try context.require(.chat)
            let manager = try worker()
            let row = try lookup(manager, try context.parameters.require("id"))
            try readable(context, row, .sessionsRead)
            var after = -1
            if let last = request.headers[HTTPField.Name("Last-Event-ID")!] ?? request.uri.queryParameters.get("after").map { String($0) } {
                guard let n = Int(last), n >= -1 else { throw GatewayError(.badRequest, "Last-Event-ID / after must be an event number") }
                after = n
            }
            let events: AsyncStream<RunEvent>
            do { events = try manager.events(row.id, afterSeq: after) } catch let error as WorkerError { throw error.gatewayError }
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: ": clawguard run \(row.id)\n\n"))
                    for await event in events.cancelOnGracefulShutdown() {
                        let data = JSONText.encode(RunEventView(event))
                        try await writer.write(ByteBuffer(string: "id: \(event.seq)\n" + SSE.event(event.kind.rawValue, data)))
                    }
                    try await writer.finish(nil)
                })
        }

        post("/v1/runs/{id}/cancel") { _, context -> Response in
            try context.require(.chat)
            let manager = try worker()
            let row = try lookup(manager, try context.parameters.require("id"))
            try readable(context, row, .sessionsWrite)
            do {
                _ = try manager.cancel(row.id)
                return JSONText.response(RunView(try manager.status(row.id)), status: .accepted)
            } catch let error as WorkerError {
                throw error.gatewayError
            }
        }
    }
}

/// A run event as the API shows it.
struct RunEventView: Encodable {
    var seq: Int
    var time: Date
    var kind: String
    var data: JSONValue
    init(_ e: RunEvent) {
        seq = e.seq
        time = e.time
        kind = e.kind.rawValue
        data = e.data
    }
}
