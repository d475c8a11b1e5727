import ArgumentParser

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Audit agent configurations against the security checklist.")

    func run() async throws { throw NotImplemented(command: "audit") }
}
