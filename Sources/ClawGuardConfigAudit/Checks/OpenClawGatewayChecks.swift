import ClawGuardCore
import Foundation

extension AuditInputs {
    /// The OpenClaw view, when an OpenClaw configuration was read.
    var openClawView: OpenClawView? { openClaw.map { OpenClawView($0, environment: options.environment) } }
}

/// Gateway exposure, authentication, tokens, TLS and rate limits.
enum OpenClawGatewayChecks {
    static let all: [Check] = [
        Check(
            "gateway.bind_no_auth", .critical, .configuration, source: .openclaw,
            covers: ["config.bind_local", "config.strong_auth"], openClawId: true,
            title: "Gateway binds beyond loopback without auth",
            remediation: "Set gateway.auth (token recommended) or bind to loopback."
        ) { inputs in
            guard let view = inputs.openClawView, !view.bindIsLoopback, !view.hasSharedSecret,
                view.authMode != "trusted-proxy"
            else { return [] }
            return [
                view.config.hit(
                    "gateway.bind=\"\(view.bind)\" but no gateway auth token/password is configured.",
                    at: "gateway.bind")
            ]
        },
        Check(
            "clawguard.gateway.bind_all_interfaces", .warn, .configuration, source: .openclaw,
            covers: ["config.bind_local"],
            title: "Gateway listens on every interface",
            remediation:
                "Bind to loopback (gateway.bind \"loopback\" / \"127.0.0.1\") and reach it over SSH tunnel, Tailscale Serve or a TLS reverse proxy."
        ) { inputs in
            guard let view = inputs.openClawView, view.bindIsAllInterfaces else { return [] }
            return [
                view.config.hit(
                    "gateway.bind=\"\(view.bind)\" exposes the gateway to every network the host is on.",
                    at: "gateway.bind")
            ]
        },
        Check(
            "gateway.loopback_no_auth", .critical, .configuration, source: .openclaw, covers: ["config.strong_auth"],
            openClawId: true, title: "Gateway auth missing on loopback",
            remediation: "Set gateway.auth (token recommended) or keep the Control UI local-only."
        ) { inputs in
            guard let view = inputs.openClawView, view.bindIsLoopback, view.controlUiEnabled, !view.hasGatewayAuth
            else { return [] }
            return [
                view.config.hit(
                    "gateway.bind is loopback but no gateway auth secret is configured; a reverse proxy or local process reaches it unauthenticated.",
                    at: "gateway")
            ]
        },
        Check(
            "gateway.tailscale_funnel", .critical, .network, source: .openclaw, covers: ["config.bind_local"],
            openClawId: true, title: "Tailscale Funnel exposure enabled",
            remediation: "Prefer gateway.tailscale.mode=\"serve\" (tailnet-only) or \"off\"."
        ) { inputs in
            guard let view = inputs.openClawView, view.tailscaleMode == "funnel" else { return [] }
            return [
                view.config.hit(
                    "gateway.tailscale.mode=\"funnel\" exposes the gateway to the public internet.",
                    at: "gateway.tailscale.mode")
            ]
        },
        Check(
            "clawguard.gateway.token_placeholder", .critical, .configuration, source: .openclaw,
            covers: ["config.strong_auth"],
            title: "Gateway token is a placeholder",
            remediation:
                "Generate a real token (openssl rand -base64 32), store it outside the file (${OPENCLAW_GATEWAY_TOKEN}) and restart the gateway."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            return view.tokens.compactMap { token in
                guard let value = token.value, !value.contains("${"), Placeholders.isPlaceholder(value) else {
                    return nil
                }
                return view.config.hit(
                    "Token \(token.name) at \(token.path) is the placeholder \"\(value)\"; anyone who read the template knows it.",
                    at: token.path)
            }
        },
        Check(
            "gateway.token_too_short", .warn, .configuration, source: .openclaw, covers: ["config.strong_auth"],
            openClawId: true, title: "Gateway token looks short",
            remediation: "Use a long random token (openssl rand -base64 32)."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            return view.tokens.compactMap { token in
                guard let value = token.value?.trimmingCharacters(in: .whitespaces), !value.contains("${"),
                    !Placeholders.isPlaceholder(value), value.count < 24
                else { return nil }
                return view.config.hit(
                    "Gateway token \(token.name) is \(value.count) chars; OpenClaw warns under 24.", at: token.path)
            }
        },
        Check(
            "clawguard.gateway.token_weak", .warn, .configuration, source: .openclaw, covers: ["config.strong_auth"],
            title: "Gateway token is weaker than the reference asks",
            remediation: "Use 32+ random characters (openssl rand -base64 32)."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            return view.tokens.compactMap { token in
                guard let value = token.value?.trimmingCharacters(in: .whitespaces), !value.contains("${"),
                    !Placeholders.isPlaceholder(value), value.count >= 24, let weakness = TokenStrength.weakness(value)
                else { return nil }
                return view.config.hit("Gateway token \(token.name): \(weakness).", at: token.path)
            }
        },
        Check(
            "clawguard.gateway.token_no_expiry", .warn, .configuration, source: .openclaw,
            covers: ["config.token_expiry"],
            title: "Gateway token has no expiry",
            remediation: "Set expiresAt on every token and rotate before it passes."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            return (view.value.at("gateway.auth.tokens")?.arrayValue ?? []).enumerated().compactMap { index, entry in
                guard entry["expiresAt"] == nil else { return nil }
                let name = entry["name"]?.stringValue ?? "#\(index)"
                return view.config.hit(
                    "Token \(name) (gateway.auth.tokens[\(index)]) has no expiresAt.",
                    at: "gateway.auth.tokens.\(index)")
            }
        },
        Check(
            "clawguard.gateway.token_expired", .critical, .configuration, source: .openclaw,
            covers: ["config.token_expiry"],
            title: "Gateway token expired or has an unreadable expiry",
            remediation: "Issue a new token with a future expiresAt (ISO 8601) and remove the old one."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            let formatter = ISO8601DateFormatter()
            return (view.value.at("gateway.auth.tokens")?.arrayValue ?? []).enumerated().compactMap { index, entry in
                guard let raw = entry["expiresAt"]?.stringValue else { return nil }
                let name = entry["name"]?.stringValue ?? "#\(index)"
                let path = "gateway.auth.tokens.\(index).expiresAt"
                guard let date = formatter.date(from: raw) else {
                    return view.config.hit(
                        "Token \(name): expiresAt \"\(raw)\" is not an ISO 8601 date.", at: path, severity: .warn)
                }
                guard date <= inputs.options.now else { return nil }
                return view.config.hit("Token \(name) expired at \(raw).", at: path)
            }
        },
        Check(
            "clawguard.gateway.token_wildcard_scope", .warn, .credentials, source: .openclaw,
            covers: ["credentials.scoped"],
            title: "Gateway token has every permission",
            remediation: "Give each token only the permissions its client needs (e.g. [\"chat\", \"sessions:read\"])."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            return (view.value.at("gateway.auth.tokens")?.arrayValue ?? []).enumerated().compactMap { index, entry in
                guard entry["permissions"]?.stringList.contains("*") == true else { return nil }
                let name = entry["name"]?.stringValue ?? "#\(index)"
                return view.config.hit(
                    "Token \(name) has permissions [\"*\"].", at: "gateway.auth.tokens.\(index).permissions")
            }
        },
        Check(
            "clawguard.gateway.tls_off", .warn, .network, source: .openclaw, covers: ["config.tls"],
            title: "Gateway TLS is off",
            remediation:
                "Set gateway.tls.enabled=true (certPath/keyPath, or autoGenerate) or terminate TLS in front of it (Tailscale Serve, a reverse proxy); on loopback only, an SSH tunnel is enough."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            let explicitTLS = view.bool("gateway.tls.enabled")
            guard explicitTLS != true, view.tailscaleMode != "serve", view.tailscaleMode != "funnel" else { return [] }
            if view.bindIsLoopback {
                guard explicitTLS == false else { return [] }
                return [
                    view.config.hit(
                        "gateway.tls.enabled=false; acceptable only while the gateway stays on loopback.",
                        at: "gateway.tls.enabled", severity: .info)
                ]
            }
            return [
                view.config.hit(
                    "gateway.bind=\"\(view.bind)\" without gateway.tls: tokens cross the network in clear text.",
                    at: explicitTLS == false ? "gateway.tls.enabled" : "gateway.bind")
            ]
        },
        Check(
            "gateway.auth_no_rate_limit", .warn, .budget, source: .openclaw, covers: ["budget.rate_limit"],
            openClawId: true, title: "No auth rate limiting configured",
            remediation:
                "Set gateway.auth.rateLimit (e.g. { maxAttempts: 10, windowMs: 60000, lockoutMs: 300000 }) or gateway.rateLimit.enabled=true."
        ) { inputs in
            guard let view = inputs.openClawView, view.authMode != "trusted-proxy" else { return [] }
            let configured =
                view.value.at("gateway.auth.rateLimit") != nil || view.bool("gateway.rateLimit.enabled") == true
            guard !configured else { return [] }
            let at = view.value.at("gateway.rateLimit") != nil ? "gateway.rateLimit" : "gateway"
            if view.bindIsLoopback {
                return [
                    view.config.hit(
                        "No gateway rate limit; on loopback only local processes can brute-force it.", at: at,
                        severity: .info)
                ]
            }
            return [view.config.hit("gateway.bind=\"\(view.bind)\" but no rate limit is configured.", at: at)]
        },
        Check(
            "gateway.control_ui.allowed_origins_wildcard", .warn, .network, source: .openclaw, openClawId: true,
            title: "Control UI allowed origins contains wildcard",
            remediation: "Replace \"*\" with explicit trusted origins (https://control.example.com)."
        ) { inputs in
            guard let view = inputs.openClawView,
                view.value.at("gateway.controlUi.allowedOrigins")?.stringList.contains("*") == true
            else { return [] }
            return [
                view.config.hit(
                    "gateway.controlUi.allowedOrigins includes \"*\".", at: "gateway.controlUi.allowedOrigins",
                    severity: view.bindIsLoopback ? .warn : .critical)
            ]
        },
        Check(
            "gateway.control_ui.allowed_origins_required", .critical, .network, source: .openclaw, openClawId: true,
            title: "Non-loopback Control UI missing explicit allowed origins",
            remediation: "Set gateway.controlUi.allowedOrigins to the full trusted origins."
        ) { inputs in
            guard let view = inputs.openClawView, !view.bindIsLoopback, view.controlUiEnabled, !view.isTemplateSchema,
                (view.value.at("gateway.controlUi.allowedOrigins")?.stringList ?? []).isEmpty,
                view.bool("gateway.controlUi.dangerouslyAllowHostHeaderOriginFallback") != true
            else { return [] }
            return [
                view.config.hit(
                    "Control UI is on a non-loopback bind with no gateway.controlUi.allowedOrigins.", at: "gateway.bind"
                )
            ]
        },
        Check(
            "gateway.control_ui.device_auth_disabled", .critical, .configuration, source: .openclaw, openClawId: true,
            title: "DANGEROUS: Control UI device auth disabled",
            remediation: "Remove gateway.controlUi.dangerouslyDisableDeviceAuth unless in a short break-glass window."
        ) { inputs in
            guard let view = inputs.openClawView, view.bool("gateway.controlUi.dangerouslyDisableDeviceAuth") == true
            else { return [] }
            return [
                view.config.hit(
                    "gateway.controlUi.dangerouslyDisableDeviceAuth=true.",
                    at: "gateway.controlUi.dangerouslyDisableDeviceAuth")
            ]
        },
        Check(
            "gateway.control_ui.insecure_auth", .warn, .configuration, source: .openclaw, openClawId: true,
            title: "Control UI insecure auth toggle enabled",
            remediation: "Disable it, or switch to HTTPS (Tailscale Serve) or localhost."
        ) { inputs in
            guard let view = inputs.openClawView, view.bool("gateway.controlUi.allowInsecureAuth") == true else {
                return []
            }
            return [
                view.config.hit("gateway.controlUi.allowInsecureAuth=true.", at: "gateway.controlUi.allowInsecureAuth")
            ]
        },
        Check(
            "gateway.real_ip_fallback_enabled", .warn, .network, source: .openclaw, openClawId: true,
            title: "X-Real-IP fallback is enabled",
            remediation: "Keep gateway.allowRealIpFallback=false unless your proxy always overwrites X-Real-IP."
        ) { inputs in
            guard let view = inputs.openClawView, view.bool("gateway.allowRealIpFallback") == true else { return [] }
            return [
                view.config.hit(
                    "gateway.allowRealIpFallback=true trusts a client-supplied header.",
                    at: "gateway.allowRealIpFallback", severity: view.bindIsLoopback ? .warn : .critical)
            ]
        },
        Check(
            "gateway.trusted_proxy_no_proxies", .critical, .configuration, source: .openclaw, openClawId: true,
            title: "Trusted-proxy auth enabled but no trusted proxies configured",
            remediation: "Set gateway.trustedProxies to the IP(s) of your reverse proxy."
        ) { inputs in
            guard let view = inputs.openClawView, view.authMode == "trusted-proxy",
                (view.value.at("gateway.trustedProxies")?.stringList ?? []).isEmpty
            else { return [] }
            return [
                view.config.hit(
                    "gateway.auth.mode=\"trusted-proxy\" but gateway.trustedProxies is empty.", at: "gateway.auth.mode")
            ]
        },
        Check(
            "discovery.mdns_full_mode", .warn, .network, source: .openclaw, openClawId: true,
            title: "mDNS full mode can leak host metadata",
            remediation: "Use discovery.mdns.mode=\"minimal\" or \"off\"."
        ) { inputs in
            guard let view = inputs.openClawView, view.string("discovery.mdns.mode") == "full" else { return [] }
            return [
                view.config.hit(
                    "discovery.mdns.mode=\"full\" publishes cliPath/sshPort on the local network.",
                    at: "discovery.mdns.mode", severity: view.bindIsLoopback ? .warn : .critical)
            ]
        },
        Check(
            "config.insecure_or_dangerous_flags", .warn, .configuration, source: .openclaw, openClawId: true,
            title: "Insecure or dangerous config flag enabled",
            remediation: "Disable the flag when not actively debugging."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            var hits: [Hit] = []
            view.value.walk { path, value in
                guard let key = path.last, value.boolValue == true,
                    key.hasPrefix("dangerously") || key == "allowInsecureAuth"
                else { return }
                let dotted = path.joined(separator: ".")
                let severity: Severity = key == "dangerouslySkipPermissions" ? .critical : .warn
                hits.append(view.config.hit("Detected enabled flag: \(dotted).", at: dotted, severity: severity))
            }
            return hits
        },
        Check(
            "hooks.token_reuse_gateway_token", .critical, .credentials, source: .openclaw, openClawId: true,
            title: "Hook ingress token also unlocks Gateway auth",
            remediation: "Give hooks.token its own random value."
        ) { inputs in
            guard let view = inputs.openClawView, let hook = view.string("hooks.token"), !hook.isEmpty,
                view.tokens.contains(where: { $0.value == hook })
            else { return [] }
            return [view.config.hit("hooks.token equals a gateway token.", at: "hooks.token")]
        },
        Check(
            "hooks.token_too_short", .warn, .credentials, source: .openclaw, openClawId: true,
            title: "Hook token looks short",
            remediation: "Use a long random hooks.token."
        ) { inputs in
            guard let view = inputs.openClawView, let hook = view.string("hooks.token"), !hook.contains("${"),
                hook.count < 24
            else { return [] }
            return [view.config.hit("hooks.token is \(hook.count) chars.", at: "hooks.token")]
        },
    ]
}
