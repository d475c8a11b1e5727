import Testing
@testable import ClawGuardSandbox

@Test func moduleLoads() {
    #expect(Bool(true))
}
