import ClawGuardCore
import Foundation

extension RunStore {
    /// Runs `command` (through `/bin/sh -c`) in a sandbox whose workspace is the changed tree — the run's
    /// layer over the real workspace — itself copy-on-write, so the tests change nothing anywhere.
    /// - Returns: the test run's result; apply only when `exitCode == 0`.
    public func test(_ record: RunRecord, command: String, timeout: Duration?, runner: SandboxRunner = SandboxRunner())
        throws(ClawGuardError) -> SandboxResult
    {
        guard !record.applied else { throw ClawGuardError(.invalidInput, "run \(record.id) was already applied") }
        let scratch = record.directory + "/test-" + RunID.generate()
        defer { Self.removeTree(scratch) }
        do {
            try FileManager.default.createDirectory(atPath: scratch + "/upper", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: scratch + "/work", withIntermediateDirectories: true)
        } catch {
            throw ClawGuardError(.io, "cannot create \(scratch)", underlying: error)
        }
        var config = SandboxConfiguration(command: ["/bin/sh", "-c", command], workspace: record.workspace)
        config.overlay = OverlayLayers(lower: [record.upper, record.workspace], upper: scratch + "/upper", work: scratch + "/work")
        config.timeout = timeout
        return try runner.run(config)
    }

    /// `apply --if-passes`: applies the run's changes only when `command` succeeds over the changed tree.
    /// - Returns: the test result and the applied changes (empty when the tests failed).
    public func apply(_ record: RunRecord, ifPasses command: String, timeout: Duration?, runner: SandboxRunner = SandboxRunner())
        throws(ClawGuardError) -> (tests: SandboxResult, applied: [WorkspaceChange])
    {
        let result = try test(record, command: command, timeout: timeout, runner: runner)
        guard result.exitCode == 0, result.stoppedBy == nil else { return (result, []) }
        return (result, try apply(record))
    }
}
