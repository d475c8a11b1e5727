import Testing
@testable import ClawGuardCore

@Test func moduleLoads() {
    #expect(Bool(true))
}
