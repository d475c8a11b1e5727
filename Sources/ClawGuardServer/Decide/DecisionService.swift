import ClawGuardCore
import ClawGuardStore
import Foundation
import Logging
import ServiceLifecycle

/// `POST /v1/decide`'s request: the `check --jsonl` input object plus who is calling and whether to wait for an
/// approval.
public struct DecideRequest: Sendable {
    public var call: ToolCall
    public var sessionID: String?
    public var agent: String?
    public var user: String?
    public var transcriptPath: String?
    public var wait: Bool
    /// A profile the caller asks to be held to as well (a worker run's profile): the call is decided by the
    /// gateway's profile and by this one, and the stricter answer stands, so naming a profile never loosens.
    public var profile: String?

    /// Reads the request from a JSON object.
    /// - Throws: `GatewayError(.badRequest)` saying which field is wrong.
    public static func parse(_ body: JSONValue, defaultCwd: String) throws(GatewayError) -> DecideRequest {
        let call: ToolCall
        switch ToolCallInput.parse(body, defaultCwd: defaultCwd) {
        case .success(let parsed): call = parsed
        case .failure(let error): throw GatewayError(.badRequest, error.message)
        }
        func string(_ keys: String...) throws(GatewayError) -> String? {
            for key in keys {
                guard let value = body[key], value != .null else { continue }
                guard let text = value.stringValue, !text.isEmpty, text.count <= 256 else {
                    throw GatewayError(.badRequest, "\"\(key)\" must be a non-empty string of at most 256 characters")
                }
                return text
            }
            return nil
        }
        var wait = false
        if let value = body["wait"], value != .null {
            guard case .bool(let flag) = value else { throw GatewayError(.badRequest, "\"wait\" must be true or false") }
            wait = flag
        }
        var transcript: String?
        if let value = body["transcript_path"], value != .null {
            guard let text = value.stringValue, text.hasPrefix("/") else { throw GatewayError(.badRequest, "\"transcript_path\" must be an absolute path") }
            transcript = text
        }
        let profile = try string("profile")
        if let profile, !profile.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            throw GatewayError(.badRequest, "\"profile\" must be a profile name (letters, digits, - and _)")
        }
        return DecideRequest(call: call, sessionID: try string("session_id"), agent: try string("agent"), user: try string("user"),
                             transcriptPath: transcript, wait: wait, profile: profile)
    }
}

/// `POST /v1/decide`'s answer: the `check --jsonl` output object (with the enforced decision) plus the session,
/// the approval (when one was created or applied) and the limit details.
public struct DecideAnswer: Sendable, Encodable {
    public var decision: Decision
    public var reason: String
    public var rule: String?
    public var risks: [Risk]
    public var commands: [CommandReport]
    public var sessionID: String
    public var approvalID: String?
    /// What ClawGuard computed before shadow mode and approvals (`allow`, `ask`, `deny`).
    public var computed: Decision
    public var shadow: Bool
    /// The whole session is stopped (spent budget, kill switch, terminated).
    public var stopSession: Bool
    public var hits: [LimitHit]
    public var warnings: [String]

    enum CodingKeys: String, CodingKey {
        case decision, reason, rule, risks, commands, sessionID = "session_id", approvalID = "approval_id", computed, shadow
        case stopSession = "stop_session", hits, warnings
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(decision, forKey: .decision)
        try c.encode(reason, forKey: .reason)
        try c.encode(rule, forKey: .rule)
        try c.encode(risks, forKey: .risks)
        try c.encode(commands, forKey: .commands)
        try c.encode(sessionID, forKey: .sessionID)
        try c.encodeIfPresent(approvalID, forKey: .approvalID)
        try c.encode(computed, forKey: .computed)
        try c.encode(shadow, forKey: .shadow)
        try c.encode(stopSession, forKey: .stopSession)
        try c.encode(hits, forKey: .hits)
        try c.encode(warnings, forKey: .warnings)
    }
}

/// The gateway's decisions: the same engine and store sequence as the hook (`ToolCallGate`), then approvals for
/// an `ask`: a standing grant (`session`/`always`) allows it; otherwise a pending approval is created and, with
/// `wait`, the request waits for a person or an approver — a timeout, a shutdown or any error is a deny.
public final class DecisionService: Sendable {
    public let store: StateStore
    public let policies: PolicyHolder
    public let approvals: ApprovalStore
    public let broker: ApprovalBroker
    let approvalTimeout: Duration
    let workingDirectory: String
    let observer: (any GatewayEventObserver)?
    let logger: Logger
    let committer: GroupCommitter

    public init(store: StateStore, policies: PolicyHolder, broker: ApprovalBroker, approvalTimeout: Duration, workingDirectory: String,
                observer: (any GatewayEventObserver)?, logger: Logger) {
        self.store = store
        self.policies = policies
        self.approvals = ApprovalStore(store: store)
        self.committer = GroupCommitter(store: store)
        self.broker = broker
        self.approvalTimeout = approvalTimeout
        self.workingDirectory = workingDirectory
        self.observer = observer
        self.logger = logger
    }

    /// Decides one call for `token`.
    public func decide(_ request: DecideRequest, token: TokenRecord) async -> DecideAnswer {
        let started = ContinuousClock.now
        let answer = await decideUnobserved(request, token: token)
        let elapsed = started.duration(to: .now)
        observer?.decided(decision: answer.decision.rawValue,
                          seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        return answer
    }

    func decideUnobserved(_ request: DecideRequest, token: TokenRecord) async -> DecideAnswer {
        let session = request.sessionID ?? "gateway-\(token.id)"
        let event = ToolCallEvent(session: session, agent: request.agent ?? "api", user: request.user ?? token.name, cwd: request.call.cwd,
                                  tool: request.call.tool, input: request.call.input, transcriptPath: request.transcriptPath)
        let loaded = policies.current()
        // The hook's sequence (ToolCallGate): the engine's verdict, then limits and recording — here group-committed.
        let call = ToolCall(tool: event.tool, input: event.input, cwd: request.call.cwd ?? workingDirectory)
        var verdict = loaded.engine.decide(call)
        if let name = request.profile, name != loaded.policy.profileName {
            // The caller's profile as well (a worker run's): the stricter answer stands.
            do {
                verdict = verdict.strictest(try policies.loaded(profile: name).engine.decide(call), layer: "profile '\(name)'")
            } catch {
                return Self.failClosed("ClawGuard cannot apply the requested profile '\(name)', so the call is denied: \(error)",
                                       session: session)
            }
        }
        let gated: GatedDecision
        switch await committer.record(event, verdict: verdict, limits: loaded.limits) {
        case .success(let outcome):
            gated = ToolCallGate.gated(verdict: verdict, outcome: outcome)
        case .failure(let error):
            logger.error("decision failed closed", metadata: ["error": .string("\(error)")])
            return Self.failClosed("ClawGuard could not record the call, so it is denied: \(error)", session: session)
        }
        var answer = DecideAnswer(
            decision: gated.outcome.enforced, reason: gated.reason, rule: gated.outcome.rule, risks: gated.verdict.risks,
            commands: gated.verdict.commands, sessionID: session, approvalID: nil, computed: gated.outcome.decision,
            shadow: gated.outcome.shadow, stopSession: gated.stopSession, hits: gated.outcome.hits, warnings: gated.outcome.warnings)
        guard gated.outcome.enforced == .ask else { return answer }

        do {
            if let grant = try approvals.grant(fingerprint: event.fingerprint, session: session) {
                answer.decision = .allow
                answer.approvalID = grant.id
                answer.reason = "approved (\(grant.scope?.rawValue ?? "once")) by \(grant.decidedBy ?? "?") in approval \(grant.id)"
                return answer
            }
            let approval = try approvals.create(event: event, verdict: gated.verdict,
                                                diff: DiffPreview.preview(tool: event.tool, input: event.input))
            answer.approvalID = approval.id
            broker.publishCreated(approval)
            reportPending()
            guard request.wait else {
                answer.reason = gated.reason + " — waiting for approval \(approval.id)"
                return answer
            }
            let approvals = self.approvals
            let broker = self.broker, timeout = approvalTimeout
            // A graceful shutdown ends the wait (deny) instead of holding the server open.
            let decided = (try? await cancelWhenGracefulShutdown {
                await broker.wait(for: approval.id, timeout: timeout) { try? approvals.get(approval.id) }
            }) ?? nil
            if let decided, decided.status == .approved {
                answer.decision = .allow
                answer.reason = "approved by \(decided.decidedBy ?? "?")\(decided.reason.map { ": \($0)" } ?? "")"
                return answer
            }
            if let decided, decided.status != .pending {
                answer.decision = .deny
                answer.reason = "ClawGuard: approval \(approval.id) was denied by \(decided.decidedBy ?? "?")\(decided.reason.map { ": \($0)" } ?? "")"
                return answer
            }
            // No answer in time (or the server is stopping): deny, and record the expiry.
            let seconds = approvalTimeout.components.seconds
            if let expired = try? approvals.decide(approval.id, status: .expired, by: "timeout",
                                                   reason: "no decision within \(seconds) s", scope: nil) {
                broker.publishDecided(expired)
                reportPending()
            } else if let late = try? approvals.get(approval.id), late.status == .approved {
                // Decided in the instant the wait ended.
                answer.decision = .allow
                answer.reason = "approved by \(late.decidedBy ?? "?")"
                return answer
            }
            answer.decision = .deny
            answer.reason = "ClawGuard: approval \(approval.id) was not given within \(seconds) s, so the call is denied"
            return answer
        } catch {
            logger.error("approval failed closed", metadata: ["error": .string("\(error)")])
            answer.decision = .deny
            answer.reason = "ClawGuard could not handle the approval, so the call is denied: \(error)"
            return answer
        }
    }

    /// Decides an approval (a person through the API, or an automatic approver). For `always`, the server-owned
    /// policy layer gains allow rules and the policy is reloaded.
    /// - Returns: the decided record, or nil when it was not pending.
    public func decideApproval(_ id: String, _ decision: ApprovalDecision, by actor: String) throws -> ApprovalRecord? {
        guard let record = try approvals.decide(id, status: decision.approve ? .approved : .denied, by: actor,
                                                reason: decision.reason, scope: decision.approve ? decision.scope : nil) else { return nil }
        if decision.approve && decision.scope == .always {
            do {
                try writePolicyLayer()
            } catch {
                logger.error("could not update the approval policy layer", metadata: ["error": .string("\(error)")])
            }
        }
        broker.publishDecided(record)
        reportPending()
        return record
    }

    func reportPending() {
        if let observer, let count = try? approvals.countPending() { observer.pendingApprovals(count) }
    }

    /// Rewrites the server-owned layer from the standing approvals and reloads; a layer the loader refuses is
    /// restored to its previous text.
    func writePolicyLayer() throws {
        let path = policies.layerPath
        let previous = try? String(contentsOfFile: path, encoding: .utf8)
        let text = ApprovalPolicyLayer.render(try approvals.alwaysApproved())
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            try policies.reload()
        } catch {
            if let previous { try? previous.write(toFile: path, atomically: true, encoding: .utf8) } else { try? FileManager.default.removeItem(atPath: path) }
            throw error
        }
    }

    static func failClosed(_ reason: String, session: String) -> DecideAnswer {
        let verdict = Verdict.failClosed(reason, kind: .limit)
        return DecideAnswer(decision: .deny, reason: reason, rule: nil, risks: verdict.risks, commands: [], sessionID: session, approvalID: nil,
                            computed: .deny, shadow: false, stopSession: false, hits: [], warnings: [])
    }
}
