import ClawGuardCore
@testable import ClawGuardServer
import ClawGuardStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The gateway's writer (`GroupCommitter`, docs/decisions/0006-gateway-write-behind.md): many sessions deciding at
/// once through the real HTTP server leave one intact hash chain, every call counted once, and writes by other
/// connections to the same database (the CLI's kill switch, `clawguard sessions terminate`) take effect on the
/// next call.
@Suite struct GatewayWriterTests {
    @Test func concurrentSessionsLeaveOneVerifiableChain() async throws {
        let gateway = try TestGateway()
        let sessions = 8, perSession = 30
        try await gateway.live { (client: any TestClientProtocol) async throws in
            let decisions = try await withThrowingTaskGroup(of: String.self) { group in
                for s in 0..<sessions {
                    for i in 0..<perSession {
                        group.addTask {
                            try await client.call(.post, "/v1/decide", token: gateway.admin,
                                                  json: DecideTests.body("echo \(s) \(i)", session: "w\(s)"))
                                .json["decision"]?.stringValue ?? "?"
                        }
                    }
                }
                var all: [String] = []
                for try await decision in group { all.append(decision) }
                return all
            }
            #expect(decisions.count == sessions * perSession)
            #expect(decisions.allSatisfy { $0 == "allow" })
        }
        let store = gateway.services.store
        for s in 0..<sessions {
            let session = try #require(try store.session("w\(s)"))
            #expect(session.calls == perSession)
            let invoked = try store.auditRecords(.init(session: "w\(s)", type: "tool_invoked"))
            #expect(invoked.count == perSession)
        }
        let records = try store.auditRecords()
        #expect(records.count == sessions * perSession + sessions)  // + one agent_started per session
        // Sequence numbers are gap-free and in order: one writer appended them.
        #expect(records.map(\.seq) == Array(records.first!.seq...records.last!.seq))
        let verification = try store.verifyAudit()
        #expect(verification.ok)
        // A signed checkpoint every 100 records.
        #expect(try store.auditCheckpoints().count >= records.count / 100)

        // `clawguard log verify` on what the server wrote, from another process, when the binary is built.
        if let binary = Binary.clawguard {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["log", "verify", "--state", gateway.directory + "/state.db"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        } else if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("clawguard is not built (swift build --product clawguard): `log verify` was not run")
        } else {
            print("GatewayWriterTests: clawguard is not built; `clawguard log verify` skipped (the in-process verification ran)")
        }
    }

    @Test func writesByAnotherConnectionTakeEffectOnTheNextCall() async throws {
        let gateway = try TestGateway()
        // What the CLI does: its own connection to the same database file.
        let cli = try StateStore(path: gateway.directory + "/state.db")
        try await gateway.live { (client: any TestClientProtocol) async throws in
            func decide(_ command: String, session: String) async throws -> JSONValue {
                try await client.call(.post, "/v1/decide", token: gateway.admin, json: DecideTests.body(command, session: session)).json
            }
            #expect(try await decide("echo 1", session: "ext")["decision"]?.stringValue == "allow")

            try cli.setKillSwitch(true, reason: "incident")
            let killed = try await decide("echo 2", session: "ext")
            #expect(killed["decision"]?.stringValue == "deny")
            #expect(killed["reason"]?.stringValue?.contains("kill switch") == true)
            try cli.setKillSwitch(false)
            #expect(try await decide("echo 3", session: "ext")["decision"]?.stringValue == "allow")

            #expect(try cli.terminateSession("ext", reason: "stop it"))
            let terminated = try await decide("echo 4", session: "ext")
            #expect(terminated["decision"]?.stringValue == "deny")
            #expect(terminated["reason"]?.stringValue?.contains("terminated") == true)
            #expect(try await decide("echo 5", session: "other")["decision"]?.stringValue == "allow")
        }
        #expect(try gateway.services.store.verifyAudit().ok)
    }
    /// A batch the database refuses denies every call in it with the store's error, and the server allows again
    /// as soon as writes succeed (no state outlives the failure). The failure is made by another connection
    /// renaming a table the transaction writes (the sqlite3 CLI, installed by scripts/setup.d/00-base.sh).
    @Test func aFailedBatchDeniesAndTheNextSucceeds() async throws {
        guard let sqlite = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("sqlite3 is missing (scripts/setup.d/00-base.sh)") }
            else { print("GatewayWriterTests: sqlite3 is missing (scripts/setup.d/00-base.sh); fail-closed test skipped") }
            return
        }
        let gateway = try TestGateway()
        let database = gateway.directory + "/state.db"
        @Sendable func sql(_ statement: String) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: sqlite)
            process.arguments = [database, statement]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "sqlite3 \(statement)")
        }
        try await gateway.live { (client: any TestClientProtocol) async throws in
            func decide(_ command: String) async throws -> JSONValue {
                try await client.call(.post, "/v1/decide", token: gateway.admin, json: DecideTests.body(command, session: "fail")).json
            }
            #expect(try await decide("echo 1")["decision"]?.stringValue == "allow")
            try sql("ALTER TABLE tool_counts RENAME TO tool_counts_away")
            let denied = try await decide("echo 2")
            #expect(denied["decision"]?.stringValue == "deny")
            #expect(denied["reason"]?.stringValue?.contains("could not record the call") == true)
            try sql("ALTER TABLE tool_counts_away RENAME TO tool_counts")
            #expect(try await decide("echo 3")["decision"]?.stringValue == "allow")
        }
        // The refused call left nothing behind: two calls counted, the chain intact.
        #expect(try gateway.services.store.session("fail")?.calls == 2)
        #expect(try gateway.services.store.verifyAudit().ok)
    }
}
