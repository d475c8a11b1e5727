import ArgumentParser

struct UninstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "uninstall", abstract: "Remove ClawGuard's hooks from an agent's settings.")

    func run() async throws { throw NotImplemented(command: "uninstall") }
}
