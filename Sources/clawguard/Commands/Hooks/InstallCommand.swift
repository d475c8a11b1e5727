import ArgumentParser

struct InstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "install", abstract: "Install ClawGuard's hooks into an agent's settings.")

    func run() async throws { throw NotImplemented(command: "install") }
}
