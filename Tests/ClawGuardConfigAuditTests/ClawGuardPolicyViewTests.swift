import ClawGuardCore
import Foundation
import Testing

@testable import ClawGuardConfigAudit

/// The auditor judges ClawGuard's policy through the real loader: what `clawguard init` writes is a policy the
/// hooks accept, so its findings are only the settings the template leaves commented out.
@Suite("ClawGuard policy through the typed loader")
struct ClawGuardPolicyViewTests {
    @Test func theStarterPolicyLoadsAndOnlyMissesWhatItLeavesCommentedOut() throws {
        let env = Env().claude("{}").policy(try PolicyTemplate.starter())
        let view = try #require(env.inputs().clawguardPolicyView)
        #expect(view.errors.isEmpty)
        #expect(view.profiles.map(\.name).sorted() == ["project"])
        let ids = env.ids()
        for clean in [
            "clawguard.policy.invalid", "clawguard.policy.mode_not_enforcing", "clawguard.policy.allow_wildcard",
            "clawguard.policy.sensitive_paths_not_denied", "clawguard.policy.missing",
            "clawguard.alerting.security_alerts_missing", "clawguard.alerting.cost_alerts_missing",
        ] {
            #expect(!ids.contains(clean), "\(clean) on the starter policy")
        }
        // budgets and session_timeout are commented out in the template.
        #expect(ids.contains("clawguard.budget.session_cap_missing"))
        #expect(ids.contains("clawguard.budget.session_timeout_missing"))
    }

    @Test func aProfileInheritsTheTopLevelBudgetsAndEachProfileIsJudged() throws {
        let env = Env().claude("{}").policy(Fixtures.text("clawguard/policy.yaml"))
        let view = try #require(env.inputs().clawguardPolicyView)
        #expect(view.profiles.map(\.name) == ["ci", "dev"])
        #expect(view.profiles.allSatisfy { $0.policy.budgets.sessionUSD == 5 && $0.policy.sessionTimeoutSeconds == 1800 })
        #expect(env.findings("clawguard.budget.session_cap_missing").isEmpty)
        #expect(env.findings("clawguard.budget.session_timeout_missing").isEmpty)
    }

    @Test func credentialsOpenedByUnprotectAreReportedPerProfileWithTheCalls() throws {
        let findings = Env().policy(Fixtures.text("clawguard/policy-permissive.yaml"))
            .findings("clawguard.policy.sensitive_paths_not_denied")
        #expect(findings.count == 2)  // the default profile and 'yolo'
        let detail = try #require(findings.first?.detail)
        #expect(detail.contains("Read /home/u/.ssh/id_rsa"))
        #expect(detail.contains("Bash cat ~/.ssh/id_rsa"))
    }

    @Test func anInvalidPolicyNamesTheLineAndTheKey() throws {
        let findings = Env().policy(Fixtures.text("clawguard/policy-invalid.yaml")).findings("clawguard.policy.invalid")
        #expect(findings.count == 2)
        #expect(findings.contains { $0.detail.contains("permisions") && $0.detail.contains("did you mean 'permissions'") })
        #expect(findings.contains { $0.detail.contains("'enforce' is not one of") })
    }
}
