import ArgumentParser

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "Validate, explain, test and probe policies.")

    func run() async throws { throw NotImplemented(command: "policy") }
}
