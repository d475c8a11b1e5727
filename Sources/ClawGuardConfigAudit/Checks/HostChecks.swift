import ClawGuardCore
import Foundation

/// Runtime facts of the host: the user agents run as, their systemd units, and what listens on the network.
enum HostChecks {
    /// systemd hardening directives the reference's container settings map to.
    static let hardening: [(directive: String, satisfied: @Sendable (String) -> Bool)] = [
        ("NoNewPrivileges=yes", { ["yes", "true", "1", "on"].contains($0.lowercased()) }),
        ("ProtectSystem=strict", { ["strict", "full", "yes", "true"].contains($0.lowercased()) }),
        ("PrivateTmp=yes", { ["yes", "true", "1", "on"].contains($0.lowercased()) }),
        ("CapabilityBoundingSet=", { $0.isEmpty || $0.hasPrefix("~") == false }),
        ("MemoryMax=", { !$0.isEmpty }),
        ("TasksMax=", { !$0.isEmpty }),
    ]

    static let all: [Check] = [
        Check(
            "host.running_as_root", .warn, .host, source: .host, covers: ["config.non_root"],
            title: "Agent configuration belongs to root",
            remediation: "Run agents as a dedicated unprivileged user (useradd -r -m openclaw) and audit as that user."
        ) { inputs in
            guard inputs.host.effectiveUID == 0, inputs.hasAgentConfig else { return [] }
            return [
                Hit(
                    "The audit runs as root and found agent configuration in \(inputs.options.home): the agents most likely run as root.",
                    file: inputs.openClaw?.configPath ?? inputs.claude.first?.document.path)
            ]
        },
        Check(
            "host.systemd.runs_as_root", .critical, .host, source: .host, covers: ["config.non_root"],
            title: "Agent service runs as root",
            remediation: "Set User= (and Group=) to a dedicated unprivileged account in the unit."
        ) { inputs in
            inputs.systemdUnits.compactMap { unit in
                guard !unit.path.contains("/.config/systemd/user/") else { return nil }  // user units run as their user
                let user = unit.value("User")
                guard user == nil || user == "root" || user == "0" else { return nil }
                return Hit(
                    "\((unit.path as NSString).lastPathComponent) runs as \(user ?? "root (no User=)").",
                    file: unit.path, line: user.flatMap { _ in LineLocator.line(of: ["User"], in: unit.text) })
            }
        },
        Check(
            "host.systemd.hardening_missing", .warn, .host,
            source: .host, covers: ["sandbox.no_new_privileges", "sandbox.resource_limits"],
            title: "Agent service lacks systemd hardening",
            remediation:
                "Add NoNewPrivileges=yes, ProtectSystem=strict, PrivateTmp=yes, CapabilityBoundingSet=, MemoryMax= and TasksMax= to [Service]."
        ) { inputs in
            inputs.systemdUnits.compactMap { unit in
                let missing = hardening.filter { item in
                    let key = String(item.directive.split(separator: "=")[0])
                    guard let value = unit.value(key) else { return true }
                    return !item.satisfied(value)
                }.map(\.directive)
                guard !missing.isEmpty else { return nil }
                return Hit(
                    "\((unit.path as NSString).lastPathComponent) is missing \(missing.joined(separator: ", ")).",
                    file: unit.path)
            }
        },
        Check(
            "host.systemd.secret_in_unit", .warn, .credentials, source: .host,
            covers: ["config.no_hardcoded_secrets", "credentials.none_in_config"],
            title: "Secret written in a systemd unit",
            remediation: "Use EnvironmentFile= with a 600 file, or systemd credentials (LoadCredential=)."
        ) { inputs in
            inputs.systemdUnits.flatMap { unit in
                (unit.service["Environment"] ?? []).flatMap { line in
                    line.split(separator: " ").compactMap { assignment -> Hit? in
                        let parts = assignment.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).split(
                            separator: "=", maxSplits: 1)
                        guard parts.count == 2,
                            let why = SecretChecks.looksLikeSecret(key: String(parts[0]), value: String(parts[1]))
                        else { return nil }
                        return Hit(
                            "\((unit.path as NSString).lastPathComponent): Environment \(parts[0]) holds \(why).",
                            file: unit.path, line: LineLocator.line(of: [String(parts[0])], in: unit.text))
                    }
                }
            }
        },
        Check(
            "host.listening_beyond_loopback", .warn, .network, source: .host,
            covers: ["config.bind_local", "network.firewall"],
            title: "An agent port listens beyond loopback",
            remediation:
                "Bind the service to 127.0.0.1 and firewall the port; reach it over an SSH tunnel or Tailscale."
        ) { inputs in
            guard let sockets = inputs.sockets else { return [] }
            let ports = agentPorts(inputs)
            return sockets.filter { !$0.isLoopback && ports.contains($0.port) }.map {
                Hit("Port \($0.port) listens on \($0.address).", file: inputs.openClaw?.configPath)
            }
        },
        Check(
            "host.gateway_bind_mismatch", .critical, .network, source: .host, covers: ["config.bind_local"],
            title: "Gateway listens beyond loopback although its config says loopback",
            remediation:
                "Find the process on the port (ss -ltnp), stop it, and restart the gateway from the audited config."
        ) { inputs in
            guard let sockets = inputs.sockets, let view = inputs.openClawView, view.bindIsLoopback else { return [] }
            let port = Int(view.value.at("gateway.port")?.numberValue ?? 18789)
            return sockets.filter { !$0.isLoopback && $0.port == port }.map {
                view.config.hit(
                    "gateway.bind=\"\(view.bind)\" but port \(port) listens on \($0.address).", at: "gateway.bind")
            }
        },
    ]

    static func agentPorts(_ inputs: AuditInputs) -> Set<Int> {
        var ports = Set(inputs.options.agentPorts)
        if let port = inputs.openClaw?.value.at("gateway.port")?.numberValue { ports.insert(Int(port)) }
        if let port = inputs.openClaw?.value.at("monitoring.metricsPort")?.numberValue { ports.insert(Int(port)) }
        return ports
    }
}
