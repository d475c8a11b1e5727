import Foundation

/// How a run's hook reaches the gateway that started it (`clawguard serve --worker-runs`): the gateway's unix
/// socket, and a per-run token. With it, the sandbox sees neither the state directory nor the audit key: every
/// tool call is decided by the gateway through `clawguard hook claude --server unix:…` (docs/WORKER.md,
/// "Isolation"). Without it (the `RunManager` used on its own) the hook decides locally with the state directory
/// bound read-write into the sandbox — weaker isolation.
public struct WorkerGatewayAccess: Sendable {
    /// A token issued for one run.
    public struct Token: Sendable {
        public var id: String
        public var secret: String
        public init(id: String, secret: String) {
            self.id = id
            self.secret = secret
        }
    }

    /// The gateway's unix socket on the host; its directory is bound read-only into the sandbox.
    public var socketPath: String
    /// Issues a token for a run (scope `chat`, for `/v1/decide` only) that expires at the given date.
    public var issue: @Sendable (_ runID: String, _ expiresAt: Date) throws -> Token
    /// Revokes a run's token (the run's phase ended).
    public var revoke: @Sendable (_ tokenID: String) -> Void

    public init(socketPath: String, issue: @escaping @Sendable (String, Date) throws -> Token,
                revoke: @escaping @Sendable (String) -> Void) {
        self.socketPath = socketPath
        self.issue = issue
        self.revoke = revoke
    }
}
