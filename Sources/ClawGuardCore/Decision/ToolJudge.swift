/// How a non-shell tool touches the world. A data table: tool name → what its input names.
struct ToolShape: Sendable {
    /// Input keys holding paths.
    var pathKeys: [String]
    var access: PathAccessKind
    /// Input key holding a URL.
    var urlKey: String?
    /// Whether the tool needs no permission when nothing about it is risky (Claude Code's read-only tools).
    var readOnly: Bool

    static let table: [String: ToolShape] = [
        "Read": ToolShape(pathKeys: ["file_path"], access: .read, readOnly: true),
        "NotebookRead": ToolShape(pathKeys: ["notebook_path"], access: .read, readOnly: true),
        "Glob": ToolShape(pathKeys: ["path"], access: .list, readOnly: true),
        "Grep": ToolShape(pathKeys: ["path"], access: .read, readOnly: true),
        "LS": ToolShape(pathKeys: ["path"], access: .list, readOnly: true),
        "Write": ToolShape(pathKeys: ["file_path"], access: .write, readOnly: false),
        "Edit": ToolShape(pathKeys: ["file_path"], access: .write, readOnly: false),
        "MultiEdit": ToolShape(pathKeys: ["file_path"], access: .write, readOnly: false),
        "NotebookEdit": ToolShape(pathKeys: ["notebook_path"], access: .write, readOnly: false),
        "WebFetch": ToolShape(pathKeys: [], access: .read, urlKey: "url", readOnly: false),
        "WebSearch": ToolShape(pathKeys: [], access: .read, readOnly: false),
        "Task": ToolShape(pathKeys: [], access: .read, readOnly: true),
        "Agent": ToolShape(pathKeys: [], access: .read, readOnly: true),
        "TodoWrite": ToolShape(pathKeys: [], access: .read, readOnly: true),
        "TodoRead": ToolShape(pathKeys: [], access: .read, readOnly: true),
        "ExitPlanMode": ToolShape(pathKeys: [], access: .read, readOnly: true),
        "BashOutput": ToolShape(pathKeys: [], access: .read, readOnly: true),
        "KillShell": ToolShape(pathKeys: [], access: .read, readOnly: true),
        "KillBash": ToolShape(pathKeys: [], access: .read, readOnly: true),
        "ListMcpResourcesTool": ToolShape(pathKeys: [], access: .read, readOnly: true),
        "ReadMcpResourceTool": ToolShape(pathKeys: [], access: .read, readOnly: false),
        // Codex
        "apply_patch": ToolShape(pathKeys: [], access: .write, readOnly: false),
    ]
}

/// Judges calls of tools other than the shell.
struct ToolJudge {
    let engine: DecisionEngine
    let cwd: String

    func decide(_ call: ToolCall) -> Verdict {
        let rules = engine.rules
        let mode = rules.mode
        let bypass = mode == .bypassPermissions
        let shape = ToolShape.table[call.tool]
        guard case .object = call.input else {
            return .failClosed("the \(call.tool) call's input is not a JSON object", kind: .parseError)
        }
        var risks: [Risk] = []
        var floors: [(Decision, String, RuleReference?)] = []
        func floor(_ decision: Decision, _ kind: RiskKind, _ reason: String, rule: RuleReference? = nil, holds: Bool = false) {
            risks.append(Risk(kind, reason))
            floors.append((bypass && !holds && decision != .deny ? .allow : decision, reason, rule))
        }

        // Paths.
        var paths: [(raw: String, absolute: String)] = []
        if let shape {
            for key in shape.pathKeys {
                guard let value = call.input[key] else { continue }
                guard let raw = value.stringValue, !raw.isEmpty else {
                    return .failClosed("the \(call.tool) call's `\(key)` is not a path string", kind: .parseError)
                }
                if raw.utf8.contains(0) {
                    return .failClosed("the \(call.tool) call's `\(key)` contains a NUL byte", kind: .obfuscation)
                }
                paths.append((raw, rules.resolvePath(raw, cwd: cwd)))
            }
            if shape.pathKeys.contains("file_path") || shape.pathKeys.contains("notebook_path"), paths.isEmpty {
                return .failClosed("the \(call.tool) call names no file (`\(shape.pathKeys[0])` is missing)", kind: .parseError)
            }
            if ["Glob", "Grep", "LS"].contains(call.tool), paths.isEmpty { paths.append((".", cwd)) }
        }
        if call.tool == "apply_patch", let patch = call.input["input"]?.stringValue ?? call.input["patch"]?.stringValue {
            for line in patch.split(separator: "\n") {
                for prefix in ["*** Add File: ", "*** Update File: ", "*** Delete File: ", "*** Move to: "] where line.hasPrefix(prefix) {
                    let raw = String(line.dropFirst(prefix.count))
                    paths.append((raw, rules.resolvePath(raw, cwd: cwd)))
                }
            }
        }
        let access = shape?.access ?? .read
        for (raw, absolute) in paths {
            if let hit = engine.rules.protectedPath(absolute), hit.protectsReads || access == .write,
                let (decision, kind) = DecisionEngine.protectedDecision(hit.category, access)
            {
                let verb = access == .write ? "writes" : "reads"
                floor(decision, kind, "\(call.tool) \(verb) \(raw), a protected path: \(hit.why)",
                      rule: RuleReference(text: "protected \(hit.pattern)", source: "built-in protected paths"), holds: true)
            }
            if let verdict = rules.filesystem(absolute, access: access, cwd: cwd), verdict.decision != .allow {
                floor(verdict.decision, access == .write ? .protectedWrite : .secretRead, "\(raw): \(verdict.reason)", rule: verdict.rule, holds: verdict.decision == .deny)
            }
            let roots = [cwd] + rules.additionalDirectories
            let inside = roots.contains { absolute == $0 || absolute.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
            if !inside {
                floor(.ask, access == .write ? .protectedWrite : .secretRead, "\(call.tool) \(access == .write ? "writes" : "reads") \(raw), outside the working directories")
            }
        }
        // Network.
        var domain: String?
        if let urlKey = shape?.urlKey {
            guard let url = call.input[urlKey]?.stringValue, let target = NetworkTarget.parse(url, origin: "url"), let host = target.host else {
                return .failClosed("the \(call.tool) call has no valid `\(urlKey)`", kind: .parseError)
            }
            domain = host
            switch rules.network(host: host, port: target.port) {
            case .allowed: break
            case .denied(let ref, let reason): floor(.deny, .network, "\(call.tool) \(host): \(reason)", rule: ref, holds: true)
            case .unlisted(let reason): floor(.ask, .network, "\(call.tool) \(host): \(reason)")
            }
        }

        // Rules.
        let matches = rules.toolRules(tool: call.tool, paths: paths.map(\.absolute), domain: domain, cwd: cwd)
        if let deny = matches.deny {
            return Verdict(decision: .deny, reason: "\(call.tool) matches deny rule \(deny)", rule: deny.description, risks: risks)
        }
        var base: Decision
        var reason: String
        var rule: RuleReference?
        if let (decision, ref) = matches.strongest {
            base = decision
            rule = ref
            reason = decision == .ask ? "\(call.tool) matches ask rule \(ref)" : "\(call.tool) allowed by rule \(ref)"
            // An explicit WebFetch(domain:) allow covers that domain's network check.
            if decision == .allow, domain != nil { floors.removeAll { $0.1.hasPrefix("\(call.tool) \(domain!):") && $0.0 == .ask } }
        } else if shape?.readOnly == true {
            base = .allow
            reason = "\(call.tool) only reads"
        } else if mode == .acceptEdits && access == .write && shape != nil && !paths.isEmpty {
            base = .allow
            reason = "acceptEdits mode accepts file edits inside the working directories"
        } else {
            base = engine.unmatchedDecision()
            reason = base == .allow
                ? "no rule matches \(call.tool); \(mode.rawValue) mode allows it"
                : "no rule allows \(call.tool); \(mode.rawValue) mode \(base == .deny ? "denies" : "asks for") what no rule covers"
        }
        if mode == .plan && (access == .write || call.tool.hasPrefix("mcp__")) && shape?.readOnly != true {
            return Verdict(decision: .deny, reason: "plan mode is read-only: \(call.tool) is not allowed", rule: nil, risks: risks)
        }
        if let (decision, floorReason, ref) = floors.max(by: { $0.0 < $1.0 }), decision > base {
            base = decision
            reason = floorReason
            rule = ref
        }
        let final = engine.finalize(base)
        return Verdict(decision: final, reason: reason + (final != base ? " (dontAsk mode turns every ask into a deny)" : ""), rule: rule?.description, risks: risks)
    }
}
