import ClawGuardCore
import Foundation
import Testing
@testable import ClawGuardStore

/// A fresh temporary directory (removed by the caller via `cleanup`).
struct TempDir {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("clawguard-store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// The directory of test fixtures.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

let allow = Verdict(decision: .allow, reason: "allowed by rule Bash(ls:*)", rule: "Bash(ls:*)")

func bashCall(_ command: String, session: String = "s1", agent: String = "claude", user: String = "alice",
              transcript: String? = nil) -> ToolCallEvent {
    ToolCallEvent(session: session, agent: agent, user: user, cwd: "/work", tool: "Bash",
                  input: .object(["command": .string(command)]), transcriptPath: transcript)
}

/// A fixed instant: Wednesday 2026-11-25 10:00:00 UTC.
let noon = Date(timeIntervalSince1970: 1_795_600_800)

/// Runs `body` with a file-backed store in a temporary directory.
func withFileStore<T>(options: StateStoreOptions = StateStoreOptions(), _ body: (StateStore, TempDir) throws -> T) throws -> T {
    let dir = try TempDir()
    defer { dir.cleanup() }
    let store = try StateStore(path: dir.file("state/state.db"), options: options)
    return try body(store, dir)
}

/// Executes raw SQL against the database file (for tampering), bypassing the store.
func tamper(_ path: String, _ sql: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = [path, sql]
    let pipe = Pipe()
    process.standardError = pipe
    try process.run()
    process.waitUntilExit()
    let err = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(process.terminationStatus == 0, "sqlite3 failed: \(err)")
}

// The store's limit types share names with the policy model's sections (ClawGuardCore); tests mean the store's.
typealias TimeWindow = ClawGuardStore.TimeWindow
typealias Limits = ClawGuardStore.Limits
typealias LoopDetection = ClawGuardStore.LoopDetection
