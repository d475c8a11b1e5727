/// The policy model as the decision engine sees it.
extension Policy: DecisionRules {
    public func bashRules(matching commandLine: String) -> RuleMatches {
        var matches = RuleMatches()
        for rule in rules(matchingTool: "Bash") where rule.matches(command: commandLine) {
            record(rule, in: &matches)
            if matches.deny != nil { break }
        }
        return matches
    }

    public func bashRuleList() -> [(effect: Decision, rule: RuleReference, specifier: String?)] {
        rules(matchingTool: "Bash").map { rule in
            let specifier: String?
            switch rule.matcher {
            case .anyUse: specifier = nil
            default: specifier = rule.specifier
            }
            return (rule.effect.decision, rule.storage.reference, specifier)
        }
    }

    public func toolRules(tool: String, paths: [String], domain: String?, cwd: String) -> RuleMatches {
        var matches = RuleMatches()
        for rule in rules(matchingTool: tool) {
            let hit: Bool
            switch rule.matcher {
            case .anyUse: hit = true
            case .path: hit = paths.contains { rule.matches(path: $0) }
            case .domain: hit = domain.map { rule.matches(host: $0) } ?? false
            default: hit = paths.contains { rule.matches(argument: $0) } || domain.map { rule.matches(argument: $0) } ?? false
            }
            if hit { record(rule, in: &matches) }
            if matches.deny != nil { break }
        }
        return matches
    }

    private func record(_ rule: PermissionRule, in matches: inout RuleMatches) {
        let reference = rule.storage.reference
        switch rule.effect {
        case .deny: if matches.deny == nil { matches.deny = reference }
        case .ask: if matches.ask == nil { matches.ask = reference }
        case .allow: if matches.allow == nil { matches.allow = reference }
        }
    }

    public func protectedPath(_ absolutePath: String) -> ProtectedPathHit? {
        guard let match = protectedPaths.match(absolutePath), filesystem.isUnprotected(absolutePath) == nil else { return nil }
        let category: ProtectedPathHit.Category
        switch match.category {
        case .credential: category = .credential
        case .persistence: category = .persistence
        default: category = .agentConfig
        }
        return ProtectedPathHit(category: category, pattern: match.pattern, why: match.description, protectsReads: match.protectsReads)
    }

    public func filesystem(_ absolutePath: String, access: PathAccessKind, cwd: String) -> FilesystemVerdict? {
        if access == .list { return nil }
        // No read, write or deny entries: the section says nothing about any path.
        if filesystem.read.isEmpty && filesystem.write.isEmpty && filesystem.deny.isEmpty && filesystem.denyWrite.isEmpty {
            return nil
        }
        let isWrite = access == .write || access == .delete
        let result = filesystem.access(absolutePath, write: isWrite)
        let rule = result.rule.map { RuleReference(text: "filesystem \($0.text)", source: $0.source?.description ?? "") }
        switch result.outcome {
        case .denied:
            return FilesystemVerdict(decision: .deny, rule: rule, reason: result.reason)
        case .allowed:
            return FilesystemVerdict(decision: .allow, rule: rule, reason: result.reason)
        case .unlisted:
            if isWrite && !filesystem.write.isEmpty {
                return FilesystemVerdict(decision: .ask, rule: nil, reason: "\(absolutePath) is not under any filesystem.write entry")
            }
            if !isWrite && !filesystem.read.isEmpty && !absolutePath.hasPrefix(cwd + "/") && absolutePath != cwd {
                return FilesystemVerdict(decision: .ask, rule: nil, reason: "\(absolutePath) is not under any filesystem.read entry")
            }
            return nil
        }
    }

    public func network(host: String, port: Int?) -> NetworkVerdict {
        switch network.evaluate(host: host, port: port) {
        case .allowed(let rule):
            return .allowed(RuleReference(text: "network allow \(rule)", source: ""))
        case .denied(let rule, let reason):
            return .denied(RuleReference(text: rule.map { "network deny \($0)" } ?? "built-in special addresses", source: ""), reason: reason)
        case .unlisted(let reason):
            // WebFetch(domain:…) allow rules open the same hosts to other tools, as in Claude Code.
            if let rule = rules(matchingTool: "WebFetch").first(where: { $0.effect == .allow && $0.matcher != .anyUse && $0.matches(host: host) }) {
                if let port, !network.allowPorts.isEmpty, !network.allowPorts.contains(port) {
                    return .unlisted(reason: "port \(port) is not in allow_ports")
                }
                return .allowed(rule.storage.reference)
            }
            return .unlisted(reason: reason)
        }
    }

    public func resolvePath(_ raw: String, cwd: String) -> String {
        PathResolver(home: home, followSymlinks: true).resolve(raw, cwd: cwd)
    }
}

extension DecisionEngine {
    /// An engine for a loaded policy (the policy's home directory resolves `~`).
    /// - Parameter pathCacheValidity: seconds a resolved path is reused (nil: never); see `ResolvedPathCache`.
    public init(policy: Policy, pathCacheValidity: Double? = nil) {
        self.init(rules: policy, home: policy.home, pathCacheValidity: pathCacheValidity)
    }
}
