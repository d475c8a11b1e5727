import ArgumentParser
import ClawGuardCore
import Foundation

/// `clawguard init`: writes a commented starter policy that validates.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Write a commented starter policy.")

    @Option(name: .long, help: "The built-in profile the starter extends (default, explorer, reviewer, refactorer, builder, deployer).")
    var profile: String = "builder"

    @Option(name: [.short, .customLong("output")], help: "Where to write it ('-' for standard output).")
    var output: String = "clawguard.yaml"

    @Flag(name: .long, help: "Overwrite an existing file.")
    var force = false

    func run() async throws {
        let text: String
        do { text = try PolicyTemplate.starter(extending: profile) } catch {
            throw ValidationError(error.message)
        }
        if output == "-" {
            print(text, terminator: "")
            return
        }
        if FileManager.default.fileExists(atPath: output), !force {
            FileHandle.standardError.write(Data("clawguard init: \(output) exists; use --force to overwrite it\n".utf8))
            throw ExitCode(1)
        }
        do {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            FileHandle.standardError.write(Data("clawguard init: cannot write \(output): \(error.localizedDescription)\n".utf8))
            throw ExitCode(1)
        }
        print("Wrote \(output) (profile 'project' extends '\(profile)'). Check it with: clawguard policy validate --policy \(output)")
    }
}
