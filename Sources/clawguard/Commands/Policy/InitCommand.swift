import ArgumentParser

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Write a commented starter policy.")

    func run() async throws { throw NotImplemented(command: "init") }
}
