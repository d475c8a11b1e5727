import ClawGuardCore
import ClawGuardStore
import Foundation

/// At most `count` run starts within `seconds`.
public struct RateWindow: Sendable, Hashable, Codable {
    public var count: Int
    public var seconds: Double
    public init(count: Int, seconds: Double) {
        self.count = count
        self.seconds = seconds
    }
    public static func perMinute(_ count: Int) -> RateWindow { RateWindow(count: count, seconds: 60) }
    public static func perHour(_ count: Int) -> RateWindow { RateWindow(count: count, seconds: 3600) }
}

/// The guards' limits.
public struct WorkerLimits: Sendable, Hashable {
    /// Longest prompt, in characters.
    public var maxPromptLength = 20_000
    /// At most this many runs of one user not yet ended (nil: unlimited).
    public var maxActiveRunsPerUser: Int? = 1
    /// Run starts per user.
    public var perUser: [RateWindow] = [.perMinute(5), .perHour(60)]
    /// Run starts of everyone.
    public var global: [RateWindow] = [.perMinute(30), .perHour(600)]
    /// A run's budget when its profile names no `budgets.session_usd`.
    public var defaultMaxBudgetUSD = 5.0
    /// The timeout when the request names none, and the longest one allowed.
    public var defaultTimeoutSeconds = 600.0
    public var maxTimeoutSeconds = 3600.0

    public init() {}
}

/// Where things are and how runs start.
public struct WorkerConfiguration: Sendable {
    /// The state database (runs, decisions, budgets, audit trail).
    public var statePath: String
    /// Policy files, layered, for the sandbox and the hooks (empty: discovery from `runsDirectory`).
    public var policyPaths: [String]
    /// Per-run directories (workspace, settings, logs) are made here.
    public var runsDirectory: String
    /// The `clawguard` executable (the sandbox and the hook).
    public var clawguardPath: String
    /// The agent executable (Claude Code).
    public var agentPath: String
    /// How the agent command line is built.
    public var template: CommandTemplate
    /// Extra `NAME=VALUE` for the agent's minimal environment (the API endpoint and key).
    public var agentEnvironment: [String: String]
    /// Tools the agent may use (`--allowedTools`); ClawGuard's hook still decides every call.
    public var allowedTools: [String]
    /// Profile of the explore phase (read-only).
    public var exploreProfile: String
    /// Tools of the explore phase.
    public var exploreTools: [String]
    public var limits: WorkerLimits
    /// How long a stopped run's process group has between SIGTERM and SIGKILL.
    public var killGraceSeconds: Double
    /// How often the budget watchdog reads the session's spend.
    public var budgetPollSeconds: Double
    /// The gateway the hooks ask instead of the state database (set by `clawguard serve`); nil: the hook decides
    /// locally with the state directory bound into the sandbox (weaker isolation, docs/WORKER.md).
    public var gateway: WorkerGatewayAccess?

    public init(statePath: String, policyPaths: [String], runsDirectory: String, clawguardPath: String,
                agentPath: String, template: CommandTemplate = .claudeCodeInSandbox,
                agentEnvironment: [String: String] = [:],
                allowedTools: [String] = ["Bash", "Read", "Edit", "Write", "Glob", "Grep"],
                exploreProfile: String = "explorer", exploreTools: [String] = ["Bash", "Read", "Glob", "Grep"],
                limits: WorkerLimits = WorkerLimits(), killGraceSeconds: Double = 5, budgetPollSeconds: Double = 1) {
        self.statePath = statePath
        self.policyPaths = policyPaths
        self.runsDirectory = runsDirectory
        self.clawguardPath = clawguardPath
        self.agentPath = agentPath
        self.template = template
        self.agentEnvironment = agentEnvironment
        self.allowedTools = allowedTools
        self.exploreProfile = exploreProfile
        self.exploreTools = exploreTools
        self.limits = limits
        self.killGraceSeconds = killGraceSeconds
        self.budgetPollSeconds = budgetPollSeconds
    }
}
