import ClawGuardCore
import Foundation
import Testing

@testable import ClawGuardSandbox

#if canImport(Glibc)
import Glibc
#endif

/// Copy-on-write workspaces: nothing reaches the workspace before `apply`.
@Suite struct OverlayTests {
    func makeWorkspace() -> TempDir {
        let ws = TempDir("cow")
        ws.write("keep.txt", "original\n")
        ws.write("gone.txt", "delete me\n")
        ws.write("sub/a.txt", "a\n")
        return ws
    }

    func runChanges(_ ws: TempDir, runs: TempDir) throws -> (RunStore, RunRecord, SandboxResult) {
        let store = RunStore(root: runs.path)
        let record = try store.create(workspace: ws.path, command: ["edit"])
        var config = SandboxTestSupport.config(
            ["/bin/sh", "-c", "echo changed >> keep.txt; rm gone.txt; echo new > new.txt; rm -rf sub; mkdir sub; echo b > sub/b.txt"],
            workspace: ws)
        config.overlay = record.layers
        let result = try SandboxRunner().run(config, runID: record.id)
        return (store, record, result)
    }

    @Test func changesStayInTheLayerUntilApplied() throws {
        try SandboxTestSupport.requireSandbox()
        let ws = makeWorkspace(), runs = TempDir("runs")
        defer { ws.cleanup(); runs.cleanup() }
        let (store, record, result) = try runChanges(ws, runs: runs)
        #expect(result.exitCode == 0 && result.overlay)
        // The real workspace is untouched.
        #expect(ws.read("keep.txt") == "original\n" && ws.exists("gone.txt") && !ws.exists("new.txt") && ws.exists("sub/a.txt"))
        let changes = try store.changes(try store.load(record.id))
        let byPath = Dictionary(uniqueKeysWithValues: changes.map { ($0.path, $0.kind) })
        #expect(byPath["keep.txt"] == .modified)
        #expect(byPath["gone.txt"] == .deleted)
        #expect(byPath["new.txt"] == .added)
        #expect(byPath["sub"] == .replaced)
        #expect(byPath["sub/b.txt"] == .added)
        let diff = try store.diff(record)
        #expect(diff.contains("+changed") && diff.contains("-delete me") && diff.contains("+++ b/new.txt"), "\(diff)")

        try store.apply(try store.load(record.id))
        #expect(ws.read("keep.txt") == "original\nchanged\n")
        #expect(!ws.exists("gone.txt") && ws.read("new.txt") == "new\n")
        #expect(!ws.exists("sub/a.txt") && ws.read("sub/b.txt") == "b\n")
        #expect(try store.load(record.id).applied)
        #expect(throws: ClawGuardError.self) { try store.apply(try store.load(record.id)) }
    }

    @Test func applyIfPassesRunsTestsOverTheChangedTreeFirst() throws {
        try SandboxTestSupport.requireSandbox()
        let ws = makeWorkspace(), runs = TempDir("runs")
        defer { ws.cleanup(); runs.cleanup() }
        let (store, record, _) = try runChanges(ws, runs: runs)
        // A failing test: nothing applied, and the test's own writes land nowhere.
        let failed = try store.apply(record, ifPasses: "echo scribble > keep.txt; test -e gone.txt", timeout: .seconds(30))
        #expect(failed.tests.exitCode != 0 && failed.applied.isEmpty)
        #expect(ws.read("keep.txt") == "original\n")
        #expect(try store.changes(try store.load(record.id)).contains { $0.path == "keep.txt" })
        #expect(try store.diff(record).contains("+changed") && !(try store.diff(record).contains("scribble")))
        // A passing test sees the changed tree.
        let passed = try store.apply(
            try store.load(record.id), ifPasses: "grep -q changed keep.txt && test ! -e gone.txt && test -e sub/b.txt && test ! -e sub/a.txt",
            timeout: .seconds(30))
        #expect(passed.tests.exitCode == 0 && !passed.applied.isEmpty)
        #expect(ws.read("keep.txt") == "original\nchanged\n")
    }

    @Test func discardLeavesTheWorkspaceAlone() throws {
        try SandboxTestSupport.requireSandbox()
        let ws = makeWorkspace(), runs = TempDir("runs")
        defer { ws.cleanup(); runs.cleanup() }
        let (store, record, _) = try runChanges(ws, runs: runs)
        try store.discard(record)
        #expect(!FileManager.default.fileExists(atPath: record.directory))
        #expect(ws.read("keep.txt") == "original\n" && ws.exists("gone.txt"))
        #expect(throws: ClawGuardError.self) { try store.load(record.id) }
    }

    @Test func runsDirectoryInsideTheWorkspaceIsRefused() {
        let ws = TempDir("nested")
        defer { ws.cleanup() }
        #expect(throws: ClawGuardError.self) { try RunStore(root: ws.file(".clawguard/runs")).create(workspace: ws.path, command: ["x"]) }
        #expect(!ws.exists(".clawguard"))
    }

    @Test(arguments: ["../etc", "a/b", "", String(repeating: "x", count: 100), "id with space"])
    func hostileRunIDsAreRefused(id: String) {
        #expect(throws: ClawGuardError.self) { try RunStore(root: "/tmp/none").load(id) }
    }
}

/// The unprivileged path: the real `clawguard` binary as uid 65534 (nobody), via setpriv.
@Suite(.serialized) struct UnprivilegedTests {
    @Test func runsAsAnUnprivilegedUserWhereTheKernelAllows() throws {
        let binary = try SandboxTestSupport.clawguardBinary()
        guard getuid() == 0 else {
            Issue.record("this test switches to uid 65534 with setpriv and needs root; run the suite as root")
            return
        }
        let ws = TempDir("nobody")
        defer { ws.cleanup() }
        chown(ws.path, 65534, 65534)
        let (status, output) = try SandboxTestSupport.execute(
            "/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", binary, "run", "--workspace", ws.path, "--json", "--",
             "/bin/sh", "-c", "id -u; echo ok > /workspace/f; cat /proc/self/status | grep CapEff; touch /etc/x || echo RO"],
            environment: ["PATH": "/usr/bin:/bin", "HOME": ws.path])
        let userns = (try? String(contentsOfFile: "/proc/sys/user/max_user_namespaces", encoding: .utf8))?.trimmingSpaces ?? "?"
        if output.contains("refused to create the sandbox namespaces") {
            // A clear error, not a silent downgrade: acceptable, but say what the kernel allows.
            Issue.record("unprivileged user namespaces are refused here (user.max_user_namespaces=\(userns)): \(output)")
            return
        }
        #expect(status == 0, "\(output)")
        #expect(output.hasPrefix("65534\n"), "\(output)")
        #expect(output.contains("CapEff:\t0000000000000000") && output.contains("RO"), "\(output)")
        #expect(ws.read("f") == "ok\n")
        // Cgroups need delegation for an unprivileged user: the run says why it fell back to rlimits.
        #expect(output.contains("\"cgroup\":null") && output.contains("cgroupUnavailableReason\":\""), "\(output)")
    }

    @Test func cliReportsStopReasonAndExitStatus() throws {
        let binary = try SandboxTestSupport.clawguardBinary()
        let ws = TempDir("cli")
        defer { ws.cleanup() }
        let (status, output) = try SandboxTestSupport.execute(
            binary, ["run", "--workspace", ws.path, "--timeout", "500ms", "--", "/bin/sh", "-c", "exit 7"])
        #expect(status == 7, "\(output)")
        let (killed, text) = try SandboxTestSupport.execute(
            binary, ["run", "--workspace", ws.path, "--timeout", "300ms", "--", "/bin/sh", "-c", "while :; do :; done"])
        #expect(killed == 137)
        #expect(text.contains("stopped by the sandbox: timeout"), "\(text)")
        let (bad, message) = try SandboxTestSupport.execute(binary, ["run", "--timeout", "soon", "--", "true"])
        #expect(bad == 2 && message.contains("invalid duration"), "\(message)")
        let (docker, dockerMessage) = try SandboxTestSupport.execute(
            binary, ["run", "--backend", "podman", "--", "true"], environment: ["PATH": "/nonexistent", "HOME": ws.path])
        #expect(docker != 0 && dockerMessage.contains("no podman binary"), "\(dockerMessage)")
    }

    @Test func interruptingTheCLIKillsTheSandboxAndReports() throws {
        let binary = try SandboxTestSupport.clawguardBinary()
        let ws = TempDir("intr")
        defer { ws.cleanup() }
        let marker = "intr-\(UUID().uuidString.prefix(8))"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run", "--workspace", ws.path, "--json", "--", "/bin/sh", "-c", "touch /workspace/started; sleep 60; : \(marker)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        var waited = 0
        while !ws.exists("started") && waited < 200 {
            usleep(50_000)
            waited += 1
        }
        #expect(ws.exists("started"), "the sandboxed command never started")
        kill(process.processIdentifier, SIGINT)
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 137, "\(output)")
        #expect(output.contains("\"stoppedBy\":\"interrupted\""), "\(output)")
        #expect(SandboxTestSupport.processes(containing: marker).isEmpty, "the sandboxed command survived")
    }
}
