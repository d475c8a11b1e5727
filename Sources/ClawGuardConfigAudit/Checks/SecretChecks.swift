import ClawGuardCore
import Foundation

/// Secrets written into configuration files instead of the environment or a secret store.
enum SecretChecks {
    /// Key names that hold credentials (compared case-insensitively, `_`/`-` ignored).
    static let secretKeyNames: Set<String> = [
        "apikey", "token", "bottoken", "accesstoken", "refreshtoken", "authtoken", "bearertoken", "secret",
        "appsecret", "clientsecret", "password", "passwd", "privatekey", "signingsecret", "webhooksecret",
        "awssecretaccesskey", "anthropicapikey", "openaiapikey", "githubtoken", "slackbottoken", "telegrambottoken",
        "discordtoken", "pat",
    ]

    /// Value shapes of well-known credentials: (name, prefix or marker).
    static let valueMarkers: [(name: String, marker: String)] = [
        ("Anthropic API key", "sk-ant-"), ("OpenAI API key", "sk-proj-"), ("OpenAI-style API key", "sk-"),
        ("GitHub token", "ghp_"), ("GitHub token", "github_pat_"), ("GitHub token", "gho_"), ("Slack token", "xoxb-"),
        ("Slack token", "xoxp-"), ("AWS access key id", "AKIA"), ("Google API key", "AIza"),
        ("private key", "-----BEGIN"),
    ]

    static func normalizedKey(_ key: String) -> String {
        key.lowercased().replacingOccurrences(of: "_", with: "").replacingOccurrences(of: "-", with: "")
    }

    /// Why `value` at `key` looks like a real credential written in the file, or nil.
    static func looksLikeSecret(key: String, value: String) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard trimmed.count >= 8, !trimmed.contains("${"), !Placeholders.isPlaceholder(trimmed) else { return nil }
        if trimmed.hasPrefix("/") || trimmed.hasPrefix("~/") || trimmed.hasPrefix("./") { return nil }  // a path to a secret file
        if let marker = valueMarkers.first(where: { trimmed.hasPrefix($0.marker) }), trimmed.count >= 16 {
            return marker.name
        }
        let name = normalizedKey(key)
        if secretKeyNames.contains(name) || name.hasSuffix("apikey") || name.hasSuffix("secret")
            || name.hasSuffix("password")
            || (name.hasSuffix("token") && !name.hasSuffix("maxtoken") && !name.hasSuffix("maxtokens"))
        {
            return "a literal value for \(key)"
        }
        return nil
    }

    /// Paths the OpenClaw-specific checks report under their own ids.
    static let reportedElsewhere: [String] = ["gateway.auth.password", "gateway.auth.token", "hooks.token"]

    static func scan(_ value: JSONValue, skip: (String) -> Bool) -> [(path: String, why: String)] {
        var result: [(String, String)] = []
        value.walk { path, item in
            guard let key = path.last(where: { Int($0) == nil }), case .string(let text) = item else { return }
            let dotted = path.joined(separator: ".")
            guard !skip(dotted), let why = looksLikeSecret(key: key, value: text) else { return }
            result.append((dotted, why))
        }
        return result
    }

    static let all: [Check] = [
        Check(
            "config.secrets.gateway_password_in_config", .warn, .credentials, source: .openclaw,
            covers: ["config.no_hardcoded_secrets", "credentials.none_in_config"], openClawId: true,
            title: "Gateway password is stored directly in config",
            remediation: "Use ${OPENCLAW_GATEWAY_PASSWORD} or a SecretRef instead of a literal."
        ) { inputs in
            guard let view = inputs.openClawView, let password = view.string("gateway.auth.password"),
                !password.isEmpty,
                !view.config.isExternal("gateway.auth.password")
            else { return [] }
            return [view.config.hit("gateway.auth.password is written in the file.", at: "gateway.auth.password")]
        },
        Check(
            "config.secrets.hooks_token_in_config", .warn, .credentials, source: .openclaw,
            covers: ["config.no_hardcoded_secrets", "credentials.none_in_config"], openClawId: true,
            title: "Hook bearer token is stored directly in config",
            remediation: "Use an env var (${OPENCLAW_HOOKS_TOKEN}) or a SecretRef."
        ) { inputs in
            guard let view = inputs.openClawView, let token = view.string("hooks.token"), !token.isEmpty,
                !view.config.isExternal("hooks.token")
            else { return [] }
            return [view.config.hit("hooks.token is written in the file.", at: "hooks.token")]
        },
        Check(
            "clawguard.secrets.gateway_token_in_config", .warn, .credentials, source: .openclaw,
            covers: ["config.no_hardcoded_secrets", "credentials.none_in_config", "credentials.secrets_manager"],
            title: "Gateway token is stored directly in config",
            remediation:
                "Reference it as ${OPENCLAW_GATEWAY_TOKEN} (or a SecretRef) and keep the value in a secret store."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            return view.tokens.compactMap { token in
                guard let value = token.value, !value.isEmpty, !view.config.isExternal(token.path),
                    !Placeholders.isPlaceholder(value)
                else { return nil }
                return view.config.hit("Token \(token.name) (\(token.path)) is written in the file.", at: token.path)
            }
        },
        Check(
            "clawguard.secrets.literal_in_config", .warn, .credentials, source: .any,
            covers: ["config.no_hardcoded_secrets", "credentials.none_in_config"],
            title: "Credential written in a configuration file",
            remediation:
                "Move the value to the environment or a secret store and reference it (${VAR}, SecretRef, apiKeyHelper)."
        ) { inputs in
            var hits: [Hit] = []
            if let view = inputs.openClawView {
                for found in scan(
                    view.value,
                    skip: { path in
                        reportedElsewhere.contains(path) || path.hasPrefix("gateway.auth.tokens")
                            || view.config.isExternal(path)
                    })
                {
                    hits.append(view.config.hit("\(found.path): \(found.why).", at: found.path))
                }
            }
            var documents: [(String, SourceDocument)] = inputs.claude.map { ("claude", $0.document) }
            documents += inputs.codex.map { ("codex", $0.document) }
            if let policy = inputs.clawguardPolicy { documents.append(("clawguard", policy)) }
            for (_, document) in documents {
                for found in scan(document.value, skip: { _ in false }) {
                    hits.append(document.hit("\(found.path): \(found.why).", at: found.path))
                }
            }
            return hits
        },
    ]
}
