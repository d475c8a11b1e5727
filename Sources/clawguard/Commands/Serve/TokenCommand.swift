import ArgumentParser
import ClawGuardServer
import ClawGuardStore
import Foundation

/// `clawguard token create|list|revoke`: the gateway's bearer tokens (stored hashed in the state database).
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage the gateway's bearer tokens.",
        subcommands: [TokenCreateCommand.self, TokenListCommand.self, TokenRevokeCommand.self])

    /// Opens the token table of the state database.
    static func open(_ state: StateOptions) throws -> TokenStore {
        let store = try state.open()
        do {
            return try GatewayTokens.open(store)
        } catch {
            throw ValidationError("cannot prepare the token table: \(error)")
        }
    }
}

struct TokenCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a token and print it (once).")

    @OptionGroup var state: StateOptions

    @Option(help: "A name for the token (shown in logs and the audit trail).")
    var name: String

    @Option(help: "Comma-separated scopes: chat, sessions:read, sessions:write, config:read, config:write, health:read, approvals:write, audit:read, skills:*, *.")
    var scopes: String

    @Option(help: ArgumentHelp("Expiry as ISO 8601 (2026-12-31T00:00:00Z).", valueName: "TIME"))
    var expires: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        var expiry: Date?
        if let expires {
            guard let date = ISO8601DateFormatter().date(from: expires) else {
                throw ValidationError("--expires must be ISO 8601 with a time zone, e.g. 2026-12-31T00:00:00Z")
            }
            expiry = date
        }
        let tokens = try TokenCommand.open(state)
        let user = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
        do {
            let issued = try tokens.create(name: name, scopes: scopes.split(separator: ",").map { Scope(String($0).trimmingCharacters(in: .whitespaces)) },
                                           expiresAt: expiry, createdBy: "cli:\(user)")
            if json {
                print(JSONText.encode(["id": issued.record.id, "name": issued.record.name, "token": issued.token]))
            } else {
                print(issued.token)
                printError("token \(issued.record.id) '\(name)' created with scopes \(issued.record.scopes.map(\.name).joined(separator: ",")); it is not shown again")
            }
        } catch let error as GatewayError {
            throw ValidationError(error.message)
        }
    }
}

struct TokenListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens (never their secrets).")

    @OptionGroup var state: StateOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let records = try TokenCommand.open(state).list()
        if json {
            print(JSONText.encode(records))
            return
        }
        let formatter = ISO8601DateFormatter()
        for record in records {
            print("\(record.id)  \(record.name.padding(toLength: 16, withPad: " ", startingAt: 0))  \(record.status().padding(toLength: 7, withPad: " ", startingAt: 0))  \(record.scopes.map(\.name).joined(separator: ","))  created \(formatter.string(from: record.createdAt))\(record.expiresAt.map { "  expires \(formatter.string(from: $0))" } ?? "")")
        }
        if records.isEmpty { print("no tokens (clawguard serve creates an admin token on first start)") }
    }
}

struct TokenRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token by id or name (takes effect within a second).")

    @OptionGroup var state: StateOptions

    @Argument(help: "The token's id or name.")
    var token: String

    func run() throws {
        guard try TokenCommand.open(state).revoke(token) else {
            printError("no active token with id or name '\(token)'")
            throw ExitCode(1)
        }
        print("revoked \(token)")
    }
}
