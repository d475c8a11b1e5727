import ClawGuardCore
import ClawGuardHooks
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `clawguard hook claude|codex --server URL`: the hook asks the gateway (`POST /v1/decide` with `wait: true`)
/// instead of deciding locally, so a fleet of agents shares one state and approvals reach a person. Anything
/// but a clear answer — the server unreachable, an error, a timeout, a malformed reply — is a deny (exit 2, the
/// reason on stderr). The answers and the dialects are the local hook's (`HookRunner.Answer`).
///
/// One implementation for both executables: the slim front runs it for `unix:` servers (no HTTP transport, so no
/// FoundationNetworking), `clawguard-full` for every server, with its URLSession transport for `http(s)://`.
package struct RemoteHook {
    package typealias Answer = HookRunner.Answer

    /// The longest `--server-wait` accepted (a day): the watchdog's timer must be representable.
    static let maxWaitSeconds = 86_400.0

    let agent: String?
    let dialect: HookDialect
    let server: String
    let tokenFile: String?
    /// `--profile`: sent as `/v1/decide`'s `profile`, so the gateway holds the call to it as well as to its own.
    let profile: String?
    /// How long the hook waits for the server (an approval may take up to the server's approval timeout).
    let waitSeconds: Double
    /// Makes the transport for an `http(s)` server; nil in the slim front.
    let http: ((URL) -> any GatewayTransport)?

    /// - Parameters:
    ///   - settings: the hook's settings; `settings.server` must be set.
    ///   - dialect: whose protocol to answer in.
    ///   - http: the `http(s)` transport, or nil when only `unix:` servers can be reached.
    package init(settings: HookSettings, dialect: HookDialect, http: ((URL) -> any GatewayTransport)?) {
        self.agent = settings.agent
        self.dialect = dialect
        self.server = settings.server ?? ""
        self.tokenFile = settings.tokenFile
        self.profile = settings.profile
        self.waitSeconds = settings.serverWait
        self.http = http
    }

    /// Whether an executable without an HTTP transport (the slim front) can answer for this `--server` value
    /// itself; otherwise it hands the command line to `clawguard-full`.
    package static func answersWithoutHTTP(server: String) -> Bool {
        GatewayClient.socketPath(of: server) != nil
    }

    /// Asks the gateway, writes the answer and exits the process. Never returns.
    package func main() -> Never {
        guard waitSeconds.isFinite, waitSeconds >= 0, waitSeconds <= Self.maxWaitSeconds else {
            HookRunner.failClosed("ClawGuard: --server-wait must be between 0 and \(Int(Self.maxWaitSeconds)) seconds, so the call is denied")
        }
        // The hook's own watchdog (setitimer, as the local hook's), covering the network wait: past it, deny.
        let budget = waitSeconds + 5
        Watchdog.start(milliseconds: Int((budget * 1000).rounded(.up)),
                       message: "ClawGuard got no decision from the server within \(Int(budget)) s, so the call is denied")
        do {
            try handle().finish()
        } catch {
            HookRunner.failClosed("ClawGuard could not get a decision from the server, so the call is denied: \(error)")
        }
    }

    func handle() throws -> Answer {
        let environment = ProcessInfo.processInfo.environment
        let client = try GatewayClient.make(server: server, token: nil, tokenFile: tokenFile, environment: environment, http: http)
        let payload = try HookPayload.parse(FileHandle.standardInput.readDataToEndOfFile())
        guard payload.event == "PreToolUse" else {
            // Only tool calls are decided remotely; other events need no answer.
            return Answer()
        }
        guard let tool = payload.toolName, !tool.isEmpty else { throw ClawGuardError(.invalidInput, "PreToolUse input has no tool_name") }
        guard let input = payload.toolInput else { throw ClawGuardError(.invalidInput, "PreToolUse input has no tool_input object") }
        guard let cwd = payload.cwd, cwd.hasPrefix("/") else { throw ClawGuardError(.invalidInput, "PreToolUse input has no absolute cwd") }
        var body: [String: JSONValue] = [
            "tool": .string(tool), "input": input, "cwd": .string(cwd), "session_id": .string(payload.sessionID),
            "agent": .string(agent ?? environment["CLAWGUARD_AGENT"] ?? dialect.defaultAgent),
            "user": .string(environment["USER"] ?? environment["LOGNAME"] ?? String(getuid())), "wait": true,
        ]
        if let transcript = payload.transcriptPath, transcript.hasPrefix("/") { body["transcript_path"] = .string(transcript) }
        if let profile, !profile.isEmpty { body["profile"] = .string(profile) }
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
