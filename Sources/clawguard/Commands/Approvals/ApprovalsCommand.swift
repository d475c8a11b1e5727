import ArgumentParser
import ClawGuardCore
import ClawGuardGatewayClient
import Foundation

/// `clawguard approvals list|show|approve|deny|watch`: a person's side of approvals, against the gateway.
struct ApprovalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals", abstract: "List, inspect and decide approval requests on a ClawGuard gateway.",
        subcommands: [ApprovalsListCommand.self, ApprovalsShowCommand.self, ApprovalsApproveCommand.self, ApprovalsDenyCommand.self,
                      ApprovalsWatchCommand.self])
}

/// `--server URL --token T` (or CLAWGUARD_SERVER / CLAWGUARD_TOKEN / --token-file).
struct GatewayOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The gateway (default: $CLAWGUARD_SERVER).", valueName: "URL"))
    var server: String?

    @Option(help: ArgumentHelp("A token with approvals:write (default: $CLAWGUARD_TOKEN).", valueName: "TOKEN"))
    var token: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("A file holding the token.", valueName: "FILE"))
    var tokenFile: String?

    func client() throws -> GatewayClient {
        do { return try GatewayClient.make(server: server, token: token, tokenFile: tokenFile) } catch let error as ClawGuardError {
            throw ValidationError(error.message)
        }
    }
}

/// Run a client call; a failure exits 1 with the message.
func gatewayCall<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as ClawGuardError {
        printError("clawguard approvals: \(error.message)")
        throw ExitCode(1)
    }
}

enum ApprovalText {
    static func line(_ approval: JSONValue) -> String {
        let id = approval["id"]?.stringValue ?? "?"
        let status = approval["status"]?.stringValue ?? "?"
        let tool = approval["tool"]?.stringValue ?? "?"
        let risk = approval["risk"]?.stringValue ?? "?"
        return "\(id)  \(status.padding(toLength: 8, withPad: " ", startingAt: 0))  \(tool.padding(toLength: 10, withPad: " ", startingAt: 0))  risk=\(risk)  \(summary(approval))"
    }

    static func summary(_ approval: JSONValue) -> String {
        let input = approval["input"] ?? .null
        for key in ["command", "file_path", "notebook_path", "url", "query", "path"] {
            if let text = input[key]?.stringValue { return text.count > 120 ? String(text.prefix(117)) + "…" : text }
        }
        return jsonLine(input)
    }

    static func details(_ approval: JSONValue) -> String {
        var lines = [line(approval)]
        lines.append("  session \(approval["session"]?.stringValue ?? "?")  agent \(approval["agent"]?.stringValue ?? "?")  user \(approval["user"]?.stringValue ?? "?")  cwd \(approval["cwd"]?.stringValue ?? "?")")
        lines.append(contentsOf: explain(approval))
        if let decided = approval["decided_by"]?.stringValue {
            lines.append("  decided by \(decided)\(approval["scope"]?.stringValue.map { " (\($0))" } ?? "")\(approval["reason"]?.stringValue.map { ": \($0)" } ?? "")")
        }
        if let diff = approval["diff"]?.stringValue { lines.append(diff) }
        return lines.joined(separator: "\n")
    }

    static func explain(_ approval: JSONValue) -> [String] {
        guard let data = try? JSONEncoder().encode(approval["verdict"] ?? .null),
              let verdict = try? JSONDecoder().decode(Verdict.self, from: data) else { return ["  (no analysis)"] }
        let call = ToolCall(tool: approval["tool"]?.stringValue ?? "?", input: approval["input"] ?? .null, cwd: approval["cwd"]?.stringValue ?? "/")
        return VerdictText.render(verdict, call: call).split(separator: "\n").map { "  " + $0 }
    }
}

struct ApprovalsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List approvals (default: pending).")

    @OptionGroup var gateway: GatewayOptions

    @Option(help: "pending, approved, denied, expired, or all.")
    var status = "pending"

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let client = try gateway.client()
        let query = status == "all" ? "" : "?status=\(status)"
        let reply = try gatewayCall { try client.expect("GET", "/v1/approvals\(query)") }
        if json {
            print(jsonLine(reply))
            return
        }
        guard case .array(let items)? = reply["approvals"], !items.isEmpty else {
            print("no \(status == "all" ? "" : status + " ")approvals")
            return
        }
        for item in items { print(ApprovalText.line(item)) }
    }
}

struct ApprovalsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one approval with its analysis and diff.")

    @OptionGroup var gateway: GatewayOptions

    @Argument var id: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let client = try gateway.client()
        let reply = try gatewayCall { try client.expect("GET", "/v1/approvals/\(id)") }
        print(json ? jsonLine(reply) : ApprovalText.details(reply))
    }
}

/// approve / deny share their options.
struct DecideOptions: ParsableArguments {
    @Option(help: "Why (recorded in the audit trail).")
    var reason: String?

    @Option(help: "once, session (identical calls of the session), or always (adds an allow rule).")
    var scope = "once"

    @Argument(help: "One or more approval ids.")
    var ids: [String]

    func send(_ client: GatewayClient, approve: Bool) throws {
        guard ["once", "session", "always"].contains(scope) else { throw ValidationError("--scope must be once, session or always") }
        var body: [String: JSONValue] = ["scope": .string(scope)]
        if let reason { body["reason"] = .string(reason) }
        if ids.count == 1 {
            let reply = try gatewayCall { try client.expect("POST", "/v1/approvals/\(ids[0])/\(approve ? "approve" : "deny")", body: .object(body)) }
            print(ApprovalText.line(reply))
        } else {
            body["ids"] = .array(ids.map { .string($0) })
            body["decision"] = .string(approve ? "approve" : "deny")
            let reply = try gatewayCall { try client.expect("POST", "/v1/approvals/batch", body: .object(body)) }
            if case .array(let decided)? = reply["decided"] { for item in decided { print(ApprovalText.line(item)) } }
            if case .array(let skipped)? = reply["skipped"], !skipped.isEmpty {
                printError("skipped (unknown or already decided): \(skipped.compactMap(\.stringValue).joined(separator: ", "))")
            }
        }
    }
}

struct ApprovalsApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve one or more requests.")
    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var decide: DecideOptions

    func run() throws { try decide.send(try gateway.client(), approve: true) }
}

struct ApprovalsDenyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deny", abstract: "Deny one or more requests.")
    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var decide: DecideOptions

    func run() throws { try decide.send(try gateway.client(), approve: false) }
}

/// `clawguard approvals watch`: shows each pending request with its risk and asks what to do.
struct ApprovalsWatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Interactive: show each pending request and approve / deny / explain / diff.",
        discussion: "Keys: a approve once, s approve for the session, A approve always, d deny, e explain, v diff, n skip, q quit.")

    @OptionGroup var gateway: GatewayOptions

    @Option(help: "Seconds between polls for new requests.")
    var interval = 1.0

    func run() throws {
        let client = try gateway.client()
        var skipped = Set<String>()
        print("Watching \(client.base.absoluteString) for approval requests (q to quit).")
        while true {
            let reply = try gatewayCall { try client.expect("GET", "/v1/approvals?status=pending") }
            guard case .array(let items)? = reply["approvals"] else { continue }
            let fresh = items.reversed().filter { !skipped.contains($0["id"]?.stringValue ?? "") }
            if fresh.isEmpty {
                Thread.sleep(forTimeInterval: max(0.2, interval))
                continue
            }
            for approval in fresh {
                guard let id = approval["id"]?.stringValue else { continue }
                print("\n" + String(repeating: "─", count: 60))
                print("REQUEST \(id)  risk: \(approval["risk"]?.stringValue ?? "?")")
                print("  \(approval["tool"]?.stringValue ?? "?"): \(ApprovalText.summary(approval))")
                print("  session \(approval["session"]?.stringValue ?? "?")  agent \(approval["agent"]?.stringValue ?? "?")")
                if let reason = approval["verdict"]?["reason"]?.stringValue { print("  why: \(reason)") }
                prompt: while true {
                    print("[a]pprove once, [s]ession, [A]lways, [d]eny, [e]xplain, [v] diff, [n]ext, [q]uit > ", terminator: "")
                    fflush(nil)
                    guard let key = readLine()?.trimmingCharacters(in: .whitespaces) else { return }
                    switch key {
                    case "a", "s", "A":
                        let scope = key == "a" ? "once" : key == "s" ? "session" : "always"
                        let result = try? client.send("POST", "/v1/approvals/\(id)/approve", body: ["scope": .string(scope), "reason": "approved in clawguard approvals watch"])
                        print(result.map { $0.status == 200 ? "approved (\(scope))" : "not approved: \($0.body["error"]?["message"]?.stringValue ?? "HTTP \($0.status)")" } ?? "the server could not be reached")
                        break prompt
                    case "d":
                        print("reason (optional): ", terminator: "")
                        fflush(nil)
                        let reason = readLine() ?? ""
                        let result = try? client.send("POST", "/v1/approvals/\(id)/deny", body: ["reason": .string(reason.isEmpty ? "denied in clawguard approvals watch" : reason)])
                        print(result.map { $0.status == 200 ? "denied" : "not denied: \($0.body["error"]?["message"]?.stringValue ?? "HTTP \($0.status)")" } ?? "the server could not be reached")
                        break prompt
                    case "e":
                        for line in ApprovalText.explain(approval) { print(line) }
                    case "v":
                        print(approval["diff"]?.stringValue ?? "(no diff: not a file edit)")
                    case "n":
                        skipped.insert(id)
                        break prompt
                    case "q":
                        return
                    default:
                        print("keys: a s A d e v n q")
                    }
                }
            }
        }
    }
}
