import ClawGuardCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import ServiceLifecycle

/// Something that can decide an approval: a person (through the API, `clawguard approvals`, the console), a
/// webhook, or a command such as a supervisory agent (the reference design's gatekeeper). Its verdict and
/// reasoning are recorded like a person's.
public protocol Approver: Sendable {
    /// Recorded as `decided_by`.
    var name: String { get }
    /// Reviews a pending approval. Returns nil to abstain (a person will decide, or the wait times out).
    /// - Throws: on failure; the failure is logged and the approver abstains (never an allow).
    func review(_ approval: ApprovalRecord) async throws -> ApprovalDecision?
}

/// The JSON an approver answers with: `{"decision": "approve"|"deny"|"abstain", "reason": "...", "scope": "once"}`.
struct ApproverAnswer: Decodable {
    var decision: String
    var reason: String?
    var scope: ApprovalScope?

    func toDecision(approver: String) throws -> ApprovalDecision? {
        switch decision.lowercased() {
        case "approve", "allow", "approved": ApprovalDecision(approve: true, reason: reason, scope: scope ?? .once)
        case "deny", "denied", "reject": ApprovalDecision(approve: false, reason: reason, scope: scope ?? .once)
        case "abstain", "": nil
        default: throw GatewayError(.badRequest, "approver \(approver) answered an unknown decision '\(decision)'")
        }
    }

    static func parse(_ data: Data, approver: String) throws -> ApprovalDecision? {
        let answer: ApproverAnswer
        do { answer = try JSONDecoder().decode(ApproverAnswer.self, from: data) } catch {
            throw GatewayError(.badRequest, "approver \(approver) did not answer a JSON verdict {\"decision\": \"approve|deny|abstain\", \"reason\": …}")
        }
        return try answer.toDecision(approver: approver)
    }
}

/// POSTs the approval as JSON to a URL and reads the verdict from the response body.
public struct WebhookApprover: Approver {
    public let name: String
    let url: URL
    let timeout: Duration

    public init(name: String, url: URL, timeout: Duration) {
        self.name = name
        self.url = url
        self.timeout = timeout
    }

    public func review(_ approval: ApprovalRecord) async throws -> ApprovalDecision? {
        var request = URLRequest(url: url, timeoutInterval: Double(timeout.components.seconds))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(JSONText.encode(approval).utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
            throw GatewayError(.unavailable, "webhook approver \(name) answered HTTP \((response as? HTTPURLResponse)?.statusCode ?? 0)")
        }
        return try ApproverAnswer.parse(data, approver: name)
    }
}

/// Runs a program (no shell) with the approval as JSON on stdin; reads the verdict JSON from stdout.
public struct CommandApprover: Approver {
    public let name: String
    let argv: [String]
    let timeout: Duration

    public init(name: String, argv: [String], timeout: Duration) {
        self.name = name
        self.argv = argv
        self.timeout = timeout
    }

    public func review(_ approval: ApprovalRecord) async throws -> ApprovalDecision? {
        guard let program = argv.first else { throw GatewayError(.badRequest, "command approver has no program") }
        let input = Data(JSONText.encode(approval).utf8)
        let seconds = Double(timeout.components.seconds)
        let output: Data = try await withCheckedThrowingContinuation { continuation in
            // Process and its pipes block; run them on a thread of their own, bounded by the timeout.
            let thread = Thread {
                do {
                    continuation.resume(returning: try Self.run(program: program, arguments: Array(argv.dropFirst()), input: input, timeout: seconds))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.start()
        }
        return try ApproverAnswer.parse(output, approver: name)
    }

    static func run(program: String, arguments: [String], input: Data, timeout: Double) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : "/usr/bin/env")
        process.arguments = program.hasPrefix("/") ? arguments : [program] + arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = DispatchTime.now() + timeout
        let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: deadline, execute: killer)
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw GatewayError(.unavailable, "command approver \(program) failed (status \(process.terminationStatus))")
        }
        return data
    }
}

extension ApproverConfiguration {
    /// The approver this configuration describes.
    func makeApprover() throws(GatewayError) -> any Approver {
        switch kind {
        case .webhook:
            guard let url = URL(string: target), url.scheme == "http" || url.scheme == "https" else {
                throw GatewayError(.badRequest, "webhook approver: '\(target)' is not an http(s) URL")
            }
            return WebhookApprover(name: name, url: url, timeout: timeout)
        case .command:
            let argv = target.split(separator: " ").map(String.init)
            guard !argv.isEmpty else { throw GatewayError(.badRequest, "command approver: empty command") }
            return CommandApprover(name: name, argv: argv, timeout: timeout)
        }
    }
}

/// Feeds every new approval to the automatic approvers (in order; the first that does not abstain decides) —
/// a `Service`, so reviews run in its task group and end with the server.
public struct ApproverService: Service {
    let approvers: [any Approver]
    let broker: ApprovalBroker
    let decide: @Sendable (String, ApprovalDecision, String) async -> Void
    let logger: Logger

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await approval in broker.created.cancelOnGracefulShutdown() {
                    guard !approvers.isEmpty else { continue }
                    group.addTask { await review(approval) }
                }
            }
        } onGracefulShutdown: {
            broker.shutdown()
        }
    }

    func review(_ approval: ApprovalRecord) async {
        for approver in approvers {
            do {
                if let decision = try await approver.review(approval) {
                    await decide(approval.id, decision, "approver:\(approver.name)")
                    return
                }
            } catch {
                logger.warning("approver failed; it abstains", metadata: ["approver": .string(approver.name), "approval.id": .string(approval.id),
                                                                        "error": .string("\(error)")])
            }
        }
    }
}
