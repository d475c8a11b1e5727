import ArgumentParser

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "Show, tail, verify and export the audit trail.")

    func run() async throws { throw NotImplemented(command: "log") }
}
