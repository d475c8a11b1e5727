import Hummingbird

extension Router<GatewayContext> {
    /// `POST /v1/decide` (scope `chat`).
    public func addDecideRoutes(_ services: GatewayServices) {
        let decisions = services.decisions
        let limit = services.configuration.maxBodyBytes
        let cwd = services.configuration.workingDirectory
        post("/v1/decide") { request, context -> Response in
            try context.require(.chat)
            let body = try await JSONText.readObject(request, limit: limit)
            let decide = try DecideRequest.parse(body, defaultCwd: cwd)
            let answer = await decisions.decide(decide, token: context.token!)
            return JSONText.response(answer)
        }
    }
}
