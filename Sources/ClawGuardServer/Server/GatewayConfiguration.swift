import Foundation

/// Everything `clawguard serve` can be told. Plain values; the CLI fills them from flags.
public struct GatewayConfiguration: Sendable {
    /// The address to bind (default loopback only).
    public var host: String
    /// The port (0: any free port; the bound port is reported by `onServerRunning`).
    public var port: Int
    /// Binding anything but a loopback address needs this flag (and authentication, which is always on).
    public var allowRemote: Bool
    /// The policy files (empty: discovery from `workingDirectory`).
    public var policyPaths: [String]
    /// The profile to apply.
    public var profile: String?
    /// The directory relative paths and discovery start from.
    public var workingDirectory: String
    /// The home directory for `~` in policies.
    public var home: String
    /// The server-owned policy layer that `always` approvals append to (nil: next to the state database).
    public var approvalPolicyPath: String?
    /// Authentication and abuse protection.
    public var auth: AuthSettings
    /// The largest request body accepted, in bytes (413 above).
    public var maxBodyBytes: Int
    /// How long `/v1/decide` with `wait: true` waits for an approval before denying.
    public var approvalTimeout: Duration
    /// Automatic approvers consulted for every new approval (webhook, command), in order.
    public var approvers: [ApproverConfiguration]
    /// Every commit waits for the disk (`synchronous = FULL`); otherwise `NORMAL` in WAL mode: nothing is lost when
    /// the process crashes, the last commits may be lost on a power failure (see docs/GATEWAY.md).
    public var durableCommits: Bool = false
    /// The metric name prefix (`openclaw` matches the reference alert rules).
    public var metricsPrefix: String = "clawguard"

    public init(host: String = "127.0.0.1", port: Int = 8787, allowRemote: Bool = false, policyPaths: [String] = [],
                profile: String? = nil, workingDirectory: String = FileManager.default.currentDirectoryPath,
                home: String = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory(),
                approvalPolicyPath: String? = nil, auth: AuthSettings = AuthSettings(), maxBodyBytes: Int = 1 << 20,
                approvalTimeout: Duration = .seconds(120), approvers: [ApproverConfiguration] = []) {
        self.host = host
        self.port = port
        self.allowRemote = allowRemote
        self.policyPaths = policyPaths
        self.profile = profile
        self.workingDirectory = workingDirectory
        self.home = home
        self.approvalPolicyPath = approvalPolicyPath
        self.auth = auth
        self.maxBodyBytes = maxBodyBytes
        self.approvalTimeout = approvalTimeout
        self.approvers = approvers
    }

    /// Whether `host` is a loopback address.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Refuses a non-loopback bind without `allowRemote`.
    public func validate() throws(GatewayError) {
        if !Self.isLoopback(host) && !allowRemote {
            throw GatewayError(.badRequest, "refusing to bind \(host): only loopback addresses are allowed without --allow-remote (authentication stays on; put TLS in front, see docs/GATEWAY.md)")
        }
        if port < 0 || port > 65_535 { throw GatewayError(.badRequest, "port \(port) is out of range") }
        if maxBodyBytes < 1024 { throw GatewayError(.badRequest, "the body limit must be at least 1024 bytes") }
    }
}

/// Authentication and abuse-protection settings.
public struct AuthSettings: Sendable {
    /// Failed authentications from one client address that trigger a lockout…
    public var lockoutFailures: Int
    /// …within this window…
    public var lockoutWindow: Duration
    /// …lock the address out for this long.
    public var lockoutDuration: Duration
    /// Requests per minute per token (0: no limit).
    public var requestsPerMinute: Int
    /// Requests a token may make at once above the steady rate.
    public var burst: Int

    public init(lockoutFailures: Int = 10, lockoutWindow: Duration = .seconds(60), lockoutDuration: Duration = .seconds(300),
                requestsPerMinute: Int = 600_000, burst: Int = 10_000) {
        self.lockoutFailures = lockoutFailures
        self.lockoutWindow = lockoutWindow
        self.lockoutDuration = lockoutDuration
        self.requestsPerMinute = requestsPerMinute
        self.burst = burst
    }
}

/// An automatic approver: a webhook or a command, consulted when an approval is created.
public struct ApproverConfiguration: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case webhook, command }
    public var kind: Kind
    /// The URL (webhook) or the command line, run without a shell (command).
    public var target: String
    /// A name for the audit trail (`decided_by`).
    public var name: String
    /// How long to wait for its verdict.
    public var timeout: Duration

    public init(kind: Kind, target: String, name: String? = nil, timeout: Duration = .seconds(30)) {
        self.kind = kind
        self.target = target
        self.name = name ?? "\(kind.rawValue):\(target)"
        self.timeout = timeout
    }

    /// Parses `webhook=URL` or `command=CMD`.
    public static func parse(_ text: String) throws(GatewayError) -> ApproverConfiguration {
        guard let eq = text.firstIndex(of: "="), let kind = Kind(rawValue: String(text[..<eq])) else {
            throw GatewayError(.badRequest, "approver '\(text)': write webhook=URL or command=PROGRAM ARGS")
        }
        let target = String(text[text.index(after: eq)...])
        guard !target.isEmpty else { throw GatewayError(.badRequest, "approver '\(text)' has no target") }
        return ApproverConfiguration(kind: kind, target: target)
    }
}
