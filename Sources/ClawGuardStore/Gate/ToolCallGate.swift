import ClawGuardCore
import Foundation

/// What a hook or the gateway answers for one tool call: the engine's verdict on the call, the store's outcome
/// (limits, session, audit), and the reason as shown to the agent.
public struct GatedDecision: Sendable {
    /// The decision engine's verdict on the call itself.
    public var verdict: Verdict
    /// The store's outcome: `enforced` is what to answer.
    public var outcome: ToolCallOutcome
    /// The reason for the agent (`[shadow mode: would deny] …` in shadow mode).
    public var reason: String
    /// A spent budget, the kill switch or an ended session: the whole session stops, not just this call.
    public var stopSession: Bool
}

/// Decide, then check limits and record — the one sequence every entry point (the hook, `clawguard serve`)
/// follows for a `PreToolUse`, so they cannot drift apart.
public enum ToolCallGate {
    /// Limit hits that stop the whole session.
    public static let stoppingLimits: Set<LimitKind> = [.sessionBudget, .dailyBudget, .killSwitch, .sessionTerminated, .sessionTimeout]

    /// Judges `event` with `engine` and records it in `store` under `limits`.
    /// - Throws: `ClawGuardError` from the store; the caller must deny.
    public static func decide(_ event: ToolCallEvent, cwd: String, engine: DecisionEngine, limits: Limits,
                              store: some StateStoring, now: Date = Date()) throws(ClawGuardError) -> GatedDecision {
        let verdict = engine.decide(ToolCall(tool: event.tool, input: event.input, cwd: cwd))
        let outcome = try store.recordToolCall(event, verdict: verdict, limits: limits, now: now)
        return gated(verdict: verdict, outcome: outcome)
    }

    /// Builds the answer from a verdict and the store's outcome.
    public static func gated(verdict: Verdict, outcome: ToolCallOutcome) -> GatedDecision {
        var reason = outcome.reason
        if outcome.shadow && outcome.decision != .allow {
            reason = "[shadow mode: would \(outcome.decision.rawValue)] " + reason
        }
        let stop = outcome.enforced == .deny && outcome.hits.contains { stoppingLimits.contains($0.kind) }
        return GatedDecision(verdict: verdict, outcome: outcome, reason: reason, stopSession: stop)
    }
}
