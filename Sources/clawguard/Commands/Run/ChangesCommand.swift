import ArgumentParser
import ClawGuardCore
import ClawGuardSandbox
import Foundation

struct ChangesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "List, diff, apply or discard a copy-on-write run's changes.",
        discussion: "Runs started with `clawguard run --overlay` keep their changes apart; nothing reaches the workspace before `apply`.")

    @Argument(help: "list, diff, apply or discard.") var action: String
    @Argument(help: "The run id (list without one lists the runs).") var runID: String?
    @Option(name: .customLong("if-passes"), help: "apply only if this test command succeeds in a sandbox over the changed tree.")
    var ifPasses: String?
    @Option(help: "Wall-clock timeout for --if-passes (30s, 5m).") var timeout: String?
    @Flag(help: "JSON output.") var json = false
    @Option(help: "Directory of copy-on-write runs (default ~/.clawguard/runs).") var runsDir: String?

    func run() async throws {
        do {
            throw ExitCode(try execute())
        } catch let error as ClawGuardError {
            FileHandle.standardError.write(Data("clawguard changes: \(error.message)\n".utf8))
            throw ExitCode(error.code == .invalidInput || error.code == .notFound ? 2 : 1)
        }
    }

    func execute() throws(ClawGuardError) -> Int32 {
        let store = RunStore(root: runsDir ?? RunStore.defaultRoot())
        if action == "list" && runID == nil {
            for record in store.list() {
                let state = record.applied ? "applied" : "pending"
                print("\(record.id)  \(state)  exit \(record.exitCode.map(String.init) ?? "?")  \(record.workspace)  \(record.command.joined(separator: " "))")
            }
            return 0
        }
        guard let runID else { throw ClawGuardError(.invalidInput, "\(action) needs a run id") }
        let record = try store.load(runID)
        switch action {
        case "list":
            let changes = try store.changes(record)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: (try? encoder.encode(changes)) ?? Data("[]".utf8), as: UTF8.self))
            } else {
                for change in changes { print("\(change.kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(change.path)\(change.isDirectory ? "/" : "")") }
            }
            return 0
        case "diff":
            print(try store.diff(record), terminator: "")
            return 0
        case "apply":
            let applied: [WorkspaceChange]
            if let ifPasses {
                let duration = try timeout.map { (t) throws(ClawGuardError) in try SandboxOptionParsing.duration(t) }
                let outcome = try store.apply(record, ifPasses: ifPasses, timeout: duration)
                guard outcome.tests.exitCode == 0, outcome.tests.stoppedBy == nil else {
                    let why = outcome.tests.stoppedBy.map { "stopped by the sandbox: \($0.explanation)" } ?? "exit \(outcome.tests.exitCode)"
                    FileHandle.standardError.write(Data("clawguard changes: tests failed (\(why)); nothing applied\n".utf8))
                    return outcome.tests.exitCode == 0 ? 1 : outcome.tests.exitCode
                }
                applied = outcome.applied
            } else {
                applied = try store.apply(record)
            }
            print("applied \(applied.count) change(s) from run \(record.id) to \(record.workspace)")
            return 0
        case "discard":
            try store.discard(record)
            print("discarded run \(record.id)")
            return 0
        default:
            throw ClawGuardError(.invalidInput, "unknown action '\(action)': use list, diff, apply or discard")
        }
    }
}
