import ArgumentParser

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a command inside the ClawGuard sandbox.")

    func run() async throws { throw NotImplemented(command: "run") }
}
