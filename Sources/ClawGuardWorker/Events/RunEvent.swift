import ClawGuardCore
import Foundation

/// One event of a run, numbered from 0: what the agent did (tool calls, results, text, cost), what ClawGuard
/// decided, approvals, and the run's status changes. Text is redacted before it becomes an event.
public struct RunEvent: Sendable, Hashable, Codable {
    public var seq: Int
    public var time: Date
    public var kind: Kind
    public var data: JSONValue

    public init(seq: Int, time: Date, kind: Kind, data: JSONValue) {
        self.seq = seq
        self.time = time
        self.kind = kind
        self.data = data
    }

    /// The kind of an event (a struct, so kinds can be added).
    public struct Kind: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// `{status, reason?}`
        public static let status = Kind(rawValue: "status")
        /// The agent started: `{session, model, tools}`
        public static let started = Kind(rawValue: "started")
        /// `{id, tool, input}`
        public static let toolCall = Kind(rawValue: "tool_call")
        /// `{id, is_error, output}`
        public static let toolResult = Kind(rawValue: "tool_result")
        /// The agent's text: `{text}`
        public static let text = Kind(rawValue: "text")
        /// A tool call the agent was refused: `{tool, id, input, reason?, source}`
        public static let denial = Kind(rawValue: "denial")
        /// ClawGuard's decision from the audit trail: `{type, tool, decision, rule, reason}`
        public static let decision = Kind(rawValue: "decision")
        /// `{state: pending|approved|rejected, plan?}`
        public static let approval = Kind(rawValue: "approval")
        /// Spend so far: `{usd, source}`
        public static let cost = Kind(rawValue: "cost")
        /// The agent's final answer: `{subtype, is_error, result, cost_usd, turns}`
        public static let result = Kind(rawValue: "result")
        /// Standard error of the run (the sandbox's report): `{line}`
        public static let stderr = Kind(rawValue: "stderr")
        /// The run ended: `{status, end_reason, cost_usd, duration_seconds}`
        public static let end = Kind(rawValue: "end")
        public var description: String { rawValue }
    }
}
