import Foundation
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
