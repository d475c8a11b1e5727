import ArgumentParser

struct HookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hook", abstract: "Answer an agent's hook (claude, codex).")

    func run() async throws { throw NotImplemented(command: "hook") }
}
