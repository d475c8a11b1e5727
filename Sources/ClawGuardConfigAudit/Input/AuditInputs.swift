import ClawGuardCore
import Foundation

/// Where to look: flags, environment and home directory (`clawguard audit` fills it from its options).
public struct AuditOptions: Sendable {
    public var home: String
    /// The directory project-scoped files are looked up in (Claude Code `.claude/`, Codex `.codex/`,
    /// `clawguard.yaml`).
    public var projectDirectory: String
    public var environment: [String: String]
    public var openClawConfig: String?
    public var openClawStateDir: String?
    public var claudeSettings: [String]
    public var codexConfig: String?
    public var clawguardPolicy: String?
    /// Root of system paths (`/etc/claude-code`, `/etc/systemd`); `/` except in tests.
    public var systemRoot: String
    /// Agent ports to watch for non-loopback listeners, besides the configured gateway port: OpenClaw's gateway
    /// (18789), browser control service (18791), CDP relay (18792) and first managed browser (18800).
    public var agentPorts: [Int]
    /// "Now", for token expiry.
    public var now: Date

    public init(
        home: String, projectDirectory: String, environment: [String: String] = [:], openClawConfig: String? = nil,
        openClawStateDir: String? = nil, claudeSettings: [String] = [], codexConfig: String? = nil,
        clawguardPolicy: String? = nil, systemRoot: String = "/", agentPorts: [Int] = [18789, 18791, 18792, 18800],
        now: Date = Date()
    ) {
        self.home = home
        self.projectDirectory = projectDirectory
        self.environment = environment
        self.openClawConfig = openClawConfig
        self.openClawStateDir = openClawStateDir
        self.claudeSettings = claudeSettings
        self.codexConfig = codexConfig
        self.clawguardPolicy = clawguardPolicy
        self.systemRoot = systemRoot
        self.agentPorts = agentPorts
        self.now = now
    }
}

/// A Claude Code settings file and its scope.
public struct ClaudeSettings: Sendable {
    public enum Scope: String, Sendable { case managed, user, project, local, explicit }
    public var scope: Scope
    public var document: SourceDocument
}

/// A Codex `config.toml` plus its rules files.
public struct CodexConfig: Sendable {
    public var document: SourceDocument
    public var rules: [SourceDocument]
}

/// A systemd unit for an agent service.
public struct SystemdUnit: Sendable {
    public var path: String
    public var text: String
    /// `[Service]` keys (last assignment wins; list-valued keys keep every value).
    public var service: [String: [String]]

    public func value(_ key: String) -> String? { service[key]?.last }
}

/// Everything the audit read.
public struct AuditInputs: Sendable {
    /// Where the audit looked.
    public var options: AuditOptions
    /// The machine the facts were read from (also used by checks that stat helper scripts).
    public var host: any HostFacts
    /// The OpenClaw configuration, when found and readable.
    public var openClaw: OpenClawConfig?
    /// The resolved state directory (exists or not).
    public var openClawStateDir: String
    /// The resolved config path (exists or not).
    public var openClawConfigPath: String
    /// OpenClaw exec approvals (legacy JSON file or the SQLite row).
    public var execApprovals: SourceDocument?
    /// OpenClaw pairing stores `credentials/<channel>-allowFrom.json`.
    public var allowFromStores: [SourceDocument]
    /// Claude Code settings, one per scope found.
    public var claude: [ClaudeSettings]
    /// Codex configs (user and project) with their rules files.
    public var codex: [CodexConfig]
    /// ClawGuard's own policy file.
    public var clawguardPolicy: SourceDocument?
    /// That policy as ClawGuard loads it (nil when there is no policy file).
    public var clawguardPolicyView: ClawGuardPolicyView?
    /// systemd units of agent services.
    public var systemdUnits: [SystemdUnit]
    /// TCP listeners, or nil when they could not be read.
    public var sockets: [ListeningSocket]?
    /// Inputs that exist but could not be read or parsed.
    public var problems: [ReadProblem]

    /// Whether any agent configuration at all was found.
    public var hasAgentConfig: Bool { openClaw != nil || !claude.isEmpty || !codex.isEmpty }

    /// Paths read, by kind.
    public var sources: [String: [String]] {
        var result: [String: [String]] = [:]
        if let openClaw { result["openclaw"] = [openClaw.main.path] + openClaw.includes.map(\.path) }
        if let execApprovals { result["openclaw-exec-approvals"] = [execApprovals.path] }
        if !allowFromStores.isEmpty { result["openclaw-allowfrom"] = allowFromStores.map(\.path) }
        if !claude.isEmpty { result["claude"] = claude.map(\.document.path) }
        if !codex.isEmpty { result["codex"] = codex.flatMap { [$0.document.path] + $0.rules.map(\.path) } }
        if let clawguardPolicy { result["clawguard"] = [clawguardPolicy.path] }
        if !systemdUnits.isEmpty { result["systemd"] = systemdUnits.map(\.path) }
        return result
    }
}

/// Finds and reads every input. Missing files are not errors; unreadable or malformed ones are problems.
public struct InputLoader: Sendable {
    public var host: any HostFacts
    /// Reads the `exec_approvals_config` row of OpenClaw's state database (nil when the database or row is
    /// absent). Injected so tests can run without SQLite; `SQLiteExecApprovals.read` is the real one.
    public var readApprovalsRow: @Sendable (String) throws -> String?
    static let maxBytes = 2 * 1024 * 1024

    public init(
        host: any HostFacts, readApprovalsRow: @escaping @Sendable (String) throws -> String? = SQLiteExecApprovals.read
    ) {
        self.host = host
        self.readApprovalsRow = readApprovalsRow
    }

    /// Discover and read every input. Never throws: what cannot be read becomes a `ReadProblem`.
    public func load(_ options: AuditOptions) -> AuditInputs {
        var problems: [ReadProblem] = []
        let env = options.environment
        let stateDir = options.openClawStateDir ?? env["OPENCLAW_STATE_DIR"] ?? (options.home + "/.openclaw")
        let configPath = options.openClawConfig ?? env["OPENCLAW_CONFIG_PATH"] ?? (stateDir + "/openclaw.json")

        var openClaw: OpenClawConfig?
        // A path named by flag or by OPENCLAW_CONFIG_PATH must exist; the default path may be absent.
        let named = options.openClawConfig != nil || env["OPENCLAW_CONFIG_PATH"] != nil
        if host.statusFollowingLinks(configPath) != nil || named {
            do {
                openClaw = try OpenClawLoader(host: host, environment: env).load(
                    configPath: configPath, stateDir: stateDir)
            } catch {
                problems.append(ReadProblem(kind: "openclaw", path: configPath, message: "\(error)"))
            }
        }

        // Exec approvals: the legacy JSON file, then the SQLite row.
        var approvals: SourceDocument?
        let approvalsFile = stateDir + "/exec-approvals.json"
        if host.statusFollowingLinks(approvalsFile) != nil {
            approvals = readJSON(approvalsFile, kind: "openclaw-exec-approvals", &problems)
        } else {
            let database = stateDir + "/state/openclaw.sqlite"
            if host.statusFollowingLinks(database) != nil {
                do {
                    if let raw = try readApprovalsRow(database) {
                        let location = database + "#exec_approvals_config"
                        do {
                            approvals = SourceDocument(
                                path: location, text: raw, value: try ConfigParser.json5(Data(raw.utf8)))
                        } catch {
                            problems.append(
                                ReadProblem(
                                    kind: "openclaw-exec-approvals", path: location,
                                    message: "raw_json is not JSON: \(error)"))
                        }
                    }
                } catch {
                    problems.append(ReadProblem(kind: "openclaw-exec-approvals", path: database, message: "\(error)"))
                }
            }
        }

        let credentials = stateDir + "/credentials"
        let allowFrom = host.list(credentials).filter { $0.hasSuffix("-allowFrom.json") }.compactMap {
            readJSON(credentials + "/" + $0, kind: "openclaw-allowfrom", &problems)
        }

        // Claude Code settings.
        var claude: [ClaudeSettings] = []
        let claudeFiles: [(ClaudeSettings.Scope, String)] =
            options.claudeSettings.isEmpty
            ? [
                (.managed, join(options.systemRoot, "etc/claude-code/managed-settings.json")),
                (.user, options.home + "/.claude/settings.json"),
                (.project, options.projectDirectory + "/.claude/settings.json"),
                (.local, options.projectDirectory + "/.claude/settings.local.json"),
            ]
            : options.claudeSettings.map { (.explicit, $0) }
        for (scope, path) in claudeFiles where host.statusFollowingLinks(path) != nil || scope == .explicit {
            if let document = readJSON(path, kind: "claude", &problems) {
                claude.append(ClaudeSettings(scope: scope, document: document))
            }
        }

        // Codex.
        var codex: [CodexConfig] = []
        let codexHome = env["CODEX_HOME"] ?? (options.home + "/.codex")
        let codexFiles: [String] =
            options.codexConfig.map { [$0] }
            ?? [codexHome + "/config.toml", options.projectDirectory + "/.codex/config.toml"]
        for path in codexFiles where host.statusFollowingLinks(path) != nil || path == options.codexConfig {
            guard let document = readTOML(path, &problems) else { continue }
            let rulesDir = (path as NSString).deletingLastPathComponent + "/rules"
            let rules = host.list(rulesDir).filter { $0.hasSuffix(".rules") }.compactMap { name -> SourceDocument? in
                let rulePath = rulesDir + "/" + name
                guard let data = try? host.read(rulePath, limit: Self.maxBytes) else {
                    problems.append(ReadProblem(kind: "codex-rules", path: rulePath, message: "cannot read rules file"))
                    return nil
                }
                return SourceDocument(path: rulePath, text: String(decoding: data, as: UTF8.self), value: .null)
            }
            codex.append(CodexConfig(document: document, rules: rules))
        }

        // ClawGuard policy.
        var policy: SourceDocument?
        let policyCandidates =
            options.clawguardPolicy.map { [$0] }
            ?? [
                options.projectDirectory + "/clawguard.yaml", options.projectDirectory + "/.clawguard.yaml",
                options.home + "/.clawguard/policy.yaml",
            ]
        if let path = policyCandidates.first(where: { host.statusFollowingLinks($0) != nil })
            ?? options.clawguardPolicy
        {
            policy = readYAML(path, &problems)
        }

        // systemd units of agent services.
        var units: [SystemdUnit] = []
        let unitDirs = [
            join(options.systemRoot, "etc/systemd/system"), join(options.systemRoot, "usr/lib/systemd/system"),
            join(options.systemRoot, "lib/systemd/system"), options.home + "/.config/systemd/user",
        ]
        let agentNames = ["openclaw", "claude", "codex", "clawguard", "clawdbot", "moltbot"]
        for dir in unitDirs {
            for name in host.list(dir)
            where name.hasSuffix(".service")
                && agentNames.contains(where: { name.lowercased().contains($0) })
            {
                let path = dir + "/" + name
                guard let data = try? host.read(path, limit: Self.maxBytes) else {
                    problems.append(ReadProblem(kind: "systemd", path: path, message: "cannot read unit file"))
                    continue
                }
                let text = String(decoding: data, as: UTF8.self)
                units.append(SystemdUnit(path: path, text: text, service: Self.parseUnitService(text)))
            }
        }

        var sockets: [ListeningSocket]?
        do { sockets = try host.listeningSockets() } catch {
            problems.append(ReadProblem(kind: "host", path: "/proc/net/tcp", message: "\(error)"))
        }

        return AuditInputs(
            options: options, host: host, openClaw: openClaw, openClawStateDir: stateDir,
            openClawConfigPath: configPath, execApprovals: approvals, allowFromStores: allowFrom, claude: claude,
            codex: codex, clawguardPolicy: policy,
            clawguardPolicyView: policy.map { ClawGuardPolicyView.load($0, options: options) }, systemdUnits: units, sockets: sockets, problems: problems)
    }

    private func join(_ root: String, _ relative: String) -> String {
        root.hasSuffix("/") ? root + relative : root + "/" + relative
    }

    private func readText(_ path: String, kind: String, _ problems: inout [ReadProblem]) -> (Data, String)? {
        do {
            let data = try host.read(path, limit: Self.maxBytes)
            guard let text = String(data: data, encoding: .utf8) else {
                problems.append(ReadProblem(kind: kind, path: path, message: "not UTF-8 text"))
                return nil
            }
            return (data, text)
        } catch {
            problems.append(ReadProblem(kind: kind, path: path, message: "\(error)"))
            return nil
        }
    }

    private func readJSON(_ path: String, kind: String, _ problems: inout [ReadProblem]) -> SourceDocument? {
        guard let (data, text) = readText(path, kind: kind, &problems) else { return nil }
        do {
            return SourceDocument(path: path, text: text, value: try ConfigParser.json5(data))
        } catch {
            problems.append(ReadProblem(kind: kind, path: path, message: "not valid JSON/JSON5: \(error)"))
            return nil
        }
    }

    private func readTOML(_ path: String, _ problems: inout [ReadProblem]) -> SourceDocument? {
        guard let (_, text) = readText(path, kind: "codex", &problems) else { return nil }
        do {
            return SourceDocument(path: path, text: text, value: try ConfigParser.toml(text))
        } catch {
            problems.append(ReadProblem(kind: "codex", path: path, message: "not valid TOML: \(error)"))
            return nil
        }
    }

    private func readYAML(_ path: String, _ problems: inout [ReadProblem]) -> SourceDocument? {
        guard let (_, text) = readText(path, kind: "clawguard", &problems) else { return nil }
        do {
            return SourceDocument(path: path, text: text, value: try ConfigParser.yaml(text))
        } catch {
            problems.append(ReadProblem(kind: "clawguard", path: path, message: "not valid YAML: \(error)"))
            return nil
        }
    }

    /// The `[Service]` section of a unit file: `Key=Value` lines, comments and other sections skipped.
    static func parseUnitService(_ text: String) -> [String: [String]] {
        var section = ""
        var result: [String: [String]] = [:]
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                section = line
                continue
            }
            guard section == "[Service]", let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            result[key, default: []].append(value)
        }
        return result
    }
}
