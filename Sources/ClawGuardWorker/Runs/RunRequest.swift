import ClawGuardCore
import Foundation

/// What a caller asks for: `POST /v1/runs` `{prompt, profile, budget_usd, timeout, user, phases}`.
public struct RunRequest: Sendable, Hashable, Codable {
    /// The task for the agent.
    public var prompt: String
    /// The policy profile the run (or its execute phase) uses.
    public var profile: String
    /// The most the run may spend, in USD.
    public var budgetUSD: Double
    /// Wall-clock limit in seconds (nil: the worker's default).
    public var timeoutSeconds: Double?
    /// Who asks (rate limits, daily budget, one active run).
    public var user: String
    /// Nil or `[execute]`: one run. `[explore, execute]`: a read-only exploration first, held for approval.
    public var phases: [RunPhase]?

    public init(prompt: String, profile: String, budgetUSD: Double, timeoutSeconds: Double? = nil, user: String,
                phases: [RunPhase]? = nil) {
        self.prompt = prompt
        self.profile = profile
        self.budgetUSD = budgetUSD
        self.timeoutSeconds = timeoutSeconds
        self.user = user
        self.phases = phases
    }

    enum CodingKeys: String, CodingKey {
        case prompt, profile, budgetUSD = "budget_usd", timeoutSeconds = "timeout", user, phases
    }
}

/// A phase of a phased run.
public enum RunPhase: String, Sendable, Hashable, Codable, CaseIterable {
    /// Read-only exploration: the plan or findings are held for approval.
    case explore
    /// The task itself, with the requested (write) profile.
    case execute
}

/// The state of a run. Raw values are what the runs table and the API show.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case queued, running
    case awaitingApproval = "awaiting_approval"
    case completed, failed, cancelled
    case timedOut = "timed_out"
    case budgetExceeded = "budget_exceeded"
    /// The explore phase's plan was not approved.
    case rejected

    /// Whether the run has ended.
    public var isFinal: Bool { ![.queued, .running, .awaitingApproval].contains(self) }
}

/// Why a run ended (the `end_reason` column).
public enum EndReason: String, Sendable, Hashable, Codable, CaseIterable {
    case completed, error, timeout, cancelled, budget, rejected
    case startFailed = "start_failed"

    /// The status a run ending for this reason gets.
    public var status: RunStatus {
        switch self {
        case .completed: .completed
        case .error, .startFailed: .failed
        case .timeout: .timedOut
        case .cancelled: .cancelled
        case .budget: .budgetExceeded
        case .rejected: .rejected
        }
    }
}

/// The worker's error: a code that can grow, and a message that says what to do.
public struct WorkerError: Error, Sendable, CustomStringConvertible {
    /// A stable code (`refused` carries the guard's own code in `refusal`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable { case invalidRequest, refused, notFound, conflict, internalError }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }
        /// The request is malformed.
        public static let invalidRequest = Code(.invalidRequest)
        /// A guard refused the run (see `refusal`).
        public static let refused = Code(.refused)
        /// No such run.
        public static let notFound = Code(.notFound)
        /// The run is not in a state that allows this (cancel an ended run, approve a run not waiting).
        public static let conflict = Code(.conflict)
        /// The worker failed (store, spawn): nothing was started.
        public static let internalError = Code(.internalError)
        public var description: String { wrapped.rawValue }
    }

    public var code: Code
    public var message: String
    /// The guard that refused (`prompt_too_long`, `rate_limited_user`…), for `.refused`.
    public var refusal: String?
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, refusal: String? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.refusal = refusal
        self.underlying = underlying
    }

    public var description: String { refusal.map { "\(code) (\($0)): \(message)" } ?? "\(code): \(message)" }
}
