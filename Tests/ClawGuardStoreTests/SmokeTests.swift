import Testing
@testable import ClawGuardStore

@Test func moduleLoads() {
    #expect(Bool(true))
}
