import ClawGuardCore
import ClawGuardHooks
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `clawguard hook claude|codex --server URL`: the hook asks the gateway (`POST /v1/decide` with `wait: true`)
/// instead of deciding locally, so a fleet of agents shares one state and approvals reach a person. Anything
/// but a clear answer — the server unreachable, an error, a timeout — is a deny. Its own input parsing and watchdog;
/// the answers and the dialects are the local hook's.
struct RemoteHook {
    typealias Answer = HookRunner.Answer

    let agent: String?
    let dialect: HookDialect
    let server: String
    let tokenFile: String?
    /// How long the hook waits for the server (an approval may take up to the server's approval timeout).
    let waitSeconds: Double

    func main() -> Never {
        // The hook's own watchdog: past it, deny.
        let budget = waitSeconds + 5
        let watchdog = Thread {
            Thread.sleep(forTimeInterval: budget)
            Self.failClosed("ClawGuard got no decision from the server within \(Int(budget)) s, so the call is denied")
        }
        watchdog.stackSize = 64 << 10
        watchdog.start()
        do {
            try handle().finish()
        } catch {
            Self.failClosed("ClawGuard could not get a decision from the server, so the call is denied: \(error)")
        }
    }

    /// Denies with exit status 2 and the reason on stderr (the protocol's blocking error).
    static func failClosed(_ reason: String) -> Never { HookRunner.failClosed(reason) }

    func handle() throws -> Answer {
        let client = try GatewayClient.make(server: server, token: nil, tokenFile: tokenFile)
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard data.count <= 32 << 20 else { throw ClawGuardError(.limitExceeded, "hook input is over 32 MiB") }
        guard let payload = try? JSONDecoder().decode(JSONValue.self, from: data), case .object = payload else {
            throw ClawGuardError(.invalidInput, "hook input is not a JSON object")
        }
        guard let event = payload["hook_event_name"]?.stringValue else { throw ClawGuardError(.invalidInput, "hook input has no hook_event_name") }
        guard let session = payload["session_id"]?.stringValue, !session.isEmpty else { throw ClawGuardError(.invalidInput, "hook input has no session_id") }
        guard event == "PreToolUse" else {
            // Only tool calls are decided remotely; other events need no answer.
            return Answer()
        }
        guard let tool = payload["tool_name"]?.stringValue, !tool.isEmpty else { throw ClawGuardError(.invalidInput, "PreToolUse input has no tool_name") }
        guard let input = payload["tool_input"], case .object = input else { throw ClawGuardError(.invalidInput, "PreToolUse input has no tool_input object") }
        guard let cwd = payload["cwd"]?.stringValue, cwd.hasPrefix("/") else { throw ClawGuardError(.invalidInput, "PreToolUse input has no absolute cwd") }
        let environment = ProcessInfo.processInfo.environment
        var body: [String: JSONValue] = [
            "tool": .string(tool), "input": input, "cwd": .string(cwd), "session_id": .string(session),
            "agent": .string(agent ?? environment["CLAWGUARD_AGENT"] ?? dialect.defaultAgent),
            "user": .string(environment["USER"] ?? environment["LOGNAME"] ?? String(getuid())), "wait": true,
        ]
        if let transcript = payload["transcript_path"]?.stringValue, transcript.hasPrefix("/") { body["transcript_path"] = .string(transcript) }
        let answer = try client.expect("POST", "/v1/decide", body: .object(body), timeout: waitSeconds)
        guard let decision = answer["decision"]?.stringValue.flatMap(Decision.init(rawValue:)) else {
            throw ClawGuardError(.invalidInput, "the server's answer has no decision")
        }
        let reason = "ClawGuard: " + (answer["reason"]?.stringValue ?? decision.rawValue).replacingOccurrences(of: "ClawGuard: ", with: "")
        let stop = answer["stop_session"] == .bool(true)
        switch dialect {
        case .claude:
            var output: [String: JSONValue] = [
                "hookSpecificOutput": [
                    "hookEventName": "PreToolUse", "permissionDecision": .string(decision.rawValue), "permissionDecisionReason": .string(reason),
                ],
            ]
            if stop {
                output["continue"] = false
                output["stopReason"] = .string(reason)
            }
            return Answer(status: 0, stdout: jsonLine(JSONValue.object(output)))
        case .codex:
            switch decision {
            case .allow: return Answer(status: 0)
            case .ask: return Answer(status: 2, stderr: reason + " — approve it with `clawguard approvals`.")
            case .deny: return Answer(status: 2, stderr: reason)
            }
        }
    }
}
