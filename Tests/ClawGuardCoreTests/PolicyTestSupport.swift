import Foundation
import Testing
@testable import ClawGuardCore

enum PolicyFixtures {
    static let home = "/home/alice"
    static let cwd = "/home/alice/project"
    static let base = PathBase(home: home, cwd: cwd, policyDirectory: "/home/alice/project/conf")

    /// The fixtures directory (Tests/ClawGuardCoreTests/Fixtures/policy).
    static var directory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/policy").path
    }

    static func path(_ name: String) -> String { directory + "/" + name }

    static func rule(_ text: String, _ effect: RuleEffect = .allow) throws(ClawGuardError) -> PermissionRule {
        try PermissionRule(text, effect: effect, source: RuleSource(file: "test", line: 1), base: base)
    }

    /// Validates YAML text as a policy file named `name`.
    static func validate(_ yaml: String, name: String = "/home/alice/project/clawguard.yaml", profile: String? = nil) -> PolicyValidation {
        PolicyLoader.validate(inputs: [.init(name: name, text: yaml)], profile: profile, cwd: cwd, home: home)
    }

    static func load(_ yaml: String, name: String = "/home/alice/project/clawguard.yaml", profile: String? = nil) throws -> Policy {
        try PolicyLoader.load(inputs: [.init(name: name, text: yaml)], profile: profile, cwd: cwd, home: home)
    }

    /// A fresh temporary directory (removed by the caller).
    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("clawguard-policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return PathResolver.realpathOfExistingPrefix(dir.path)
    }
}
