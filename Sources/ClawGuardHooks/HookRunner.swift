import ClawGuardCore
import ClawGuardScanners
import ClawGuardStore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A hook's settings as plain values (the fast path fills them without ArgumentParser).
package struct HookSettings: Sendable, Equatable {
    package var policies: [String] = []
    package var profile: String?
    package var state: String?
    package var agent: String?
    package var timeoutMilliseconds = 5_000
    /// `--server`: ask this gateway instead of deciding locally (`ClawGuardGatewayClient.RemoteHook`).
    package var server: String?
    /// `--token-file`: the gateway token's file (after `CLAWGUARD_TOKEN`, before `CLAWGUARD_TOKEN_FILE`).
    package var tokenFile: String?
    /// `--server-wait`: seconds to wait for the gateway, approvals included.
    package var serverWait: Double = 130

    package init(policies: [String] = [], profile: String? = nil, state: String? = nil, agent: String? = nil,
                 timeoutMilliseconds: Int = 5_000, server: String? = nil, tokenFile: String? = nil,
                 serverWait: Double = 130) {
        self.policies = policies
        self.profile = profile
        self.state = state
        self.agent = agent
        self.timeoutMilliseconds = timeoutMilliseconds
        self.server = server
        self.tokenFile = tokenFile
        self.serverWait = serverWait
    }
}

/// Parses `hook claude|codex [--policy F]… [--profile N] [--state P] [--agent A] [--timeout-ms N] [--server S]
/// [--token-file F] [--server-wait S]` without ArgumentParser (its set-up is a large share of a hook's start-up). Anything else (help, unknown flags) returns
/// nil and takes the normal path, which reports errors properly.
package enum HookFastPath {
    package static func parse(_ arguments: [String]) -> (HookDialect, HookSettings)? {
        guard arguments.count >= 2, arguments[0] == "hook", let dialect = HookDialect(rawValue: arguments[1]) else { return nil }
        var options = HookSettings()
        var i = 2
        while i < arguments.count {
            let flag = arguments[i]
            guard i + 1 < arguments.count else { return nil }
            let value = arguments[i + 1]
            switch flag {
            case "--policy": options.policies.append(value)
            case "--profile": options.profile = value
            case "--state": options.state = value
            case "--agent": options.agent = value
            case "--timeout-ms":
                guard let ms = Int(value) else { return nil }
                options.timeoutMilliseconds = ms
            case "--server": options.server = value
            case "--token-file": options.tokenFile = value
            case "--server-wait":
                guard let seconds = Double(value) else { return nil }
                options.serverWait = seconds
            default: return nil
            }
            i += 2
        }
        return (dialect, options)
    }
}

/// Whose protocol a hook speaks.
package enum HookDialect: String, Sendable {
    case claude, codex

    package var defaultAgent: String { self == .claude ? "claude-code" : "codex" }
}

/// One hook invocation, from stdin to exit status.
package struct HookRunner {
    package let options: HookSettings
    package let dialect: HookDialect

    package init(options: HookSettings, dialect: HookDialect) {
        self.options = options
        self.dialect = dialect
    }

    /// Runs, writes the answer and exits the process. Never returns.
    package func main() -> Never {
        let budget = max(50, options.timeoutMilliseconds)
        Watchdog.start(milliseconds: budget)
        do {
            try handle().finish()
        } catch {
            HookRunner.failClosed("ClawGuard could not decide, so the call is denied: \(error)")
        }
    }

    /// Denies with exit status 2 and the reason on stderr (the protocol's blocking error).
    package static func failClosed(_ reason: String) -> Never {
        FileHandle.standardError.write(Data((reason + "\n").utf8))
        exit(2)
    }

    /// A hook's answer: its exit status and what it writes on stdout and stderr (the local and the gateway hook).
    package struct Answer {
        package var status: Int32 = 0
        package var stdout: String?
        package var stderr: String?

        package init(status: Int32 = 0, stdout: String? = nil, stderr: String? = nil) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }

        /// Writes the answer and exits with its status.
        package func finish() -> Never {
            if let stdout { FileHandle.standardOutput.write(Data((stdout + "\n").utf8)) }
            if let stderr { FileHandle.standardError.write(Data((stderr + "\n").utf8)) }
            exit(status)
        }
    }

    func handle() throws -> Answer {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let payload = try HookPayload.parse(data)
        let environment = ProcessInfo.processInfo.environment
        let user = environment["USER"] ?? environment["LOGNAME"] ?? String(getuid())
        let agent = options.agent ?? environment["CLAWGUARD_AGENT"] ?? dialect.defaultAgent
        switch payload.event {
        case "PreToolUse":
            return try preToolUse(payload, agent: agent, user: user, environment: environment)
        case "PostToolUse", "PostToolUseFailure":
            return try postToolUse(payload, agent: agent, user: user, environment: environment)
        case "UserPromptSubmit":
            return try userPromptSubmit(payload)
        case "SessionStart":
            let store = try openStore(environment)
            defer { store.keepWALSmall() }
            _ = try store.startSession(SessionStart(session: payload.sessionID, agent: agent, user: user, cwd: payload.cwd,
                                                    transcriptPath: payload.transcriptPath, details: ["source": payload.raw["source"] ?? .null]))
            return Answer()
        case "SessionEnd":
            let store = try openStore(environment)
            defer { store.keepWALSmall() }
            let policy = try loadPolicy(cwd: payload.cwd ?? FileManager.default.currentDirectoryPath, environment: environment)
            _ = try store.endSession(payload.sessionID, success: true, prices: Limits(policy: policy).budget?.prices ?? PriceTable.anthropic)
            return Answer()
        case "Stop", "SubagentStop", "Notification", "PreCompact":
            return Answer()
        default:
            // An event ClawGuard does not know: say nothing (no decision), but never allow anything.
            return Answer(stderr: "ClawGuard: ignoring unknown hook event \(payload.event)")
        }
    }

    /// Opens the state store. The environment is the one `handle()` read once: the defaults of `StatePaths` and
    /// `StateStoreOptions` (the same values) would each build the whole dictionary again (1.4 % of a hook).
    func openStore(_ environment: [String: String]) throws -> StateStore {
        try StateStore(path: StatePaths.resolve(explicit: options.state, environment: environment),
                       options: StateStoreOptions(redact: AuditRedaction.redact, actor: environment["USER"] ?? NSUserName()))
    }

    func loadPolicy(cwd: String, environment: [String: String]) throws -> Policy {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let paths = options.policies.isEmpty
            ? PolicyLocator.locate(cwd: cwd, home: home, environment: environment)
            : options.policies.map { PathResolver(home: home, followSymlinks: false).lexicalPath($0, cwd: FileManager.default.currentDirectoryPath) }
        return try PolicyLoader.load(paths: paths, profile: options.profile ?? environment["CLAWGUARD_PROFILE"], cwd: cwd, home: home)
    }

    func preToolUse(_ payload: HookPayload, agent: String, user: String, environment: [String: String]) throws -> Answer {
        guard let tool = payload.toolName, !tool.isEmpty else { throw ClawGuardError(.invalidInput, "PreToolUse input has no tool_name") }
        guard let input = payload.toolInput else { throw ClawGuardError(.invalidInput, "PreToolUse input has no tool_input object") }
        guard let cwd = payload.cwd, cwd.hasPrefix("/") else { throw ClawGuardError(.invalidInput, "PreToolUse input has no absolute cwd") }
        let policy = try loadPolicy(cwd: cwd, environment: environment)
        let verdict = DecisionEngine(policy: policy).decide(ToolCall(tool: tool, input: input, cwd: cwd))
        let store = try openStore(environment)
        // After the answer is decided and committed: keeps the next hook's WAL recovery short (StateStore+WALSize).
        defer { store.keepWALSmall() }
        let outcome = try store.recordToolCall(
            ToolCallEvent(session: payload.sessionID, agent: agent, user: user, cwd: cwd, tool: tool, input: input,
                          transcriptPath: payload.transcriptPath),
            verdict: verdict, limits: Limits(policy: policy))
        var reason = outcome.reason
        if outcome.shadow && outcome.decision != .allow {
            reason = "[shadow mode: would \(outcome.decision.rawValue)] " + reason
        }
        reason = "ClawGuard: " + reason
        // A spent budget, the kill switch or an ended session stops the whole session, not just this call.
        let stopping: Set<LimitKind> = [.sessionBudget, .dailyBudget, .killSwitch, .sessionTerminated, .sessionTimeout]
        let stop = outcome.enforced == .deny && outcome.hits.contains { stopping.contains($0.kind) }
        switch dialect {
        case .claude:
            if outcome.shadow && outcome.enforced == .allow && outcome.decision != .allow {
                // Shadow mode: recorded, not enforced; say nothing so Claude Code's own permissions apply.
                return Answer(status: 0)
            }
            var output: [String: JSONValue] = [
                "hookSpecificOutput": [
                    "hookEventName": "PreToolUse",
                    "permissionDecision": .string(outcome.enforced.rawValue),
                    "permissionDecisionReason": .string(reason),
                ],
            ]
            if stop {
                output["continue"] = false
                output["stopReason"] = .string(reason)
            }
            return Answer(status: 0, stdout: jsonLine(JSONValue.object(output)))
        case .codex:
            switch outcome.enforced {
            case .allow:
                // Codex runs the tool when the hook says nothing; an explicit allow is treated as a failed hook.
                return Answer(status: 0)
            case .ask:
                return Answer(status: 2, stderr: reason + " — this needs a person's approval, which Codex's hooks cannot ask for: approve it with `clawguard approvals` or add an allow rule to the policy.")
            case .deny:
                return Answer(status: 2, stderr: reason)
            }
        }
    }

    func postToolUse(_ payload: HookPayload, agent: String, user: String, environment: [String: String]) throws -> Answer {
        let store = try openStore(environment)
        defer { store.keepWALSmall() }
        let failed = payload.event == "PostToolUseFailure" || payload.raw["tool_response"]?["is_error"] == .bool(true)
            || payload.raw["tool_response"]?["success"] == .bool(false)
        try store.recordToolResult(session: payload.sessionID, agent: agent, user: user, tool: payload.toolName ?? "unknown", success: !failed,
                                   error: failed ? payload.raw["tool_response"]?["error"]?.stringValue : nil)
        return try ContentChecks.postToolUse(payload, settings: try loadPolicy(cwd: payload.cwd ?? FileManager.default.currentDirectoryPath, environment: environment).scanners)
    }

    func userPromptSubmit(_ payload: HookPayload) throws -> Answer {
        guard let prompt = payload.raw["prompt"]?.stringValue else { throw ClawGuardError(.invalidInput, "UserPromptSubmit input has no prompt") }
        let policy = try loadPolicy(cwd: payload.cwd ?? FileManager.default.currentDirectoryPath, environment: ProcessInfo.processInfo.environment)
        return ContentChecks.userPrompt(prompt, settings: policy.scanners)
    }
}

/// Credentials (and only credentials) are redacted from everything written to the audit trail, with the
/// content scanners' redactor.
enum AuditRedaction {
    static let redactor = Redactor(ScannerConfiguration.Redaction(secrets: true, pii: []))

    /// Two gates before the scanner, which costs about a millisecond to build (once per process): the cheap
    /// byte-run test below, then the scanner's own keyword gate — a text without any rule's keyword has no
    /// finding, so skipping the scanner for it changes nothing that is written.
    @Sendable static func redact(_ text: String) -> String {
        mayContainCredential(text) && KeywordGate.standard.mayMatch(text) ? redactor.redact(text).text : text
    }

    /// A cheap gate before building the scanners (a few milliseconds, once per process): every credential
    /// format ClawGuard knows is either a run of at least 12 token characters, or follows a credential-like
    /// word (`password=hunter2`), or a `-----BEGIN` line, or a URL with user info.
    static func mayContainCredential(_ text: String) -> Bool {
        var run = 0
        for b in text.utf8 {
            let token = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: "/")
                || b == UInt8(ascii: "=") || b == UInt8(ascii: ".")
            run = token ? run + 1 : 0
            if run >= 12 { return true }
        }
        let lower = text.lowercased()
        return ["pass", "pwd", "secret", "token", "key", "auth", "cred", "-----begin", "@"].contains { lower.contains($0) }
    }
}

/// A hook's JSON input: the documented fields, unknown ones ignored, required ones checked.
package struct HookPayload {
    static let maxBytes = 32 << 20

    package var raw: JSONValue
    package var event: String
    package var sessionID: String
    package var cwd: String?
    package var transcriptPath: String?
    package var toolName: String?
    package var toolInput: JSONValue?

    package static func parse(_ data: Data) throws -> HookPayload {
        if data.count > maxBytes { throw ClawGuardError(.limitExceeded, "hook input is \(data.count) bytes, over \(maxBytes)") }
        guard !data.isEmpty else { throw ClawGuardError(.invalidInput, "no hook input on stdin") }
        let value: JSONValue
        if let fast = PayloadJSON.parseObject(data) {
            value = fast
        } else {
            do { value = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
                throw ClawGuardError(.invalidInput, "hook input is not valid JSON")
            }
        }
        guard case .object = value else { throw ClawGuardError(.invalidInput, "hook input is not a JSON object") }
        guard let event = value["hook_event_name"]?.stringValue else { throw ClawGuardError(.invalidInput, "hook input has no hook_event_name") }
        guard let session = value["session_id"]?.stringValue, !session.isEmpty else { throw ClawGuardError(.invalidInput, "hook input has no session_id") }
        var toolInput: JSONValue?
        if let input = value["tool_input"] {
            guard case .object = input else { throw ClawGuardError(.invalidInput, "tool_input is not a JSON object") }
            toolInput = input
        }
        return HookPayload(raw: value, event: event, sessionID: session, cwd: value["cwd"]?.stringValue,
                           transcriptPath: value["transcript_path"]?.stringValue, toolName: value["tool_name"]?.stringValue,
                           toolInput: toolInput)
    }
}

/// Ends the process with a deny if the hook overruns its own time budget.
///
/// A real-time interval timer (`setitimer`, `SIGALRM`) rather than a sleeping thread: starting a thread cost
/// about 2 % of a hook (thread start, a new malloc arena). The handler only does what is async-signal-safe:
/// `write` of a message prepared before arming, then `_exit(2)` (the agents' blocking error: fail closed).
package enum Watchdog {
    /// The message the handler writes, prepared before the timer is armed (the handler must not allocate).
    nonisolated(unsafe) static var message: UnsafeMutableBufferPointer<UInt8>?

    /// Arms the timer: past `milliseconds`, `message` (default: the local hook's) goes to stderr and the process
    /// exits 2.
    package static func start(milliseconds: Int, message reason: String? = nil) {
        let line = reason ?? "ClawGuard did not decide within its \(milliseconds) ms budget, so the call is denied"
        let text = Array((line + "\n").utf8)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: text.count)
        _ = buffer.initialize(from: text)
        message = buffer
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            if let message = Watchdog.message { _ = write(2, message.baseAddress, message.count) }
            _exit(2)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGALRM, &action, nil)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGALRM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        var timer = itimerval()
        timer.it_value.tv_sec = milliseconds / 1000
        timer.it_value.tv_usec = (milliseconds % 1000) * 1000
        if setitimer(__itimer_which_t(ITIMER_REAL.rawValue), &timer, nil) != 0 {
            HookRunner.failClosed("ClawGuard could not arm its \(milliseconds) ms time budget (setitimer: \(String(cString: strerror(errno)))), so the call is denied")
        }
    }
}

/// Encodes a value as one line of JSON (sorted keys, slashes unescaped); a value that cannot be encoded becomes a deny.
package func jsonLine(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else {
        return #"{"decision":"deny","reason":"internal error: could not encode the answer","rule":null,"risks":[],"commands":[]}"#
    }
    return text
}
