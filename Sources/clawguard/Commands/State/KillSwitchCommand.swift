import ArgumentParser

struct KillSwitchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kill-switch", abstract: "Emergency stop: deny every decision for all agents.")

    func run() async throws { throw NotImplemented(command: "kill-switch") }
}
