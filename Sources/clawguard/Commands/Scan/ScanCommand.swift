import ArgumentParser

struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scan", abstract: "Scan files or stdin for credentials, prompt injection and personal data.")

    func run() async throws { throw NotImplemented(command: "scan") }
}
