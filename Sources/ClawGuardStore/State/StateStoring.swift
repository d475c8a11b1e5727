import ClawGuardCore
import Foundation

/// The seam between callers (the hook, the CLI, the server) and the state store. `StateStore` implements it over
/// SQLite; `StateStore.inMemory()` serves unit tests of callers with the same semantics and no files.
public protocol StateStoring: Sendable {
    /// Checks and records one tool call in one transaction. See `StateStore.recordToolCall`.
    func recordToolCall(_ call: ToolCallEvent, verdict: Verdict, limits: Limits, now: Date) throws(ClawGuardError) -> ToolCallOutcome
    /// Records a tool's result (PostToolUse).
    func recordToolResult(session: String, agent: String, user: String, tool: String, success: Bool, error: String?,
                          now: Date) throws(ClawGuardError)
    /// Starts a session.
    func startSession(_ start: SessionStart, now: Date) throws(ClawGuardError) -> SessionSnapshot
    /// Ends a session.
    @discardableResult
    func endSession(_ id: String, success: Bool, prices: PriceTable?, now: Date) throws(ClawGuardError) -> SessionSnapshot?
    /// Terminates a session: later calls are denied.
    @discardableResult
    func terminateSession(_ id: String, reason: String, now: Date) throws(ClawGuardError) -> Bool
    /// Sets the kill switch.
    @discardableResult
    func setKillSwitch(_ on: Bool, reason: String?, now: Date) throws(ClawGuardError) -> KillSwitchState
    /// Reads the kill switch.
    func killSwitch() throws(ClawGuardError) -> KillSwitchState
    /// Appends events to the audit trail.
    @discardableResult
    func appendAudit(_ events: [AuditEvent], now: Date) throws(ClawGuardError) -> [AuditRecord]
    /// Verifies the audit trail.
    func verifyAudit() throws(ClawGuardError) -> AuditVerification
}

extension StateStore: StateStoring {}
