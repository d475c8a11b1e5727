import ClawGuardCore
import Foundation

/// Interpreted facts of an OpenClaw configuration across its three schemas: the current one
/// (`agents.entries.<id>`, `tools.exec.mode`), the older one (`agents.list[]`, `tools.exec.security`) and the
/// reference design's template (`gateway.auth.tokens[]`, top-level `sandbox`, `workspace`, `monitoring`).
struct OpenClawView {
    let config: OpenClawConfig
    let environment: [String: String]
    var value: JSONValue { config.value }

    init(_ config: OpenClawConfig, environment: [String: String]) {
        self.config = config
        self.environment = environment
    }

    func string(_ path: String) -> String? { value.at(path)?.stringValue }
    func bool(_ path: String) -> Bool? { value.at(path)?.boolValue }

    /// Whether the file uses the reference template's schema.
    var isTemplateSchema: Bool {
        value.at("gateway.auth.tokens") != nil || value.at("agents.defaultPermissionMode") != nil
            || value.at("sandbox") != nil || value.at("workspace") != nil || value.at("agents.maxBudgetUsd") != nil
    }

    // MARK: Gateway

    /// The bind setting as written (OpenClaw's default is `loopback`).
    var bind: String { string("gateway.bind") ?? "loopback" }

    var bindIsLoopback: Bool {
        let raw = bind.lowercased()
        if raw == "loopback" || raw == "localhost" || raw == "::1" || raw.hasPrefix("127.") { return true }
        if raw == "custom", let host = string("gateway.customBindHost") {
            return host == "localhost" || host == "::1" || host.hasPrefix("127.")
        }
        return false
    }

    var bindIsAllInterfaces: Bool {
        let raw = bind.lowercased()
        if raw == "0.0.0.0" || raw == "::" || raw == "lan" || raw == "[::]" { return true }
        if raw == "custom", let host = string("gateway.customBindHost") { return host == "0.0.0.0" || host == "::" }
        return false
    }

    var tailscaleMode: String { string("gateway.tailscale.mode") ?? "off" }
    var authMode: String? { string("gateway.auth.mode") }
    var controlUiEnabled: Bool { bool("gateway.controlUi.enabled") != false }

    /// A configured gateway secret, in the config or in `OPENCLAW_GATEWAY_TOKEN`/`_PASSWORD`.
    var hasSharedSecret: Bool {
        if isTemplateSchema {
            if bool("gateway.auth.enabled") == false { return false }
            if !(value.at("gateway.auth.tokens")?.arrayValue ?? []).isEmpty { return true }
        }
        let token =
            value.at("gateway.auth.token").map(isConfiguredSecret) ?? false
            || !(environment["OPENCLAW_GATEWAY_TOKEN"] ?? "").isEmpty
        let password =
            value.at("gateway.auth.password").map(isConfiguredSecret) ?? false
            || !(environment["OPENCLAW_GATEWAY_PASSWORD"] ?? "").isEmpty
        switch authMode {
        case "token": return token
        case "password": return password
        case "none", "trusted-proxy": return false
        default: return token || password
        }
    }

    var hasGatewayAuth: Bool {
        hasSharedSecret || (bool("gateway.auth.allowTailscale") == true && tailscaleMode == "serve")
            || authMode == "trusted-proxy"
    }

    private func isConfiguredSecret(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): !text.trimmingCharacters(in: .whitespaces).isEmpty
        case .object(let object): object["source"] != nil || object["id"] != nil
        default: false
        }
    }

    /// Every gateway token: (key path, value when written or resolvable, name).
    var tokens: [(path: String, value: String?, name: String)] {
        var result: [(String, String?, String)] = []
        if let token = value.at("gateway.auth.token") {
            result.append(("gateway.auth.token", token.stringValue, "gateway.auth.token"))
        }
        for (index, entry) in (value.at("gateway.auth.tokens")?.arrayValue ?? []).enumerated() {
            let name = entry["name"]?.stringValue ?? "#\(index)"
            result.append(("gateway.auth.tokens.\(index).token", entry["token"]?.stringValue, name))
        }
        return result
    }

    // MARK: Agents and sandbox

    /// Per-agent configurations: current `agents.entries.<id>` and older `agents.list[]`, with their key paths.
    var agents: [(id: String, path: String, value: JSONValue)] {
        var result: [(String, String, JSONValue)] = []
        if let entries = value.at("agents.entries")?.objectValue {
            for key in entries.keys.sorted() { result.append((key, "agents.entries.\(key)", entries[key]!)) }
        }
        for (index, entry) in (value.at("agents.list")?.arrayValue ?? []).enumerated() {
            result.append((entry["id"]?.stringValue ?? "#\(index)", "agents.list.\(index)", entry))
        }
        return result
    }

    /// Sandbox blocks to inspect: defaults, each agent override, and the template's top-level `sandbox`.
    var sandboxBlocks: [(path: String, value: JSONValue, template: Bool)] {
        var result: [(String, JSONValue, Bool)] = []
        if let defaults = value.at("agents.defaults.sandbox") {
            result.append(("agents.defaults.sandbox", defaults, false))
        }
        for agent in agents {
            if let sandbox = agent.value["sandbox"] { result.append((agent.path + ".sandbox", sandbox, false)) }
        }
        if let template = value.at("sandbox") { result.append(("sandbox", template, true)) }
        return result
    }

    /// The default sandbox mode (`off` when unset, OpenClaw's default).
    var defaultSandboxMode: String { string("agents.defaults.sandbox.mode") ?? "off" }

    /// Whether sandboxing is on for the default agent, in whichever schema the file uses.
    var sandboxOn: Bool {
        if let enabled = bool("sandbox.enabled") { return enabled && bool("agents.sandboxEnabled") != false }
        if let enabled = bool("agents.sandboxEnabled") { return enabled }
        return defaultSandboxMode != "off"
    }

    // MARK: Tools and exec

    /// Exec policy blocks: global and per agent (path prefix, block).
    var execBlocks: [(path: String, value: JSONValue)] {
        var result: [(String, JSONValue)] = []
        if let exec = value.at("tools.exec") { result.append(("tools.exec", exec)) }
        for agent in agents {
            if let exec = agent.value.at("tools.exec") { result.append((agent.path + ".tools.exec", exec)) }
        }
        return result
    }

    /// Whether host exec runs without an allowlist (`mode`/`security` = `full`) anywhere.
    var execFullPaths: [String] {
        execBlocks.flatMap { block -> [String] in
            ["mode", "security"].compactMap { key in
                block.value[key]?.stringValue == "full" ? "\(block.path).\(key)" : nil
            }
        }
    }

    /// Channels with an open DM or group policy: (provider, key path).
    var openChannels: [(provider: String, path: String)] {
        guard let channels = value.at("channels")?.objectValue else { return [] }
        var result: [(String, String)] = []
        for provider in channels.keys.sorted() {
            let channel = channels[provider]!
            if channel["enabled"]?.boolValue == false { continue }
            for key in ["dmPolicy", "groupPolicy"] where channel[key]?.stringValue == "open" {
                result.append((provider, "channels.\(provider).\(key)"))
            }
            if channel.at("dm.policy")?.stringValue == "open" {
                result.append((provider, "channels.\(provider).dm.policy"))
            }
        }
        return result
    }
}

/// Interpreters and shells: allowing one of these wholesale allows any program.
enum Interpreters {
    static let names: Set<String> = [
        "sh", "bash", "zsh", "fish", "dash", "ksh", "csh", "tcsh", "python", "python2", "python3", "node", "nodejs",
        "deno", "bun", "ruby", "perl", "php", "lua", "pwsh", "powershell", "osascript", "env", "xargs", "awk", "gawk",
        "busybox", "sudo", "doas", "eval", "exec",
    ]

    /// Whether a command name or path (`/usr/bin/python3.12`) is an interpreter.
    static func isInterpreter(_ command: String) -> Bool {
        var name = (command.split(separator: "/").last.map(String.init) ?? command).lowercased()
        name = name.trimmingCharacters(in: .whitespaces)
        if names.contains(name) { return true }
        // python3.12, node20, ruby3.2 …
        let stem = name.prefix { $0.isLetter }
        return ["python", "node", "ruby", "perl", "php", "lua"].contains(String(stem)) && stem.count < name.count
    }
}

/// Values that are placeholders, not secrets.
enum Placeholders {
    private static let markers = [
        "REPLACE", "CHANGEME", "CHANGE_ME", "CHANGE-ME", "YOUR_", "YOUR-", "<", "TODO", "FIXME", "PLACEHOLDER",
        "EXAMPLE", "-HERE", "_HERE", "XXXX",
    ]
    private static let words: Set<String> = [
        "token", "secret", "password", "changeme", "admin", "test", "default", "123456", "12345678", "letmein",
    ]

    static func isPlaceholder(_ value: String) -> Bool {
        let upper = value.uppercased()
        if words.contains(value.lowercased()) { return true }
        if markers.contains(where: { upper.contains($0) }) { return true }
        if let first = value.first, value.count >= 4, value.allSatisfy({ $0 == first }) { return true }
        return false
    }
}

/// Strength of a random token.
enum TokenStrength {
    /// Shannon entropy per character of the token's own character distribution.
    static func entropyPerCharacter(_ token: String) -> Double {
        guard !token.isEmpty else { return 0 }
        var counts: [Character: Int] = [:]
        for character in token { counts[character, default: 0] += 1 }
        let total = Double(token.count)
        return counts.values.reduce(0) { entropy, count in
            let p = Double(count) / total
            return entropy - p * log2(p)
        }
    }

    /// Why a token is weak by the reference's bar (32+ random characters), or nil.
    static func weakness(_ token: String) -> String? {
        if token.count < 32 { return "\(token.count) characters (the reference asks for 32+ random characters)" }
        let entropy = entropyPerCharacter(token)
        if entropy < 3.0 || Set(token).count < 10 {
            return String(format: "low variety (%.1f bits/char over %d distinct characters)", entropy, Set(token).count)
        }
        return nil
    }
}
