import ClawGuardCore
import Foundation
import Testing

@testable import ClawGuardConfigAudit

/// Fixture files shipped with the test target.
enum Fixtures {
    static func url(_ name: String) -> URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(name)
    }

    static func text(_ name: String) -> String {
        guard let text = try? String(contentsOf: url(name), encoding: .utf8) else {
            Issue.record("missing fixture \(name)")
            return ""
        }
        return text
    }
}

/// A fixture machine: home `/home/u`, project `/work/proj`, system root `/sysroot`, fixed clock.
final class Env: @unchecked Sendable {
    static let home = "/home/u"
    static let state = "/home/u/.openclaw"
    static let config = "/home/u/.openclaw/openclaw.json"
    static let now = ISO8601DateFormatter().date(from: "2026-11-25T00:00:00Z")!

    let host: FixtureHost
    var environment: [String: String] = [:]
    var options: AuditOptions {
        AuditOptions(
            home: Env.home, projectDirectory: "/work/proj", environment: environment, systemRoot: "/sysroot",
            now: Env.now)
    }

    init(uid: UInt32 = 1000, sockets: [ListeningSocket] = []) {
        host = FixtureHost(uid: uid, sockets: sockets)
        host.addDirectory(Env.state, mode: 0o700)
    }

    /// Write `openclaw.json`.
    @discardableResult
    func openclaw(_ text: String, mode: UInt16 = 0o600) -> Env {
        host.addFile(Env.config, text, mode: mode)
        return self
    }

    @discardableResult
    func file(_ path: String, _ text: String, mode: UInt16 = 0o600) -> Env {
        host.addFile(path, text, mode: mode)
        return self
    }

    @discardableResult
    func claude(_ text: String, mode: UInt16 = 0o600) -> Env {
        file(Env.home + "/.claude/settings.json", text, mode: mode)
    }

    @discardableResult
    func codex(_ text: String, mode: UInt16 = 0o600) -> Env { file(Env.home + "/.codex/config.toml", text, mode: mode) }

    @discardableResult
    func policy(_ text: String, mode: UInt16 = 0o600) -> Env {
        file(Env.home + "/.clawguard/policy.yaml", text, mode: mode)
    }

    @discardableResult
    func approvals(_ text: String, mode: UInt16 = 0o600) -> Env {
        file(Env.state + "/exec-approvals.json", text, mode: mode)
    }

    func inputs() -> AuditInputs {
        InputLoader(host: host, readApprovalsRow: { _ in nil }).load(options)
    }

    func report(_ suppressions: [Suppression] = []) -> AuditReport {
        Auditor().run(inputs(), suppressions: suppressions)
    }

    func ids() -> Set<String> { Set(report().findings.map(\.checkId)) }

    func findings(_ id: String) -> [Finding] { report().findings.filter { $0.checkId == id } }
}

/// A strong random-looking token (43 characters of base64 alphabet).
let strongToken = "q7Vx2LmN9pRt4KzW8bHs1YcJ6dFg3ThUa5XeQiOoPl0"
