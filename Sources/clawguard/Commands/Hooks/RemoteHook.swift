import ClawGuardCore
import Foundation

/// `clawguard hook claude|codex --server URL`: the hook asks the gateway (`POST /v1/decide` with `wait: true`)
/// instead of deciding locally, so a fleet of agents shares one state and approvals reach a person. Anything
/// but a clear answer — the server unreachable, an error, a timeout — is a deny.
struct RemoteHook {
    let settings: HookSettings
    let dialect: HookDialect
    let server: String
    let tokenFile: String?
    /// How long the hook waits for the server (an approval may take up to the server's approval timeout).
    let waitSeconds: Double

    func main() -> Never {
        // The hook's own watchdog: past it, deny.
        Watchdog.start(milliseconds: Int(waitSeconds * 1000) + 5_000)
        do {
            let answer = try handle()
            if let stdout = answer.stdout { FileHandle.standardOutput.write(Data((stdout + "\n").utf8)) }
            if let stderr = answer.stderr { FileHandle.standardError.write(Data((stderr + "\n").utf8)) }
            exit(answer.status)
        } catch {
            HookRunner.failClosed("ClawGuard could not get a decision from the server, so the call is denied: \(error)")
        }
    }

    func handle() throws -> HookRunner.Answer {
        let client = try GatewayClient.make(server: server, token: nil, tokenFile: tokenFile)
        let payload = try HookPayload.parse(FileHandle.standardInput.readDataToEndOfFile())
        guard payload.event == "PreToolUse" else {
            // Only tool calls are decided remotely; other events need no answer.
            return HookRunner.Answer()
        }
        guard let tool = payload.toolName, !tool.isEmpty else { throw ClawGuardError(.invalidInput, "PreToolUse input has no tool_name") }
        guard let input = payload.toolInput else { throw ClawGuardError(.invalidInput, "PreToolUse input has no tool_input object") }
        guard let cwd = payload.cwd, cwd.hasPrefix("/") else { throw ClawGuardError(.invalidInput, "PreToolUse input has no absolute cwd") }
        let environment = ProcessInfo.processInfo.environment
        var body: [String: JSONValue] = [
            "tool": .string(tool), "input": input, "cwd": .string(cwd), "session_id": .string(payload.sessionID),
            "agent": .string(settings.agent ?? environment["CLAWGUARD_AGENT"] ?? dialect.defaultAgent),
            "user": .string(environment["USER"] ?? environment["LOGNAME"] ?? String(getuid())), "wait": true,
        ]
        if let transcript = payload.transcriptPath, transcript.hasPrefix("/") { body["transcript_path"] = .string(transcript) }
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
            return HookRunner.Answer(status: 0, stdout: jsonLine(JSONValue.object(output)))
        case .codex:
            switch decision {
            case .allow: return HookRunner.Answer(status: 0)
            case .ask: return HookRunner.Answer(status: 2, stderr: reason + " — approve it with `clawguard approvals`.")
            case .deny: return HookRunner.Answer(status: 2, stderr: reason)
            }
        }
    }
}
