import ArgumentParser

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show installed hooks, the policy that applies and the state store.")

    func run() async throws { throw NotImplemented(command: "status") }
}
