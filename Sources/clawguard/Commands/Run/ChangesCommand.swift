import ArgumentParser

struct ChangesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "changes", abstract: "List, diff, apply or discard a copy-on-write run's changes.")

    func run() async throws { throw NotImplemented(command: "changes") }
}
