import ArgumentParser
import ClawGuardCore
import ClawGuardStore
import Foundation

/// `clawguard kill-switch on|off|status [--reason TEXT]`: the emergency stop. While on, every decision is deny,
/// for all agents, from the next tool call on.
struct KillSwitchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill-switch", abstract: "Emergency stop: deny every decision for all agents.")

    enum Action: String, ExpressibleByArgument, CaseIterable {
        case on, off, status
    }

    @Argument(help: "on, off or status.")
    var action: Action

    @Option(help: "Why (recorded in the audit trail).")
    var reason: String?

    @Flag(help: "Print the state as JSON.")
    var json = false

    @OptionGroup var state: StateOptions

    func run() async throws {
        let store = try state.open()
        let current: KillSwitchState
        switch action {
        case .on: current = try store.setKillSwitch(true, reason: reason)
        case .off: current = try store.setKillSwitch(false, reason: reason)
        case .status: current = try store.killSwitch()
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(current), as: UTF8.self))
        } else {
            var line = "kill switch: \(current.on ? "ON — every tool call is denied" : "off")"
            if let reason = current.reason { line += " (reason: \(reason))" }
            if let by = current.changedBy, let at = current.changedAt { line += " — set by \(by) at \(at.formatted(.iso8601))" }
            print(line)
        }
    }
}
