import ArgumentParser
import ClawGuardCore
import ClawGuardStore
import Foundation

/// `clawguard status`: which hooks are installed where, which policy applies here, and the state store.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show installed hooks, the policy that applies and the state store.")

    @OptionGroup var policy: PolicyOptions
    @OptionGroup var stateOptions: StateOptions

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let home = policy.home
        let cwd = policy.workingDirectory
        print("Hooks:")
        for scope in AgentSettings.Scope.allCases {
            let path = AgentSettings.claudeFile(scope: scope, home: home, cwd: cwd)
            let installed: String
            if let (settings, _) = try? readSettingsJSON(path), case .object(let hooks)? = settings["hooks"] {
                let events = hooks.filter { _, groups in
                    guard case .array(let list) = groups else { return false }
                    return list.contains { group in
                        guard case .array(let entries)? = group["hooks"] else { return false }
                        return entries.contains { $0["command"]?.stringValue.map { AgentSettings.isOurs($0, dialect: "claude") } ?? false }
                    }
                }.keys.sorted()
                installed = events.isEmpty ? "not installed" : "installed for \(events.joined(separator: ", "))"
            } else {
                installed = FileManager.default.fileExists(atPath: path) ? "unreadable settings file" : "no settings file"
            }
            print("  Claude Code (\(scope.rawValue)) \(path): \(installed)")
        }
        let codex = AgentSettings.codexFile(home: home, environment: env)
        let codexText = (try? String(contentsOfFile: codex, encoding: .utf8)) ?? ""
        print("  Codex \(codex): \(codexText.contains(AgentSettings.codexBegin) ? "installed (PreToolUse)" : "not installed")")

        print("Policy (for \(cwd)):")
        let paths = policy.policyPaths()
        print("  files: \(paths.isEmpty ? "none found; the built-in 'default' profile applies" : paths.joined(separator: ", "))")
        print("  discovery order: $CLAWGUARD_POLICY, ~/.clawguard/policy.yaml, then .clawguard.yaml / clawguard.yaml from the repository root down to \(cwd)")
        do {
            let loaded = try policy.loadPolicy()
            print("  profile \(loaded.profileName), mode \(loaded.mode.rawValue), \(loaded.rules.count) rules, shadow \(loaded.shadow ? "on" : "off")")
            for warning in loaded.warnings { print("  warning: \(warning)") }
        } catch {
            print("  INVALID: \(error) — every hook decision is a deny until this is fixed")
        }

        let statePath = stateOptions.resolvedPath
        print("State \(statePath):")
        guard FileManager.default.fileExists(atPath: statePath) else {
            print("  not created yet (the first hook call creates it)")
            return
        }
        do {
            let store = try StateStore(path: statePath)
            let kill = try store.killSwitch()
            print("  kill switch: \(kill.on ? "ON — every decision is deny" + (kill.reason.map { " (\($0))" } ?? "") : "off")")
            let sessions = try store.sessions(limit: 1000)
            let active = sessions.filter { $0.status == "active" }
            print("  sessions: \(sessions.count) recorded, \(active.count) active")
            let verification = try store.verifyAudit()
            print("  audit trail: \(verification.ok ? "verified" : "BROKEN"), \(verification.recordsChecked) records\(verification.problem.map { ": \($0)" } ?? "")")
        } catch {
            print("  cannot open: \(error)")
        }
    }
}
