import ArgumentParser

struct RedactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "redact", abstract: "Redact credentials and personal data from stdin to stdout.")

    func run() async throws { throw NotImplemented(command: "redact") }
}
