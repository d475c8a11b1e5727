import ArgumentParser

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Decide one tool call (or a JSONL batch) and explain why.")

    func run() async throws { throw NotImplemented(command: "check") }
}
