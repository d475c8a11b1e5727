import Foundation
import GRDB
import ClawGuardCore
import Testing
@testable import ClawGuardStore

/// The hand-written pieces that replaced Foundation calls on the hook's path must give Foundation's answers.
@Suite struct StartupSpeedTests {
    @Test func iso8601MatchesFoundation() {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!)
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_795_000_000.123),
                     Date(timeIntervalSince1970: 951_782_400.999), Date(timeIntervalSince1970: 4_102_444_799.5),
                     Date()]
        var x: UInt64 = 0x1234_5678
        for _ in 0..<500 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            dates.append(Date(timeIntervalSince1970: Double(x >> 33) / 1000 + 946_684_800))
        }
        for date in dates {
            #expect(StoreSupport.iso8601(date) == date.formatted(style), "\(date.timeIntervalSince1970)")
        }
    }

    @Test func fileStoreIsInWALMode() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-wal-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try StateStore(path: dir + "/state.db")
        _ = store
        let again = try StateStore(path: dir + "/state.db")
        _ = again
        // The journal mode is persistent in the file: a fresh SQLite handle sees it.
        let header = try Data(contentsOf: URL(fileURLWithPath: dir + "/state.db")).prefix(20)
        #expect(header.count == 20 && header[18] == 2 && header[19] == 2, "file format bytes 18/19 are 2 in WAL mode")
    }
}

@Suite struct HexDigestTests {
    /// FIPS 180-2 test vectors.
    @Test func sha256HexKnownAnswers() {
        #expect(AuditRecord.sha256Hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(AuditRecord.sha256Hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}

@Suite struct AuditInsertTests {
    /// The hand-written INSERT writes exactly what GRDB's Codable `insert` writes.
    @Test func insertRowMatchesCodableInsert() throws {
        let store = try StateStore.inMemory()
        let records = try store.appendAudit([
            AuditEvent(.toolInvoked, session: "s", agent: "a", user: "u", tool: "Bash", decision: .allow, rule: "r",
                       reason: "why", details: ["command": "ls"]),
            AuditEvent(.toolInvoked, session: nil, agent: nil, user: nil, tool: nil, decision: nil, rule: nil, reason: nil),
        ])
        try store.writer.write { db in
            for record in records {
                var copy = record
                copy.seq += 1000
                try copy.insert(db)
                let a = try Row.fetchOne(db, sql: "SELECT * FROM audit_log WHERE seq = ?", arguments: [record.seq])
                let b = try Row.fetchOne(db, sql: "SELECT * FROM audit_log WHERE seq = ?", arguments: [copy.seq])
                var ra = try #require(a).asDictionary()
                var rb = try #require(b).asDictionary()
                for key in ["seq", "id"] { ra[key] = nil; rb[key] = nil }
                #expect(ra == rb)
            }
        }
    }
}

extension Row {
    func asDictionary() -> [String: String] {
        var out: [String: String] = [:]
        for (column, value) in self { out[column] = value.description }
        return out
    }
}
