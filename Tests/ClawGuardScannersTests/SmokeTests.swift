import Testing
@testable import ClawGuardScanners

@Test func moduleLoads() {
    #expect(Bool(true))
}
