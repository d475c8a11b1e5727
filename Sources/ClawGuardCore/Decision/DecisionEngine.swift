// CONTRACT STUB — the lead replaces this with the real engine; the entry points stay.

/// Decides tool calls against one effective policy. A value: build once, call `decide` from any thread.
public struct DecisionEngine: Sendable {
    public let policy: Policy
    /// The user's home directory, for `~` in rules and paths.
    public let home: String

    public init(policy: Policy, home: String) {
        self.policy = policy
        self.home = home
    }

    /// Decides one tool call. Never throws: anything that cannot be judged is a deny with the reason.
    public func decide(_ call: ToolCall) -> Verdict {
        .failClosed("the decision engine is not implemented yet", kind: .limit)
    }
}
