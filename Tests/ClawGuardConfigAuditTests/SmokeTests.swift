import Testing
@testable import ClawGuardConfigAudit

@Test func moduleLoads() {
    #expect(Bool(true))
}
