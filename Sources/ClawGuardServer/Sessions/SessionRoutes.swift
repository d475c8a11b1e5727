import ClawGuardCore
import ClawGuardStore
import Foundation
import Hummingbird

struct TerminateBody: Decodable { var reason: String? }
struct KillSwitchBody: Decodable {
    var on: Bool
    var reason: String?
}

extension Router<GatewayContext> {
    /// `/health` (public liveness) and `/ready` (the store answers; scope `health:read`).
    public func addHealthRoutes(_ services: GatewayServices) {
        let store = services.store
        get("/health") { _, _ -> Response in JSONText.response(["status": "ok"]) }
        get("/ready") { _, context -> Response in
            try context.require(.healthRead)
            do {
                _ = try store.killSwitch()
                return JSONText.response(["status": "ready"])
            } catch {
                throw GatewayError(.unavailable, "the state store is not reachable: \(GatewayError(error).message)")
            }
        }
    }

    /// Sessions (`sessions:read`, terminate `sessions:write`) and the kill switch (`config:read`/`config:write`).
    public func addSessionRoutes(_ services: GatewayServices) {
        let store = services.store
        let limit = services.configuration.maxBodyBytes
        get("/v1/sessions") { request, context -> Response in
            try context.require(.sessionsRead)
            let count = try QueryValues.int(request, "limit", default: 50, range: 1...1000)
            do { return JSONText.response(["sessions": try store.sessions(limit: count)]) } catch { throw GatewayError(error) }
        }
        get("/v1/sessions/{id}") { _, context -> Response in
            try context.require(.sessionsRead)
            let id = try context.parameters.require("id")
            let found: SessionSnapshot?
            do { found = try store.session(id) } catch { throw GatewayError(error) }
            guard let session = found else { throw GatewayError(.notFound, "no session \(id)") }
            return JSONText.response(session)
        }
        post("/v1/sessions/{id}/terminate") { request, context -> Response in
            try context.require(.sessionsWrite)
            let id = try context.parameters.require("id")
            let body = request.headers[.contentLength] == "0" ? TerminateBody() : try await JSONText.read(TerminateBody.self, request, limit: limit)
            let reason = body.reason ?? "terminated by \(context.actor)"
            do {
                guard try store.session(id) != nil else { throw GatewayError(.notFound, "no session \(id)") }
                try store.terminateSession(id, reason: reason)
                return JSONText.response(try store.session(id))
            } catch {
                throw GatewayError(error)
            }
        }
        get("/v1/kill-switch") { _, context -> Response in
            try context.require(.configRead)
            do { return JSONText.response(try store.killSwitch()) } catch { throw GatewayError(error) }
        }
        post("/v1/kill-switch") { request, context -> Response in
            try context.require(.configWrite)
            let body = try await JSONText.read(KillSwitchBody.self, request, limit: limit)
            do {
                return JSONText.response(try store.setKillSwitch(body.on, reason: body.reason.map { "\($0) (\(context.actor))" } ?? "set by \(context.actor)"))
            } catch { throw GatewayError(error) }
        }
    }
}
