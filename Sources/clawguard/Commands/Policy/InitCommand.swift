import ArgumentParser
import ClawGuardCore
import ClawGuardStore
import Foundation

/// `clawguard init`: writes a commented starter policy that validates, and creates the audit trail's Ed25519
/// signing key beside the state database (private key 0600).
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Write a commented starter policy.")

    @Option(name: .long, help: "The built-in profile the starter extends (default, explorer, reviewer, refactorer, builder, deployer).")
    var profile: String = "builder"

    @Option(name: [.short, .customLong("output")], help: "Where to write it ('-' for standard output).")
    var output: String = "clawguard.yaml"

    @Flag(name: .long, help: "Overwrite an existing file.")
    var force = false

    @Option(help: "State database whose directory holds the audit signing key (default: $CLAWGUARD_STATE or ~/.clawguard/state.db).")
    var state: String?

    /// Creates (or keeps) the audit signing key; prints where it is.
    func createSigningKey() throws {
        let directory = (StatePaths.resolve(explicit: state) as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let keys = AuditKeys(directory: directory)
            _ = try keys.loadOrCreate()
            FileHandle.standardError.write(Data("Audit trail signing key \(AuditKeys.keyID(try keys.loadPublic())) in \(directory) (private key 0600)\n".utf8))
        } catch {
            FileHandle.standardError.write(Data("clawguard init: cannot create the audit signing key in \(directory): \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    func run() async throws {
        let text: String
        do { text = try PolicyTemplate.starter(extending: profile) } catch {
            throw ValidationError(error.message)
        }
        try createSigningKey()
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
