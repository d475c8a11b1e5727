import ClawGuardCore
import Foundation

/// Docker sandbox, isolation and workspace restriction. The current schema's unset keys take OpenClaw's
/// defaults and are not flagged; the template schema has no defaults, so a missing key is a finding.
enum OpenClawSandboxChecks {
    /// Host paths that must never be bind-mounted into a sandbox.
    static let dangerousMountSources = [
        "/", "/etc", "/root", "/boot", "/proc", "/sys", "/dev", "/var/run/docker.sock", "/run/docker.sock",
        "/var/run", "/run", "~", "~/.ssh", "~/.aws", "~/.gnupg", "~/.openclaw", "~/.config", "/home",
    ]

    /// (key path, host source) of every bind mount in a sandbox block.
    static func mounts(_ block: (path: String, value: JSONValue, template: Bool)) -> [(String, String)] {
        var result: [(String, String)] = []
        for (index, bind) in (block.value.at("docker.binds")?.stringList ?? []).enumerated() {
            result.append(("\(block.path).docker.binds.\(index)", String(bind.split(separator: ":").first ?? "")))
        }
        for (index, volume) in (block.value.at("docker.volumes")?.arrayValue ?? []).enumerated() {
            if let host = volume["host"]?.stringValue { result.append(("\(block.path).docker.volumes.\(index)", host)) }
        }
        return result
    }

    static let all: [Check] = [
        Check(
            "clawguard.sandbox.off", .warn, .sandbox, source: .openclaw, covers: ["sandbox.enabled"],
            title: "Agents run without a sandbox",
            remediation:
                "Turn the sandbox on: agents.defaults.sandbox.mode \"all\" (or \"non-main\") in the current schema, sandbox.enabled=true in the template's."
        ) { inputs in
            guard let view = inputs.openClawView, !view.sandboxOn else { return [] }
            let path =
                view.value.at("sandbox.enabled") != nil
                ? "sandbox.enabled"
                : view.value.at("agents.sandboxEnabled") != nil
                    ? "agents.sandboxEnabled" : "agents.defaults.sandbox.mode"
            let severity: Severity = view.execFullPaths.isEmpty ? .warn : .critical
            return [
                view.config.hit(
                    "Sandbox is off (\(path)\(view.value.at(path) == nil ? " unset, OpenClaw's default is off" : "=\(view.value.at(path)!.brief)")): tools run on the host"
                        + (severity == .critical ? " and exec runs without an allowlist." : "."),
                    at: path, severity: severity)
            ]
        },
        Check(
            "clawguard.sandbox.agent_override_off", .warn, .sandbox, source: .openclaw, covers: ["sandbox.enabled"],
            title: "An agent turns the sandbox off that the defaults turn on",
            remediation: "Remove the per-agent sandbox.mode \"off\" or justify it with a suppression."
        ) { inputs in
            guard let view = inputs.openClawView, view.defaultSandboxMode != "off" else { return [] }
            return view.agents.compactMap { agent in
                guard agent.value.at("sandbox.mode")?.stringValue == "off" else { return nil }
                return view.config.hit(
                    "Agent \(agent.id) sets sandbox.mode=\"off\" while agents.defaults.sandbox.mode=\"\(view.defaultSandboxMode)\".",
                    at: agent.path + ".sandbox.mode")
            }
        },
        Check(
            "sandbox.docker_config_mode_off", .warn, .sandbox, source: .openclaw, covers: ["sandbox.enabled"],
            openClawId: true, title: "Sandbox docker settings configured while sandbox mode is off",
            remediation: "Enable sandbox mode or remove the unused docker settings."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            return view.sandboxBlocks.compactMap { block in
                guard !block.template, block.value["docker"] != nil,
                    (block.value["mode"]?.stringValue
                        ?? (block.path == "agents.defaults.sandbox" ? "off" : view.defaultSandboxMode)) == "off"
                else { return nil }
                return view.config.hit(
                    "\(block.path).docker is set but the sandbox mode is off; the settings do nothing.", at: block.path)
            }
        },
        Check(
            "sandbox.dangerous_network_mode", .critical, .sandbox, source: .openclaw, covers: ["sandbox.network"],
            openClawId: true, title: "Sandbox Docker network uses host or container namespace-join mode",
            remediation: "Use network \"none\" (or a dedicated bridge behind an allowlist proxy)."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            return view.sandboxBlocks.compactMap { block in
                let key = block.template ? "docker.networkMode" : "docker.network"
                guard let mode = block.value.at(key)?.stringValue?.lowercased(),
                    mode == "host" || mode.hasPrefix("container:")
                else { return nil }
                return view.config.hit(
                    "\(block.path).\(key)=\"\(mode)\" shares a network namespace with the host or another container.",
                    at: "\(block.path).\(key)")
            }
        },
        Check(
            "clawguard.sandbox.network_not_isolated", .warn, .sandbox, source: .openclaw,
            covers: ["sandbox.network", "permissions.network_restricted"],
            title: "Sandbox has network access",
            remediation: "Set the sandbox network to \"none\", or route egress through an allowlist proxy."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            return view.sandboxBlocks.compactMap { block in
                let key = block.template ? "docker.networkMode" : "docker.network"
                let mode = block.value.at(key)?.stringValue?.lowercased()
                if block.template && mode == nil {
                    return view.config.hit(
                        "\(block.path).\(key) is not set; Docker's default bridge network has full egress.",
                        at: block.path)
                }
                guard let mode, mode != "none", mode != "host", !mode.hasPrefix("container:") else { return nil }
                return view.config.hit(
                    "\(block.path).\(key)=\"\(mode)\" gives the sandbox network egress.", at: "\(block.path).\(key)")
            }
        },
        Check(
            "clawguard.sandbox.root_writable", .warn, .sandbox, source: .openclaw, covers: ["sandbox.read_only_root"],
            title: "Sandbox root filesystem is writable",
            remediation:
                "Set readOnlyRoot: true (template: readOnlyRootFilesystem: true) and give writable paths as tmpfs/volumes."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            return view.sandboxBlocks.compactMap { block in
                let key = block.template ? "docker.readOnlyRootFilesystem" : "docker.readOnlyRoot"
                let value = block.value.at(key)?.boolValue
                guard value == false || (block.template && value == nil) else { return nil }
                return view.config.hit(
                    "\(block.path).\(key) is \(value.map(String.init) ?? "not set").",
                    at: value == nil ? block.path : "\(block.path).\(key)")
            }
        },
        Check(
            "clawguard.sandbox.capabilities_not_dropped", .warn, .sandbox, source: .openclaw,
            covers: ["sandbox.cap_drop"],
            title: "Sandbox keeps Linux capabilities",
            remediation: "Set capDrop: [\"ALL\"] and add back only what a tool proves it needs."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            return view.sandboxBlocks.compactMap { block in
                let capDrop = block.value.at("docker.capDrop")
                if capDrop == nil && !block.template { return nil }
                guard !(capDrop?.stringList.map { $0.uppercased() }.contains("ALL") ?? false) else {
                    if let added = block.value.at("docker.capAdd")?.stringList, !added.isEmpty {
                        return view.config.hit(
                            "\(block.path).docker.capAdd adds \(added.joined(separator: ", ")) back.",
                            at: "\(block.path).docker.capAdd", severity: .info)
                    }
                    return nil
                }
                return view.config.hit(
                    "\(block.path).docker.capDrop is \(capDrop?.brief ?? "not set"); capabilities are not all dropped.",
                    at: capDrop == nil ? block.path : "\(block.path).docker.capDrop")
            }
        },
        Check(
            "clawguard.sandbox.no_new_privileges_missing", .warn, .sandbox, source: .openclaw,
            covers: ["sandbox.no_new_privileges"],
            title: "Sandbox does not set no-new-privileges",
            remediation: "Add \"no-new-privileges\" to docker.securityOpt."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            return view.sandboxBlocks.compactMap { block in
                let options = block.value.at("docker.securityOpt")
                if options == nil && !block.template { return nil }
                let list = options?.stringList ?? []
                guard !list.contains(where: { $0.hasPrefix("no-new-privileges") && !$0.hasSuffix("false") }) else {
                    return nil
                }
                return view.config.hit(
                    "\(block.path).docker.securityOpt is \(options?.brief ?? "not set").",
                    at: options == nil ? block.path : "\(block.path).docker.securityOpt")
            }
        },
        Check(
            "clawguard.sandbox.no_resource_limits", .warn, .sandbox, source: .openclaw,
            covers: ["sandbox.resource_limits"],
            title: "Sandbox resource limits incomplete",
            remediation:
                "Set CPU, memory and PID limits (current schema: cpus, memory, pidsLimit; template: cpuLimit, memoryLimit, pidsLimit)."
        ) { inputs in
            // OpenClaw sets no CPU, memory or PID limit by default (src/agents/sandbox/config.ts leaves pidsLimit,
            // memory and cpus undefined), so in the current schema an active sandbox without them is a finding.
            guard let view = inputs.openClawView else { return [] }
            let wanted: [(String, [String])] = [
                ("CPU", ["cpus", "cpuLimit"]), ("memory", ["memory", "memoryLimit"]), ("PIDs", ["pidsLimit"]),
            ]
            func missing(_ docker: JSONValue?, fallback: JSONValue? = nil) -> [String] {
                wanted.filter { _, keys in keys.allSatisfy { docker?[$0] == nil && fallback?[$0] == nil } }.map(\.0)
            }
            var hits: [Hit] = []
            for block in view.sandboxBlocks where block.template {
                let gaps = missing(block.value["docker"])
                if !gaps.isEmpty {
                    hits.append(
                        view.config.hit(
                            "\(block.path).docker sets no \(gaps.joined(separator: ", ")) limit.",
                            at: block.value["docker"] == nil ? block.path : "\(block.path).docker"))
                }
            }
            let defaults = view.value.at("agents.defaults.sandbox.docker")
            if view.value.at("agents.defaults.sandbox") != nil && view.defaultSandboxMode != "off" {
                let gaps = missing(defaults)
                if !gaps.isEmpty {
                    hits.append(
                        view.config.hit(
                            "agents.defaults.sandbox (mode \"\(view.defaultSandboxMode)\") sets no \(gaps.joined(separator: ", ")) limit; OpenClaw has no default.",
                            at: defaults == nil ? "agents.defaults.sandbox" : "agents.defaults.sandbox.docker"))
                }
            }
            for agent in view.agents {
                guard let sandbox = agent.value["sandbox"] else { continue }
                let mode = sandbox["mode"]?.stringValue ?? view.defaultSandboxMode
                guard mode != "off", sandbox["docker"] != nil || view.defaultSandboxMode == "off" else { continue }
                let shared = (sandbox["scope"]?.stringValue ?? view.string("agents.defaults.sandbox.scope")) == "shared"
                let gaps = missing(shared ? nil : sandbox["docker"], fallback: defaults)
                if !gaps.isEmpty {
                    hits.append(
                        view.config.hit(
                            "Agent \(agent.id)'s sandbox sets no \(gaps.joined(separator: ", ")) limit.",
                            at: agent.path + ".sandbox"))
                }
            }
            return hits
        },
        Check(
            "sandbox.dangerous_bind_mount", .critical, .sandbox, source: .openclaw, covers: ["sandbox.workspace"],
            openClawId: true, title: "Sandbox bind mount targets a system, credential or Docker socket path",
            remediation: "Mount only the workspace directory; never /, /etc, home dot-directories or the Docker socket."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            let home = inputs.options.home
            return view.sandboxBlocks.flatMap { block in
                mounts(block).compactMap { path, source in
                    let normalized =
                        source.hasPrefix(home + "/")
                        ? "~" + source.dropFirst(home.count) : (source == home ? "~" : source)
                    let trimmed =
                        normalized.count > 1 && normalized.hasSuffix("/") ? String(normalized.dropLast()) : normalized
                    guard dangerousMountSources.contains(trimmed) else { return nil }
                    return view.config.hit("\(path) mounts \(source) into the sandbox.", at: path)
                }
            }
        },
        Check(
            "sandbox.bind_mount_non_absolute", .warn, .sandbox, source: .openclaw, openClawId: true,
            title: "Relative sandbox bind mount",
            remediation: "Use absolute host paths in bind mounts."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            return view.sandboxBlocks.flatMap { block in
                mounts(block).compactMap { path, source in
                    source.hasPrefix("/") || source.hasPrefix("~") || source.isEmpty
                        ? nil : view.config.hit("\(path) uses the relative source \"\(source)\".", at: path)
                }
            }
        },
        Check(
            "sandbox.dangerous_seccomp_profile", .critical, .sandbox, source: .openclaw, openClawId: true,
            title: "Sandbox seccomp profile is unconfined",
            remediation: "Remove seccomp=unconfined; use Docker's default profile or a stricter one."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            return view.sandboxBlocks.compactMap { block in
                let profile = block.value.at("docker.seccompProfile")?.stringValue?.lowercased()
                let opts = block.value.at("docker.securityOpt")?.stringList.map { $0.lowercased() } ?? []
                guard
                    profile == "unconfined"
                        || opts.contains(where: { $0.hasPrefix("seccomp") && $0.hasSuffix("unconfined") })
                else { return nil }
                return view.config.hit(
                    "\(block.path) runs the sandbox with seccomp unconfined.", at: "\(block.path).docker")
            }
        },
        Check(
            "sandbox.dangerous_apparmor_profile", .critical, .sandbox, source: .openclaw, openClawId: true,
            title: "Sandbox AppArmor profile is unconfined",
            remediation: "Remove apparmor=unconfined."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            return view.sandboxBlocks.compactMap { block in
                let profile = block.value.at("docker.apparmorProfile")?.stringValue?.lowercased()
                let opts = block.value.at("docker.securityOpt")?.stringList.map { $0.lowercased() } ?? []
                guard
                    profile == "unconfined"
                        || opts.contains(where: { $0.hasPrefix("apparmor") && $0.hasSuffix("unconfined") })
                else { return nil }
                return view.config.hit(
                    "\(block.path) runs the sandbox with AppArmor unconfined.", at: "\(block.path).docker")
            }
        },
        Check(
            "clawguard.workspace.unrestricted", .warn, .sandbox, source: .openclaw, covers: ["sandbox.workspace"],
            title: "Agent file access is not restricted to a workspace",
            remediation:
                "Current schema: tools.fs.workspaceOnly=true and sandbox workspaceAccess \"none\"/\"ro\"; template: workspace.root set and allowParentAccess=false."
        ) { inputs in
            guard let view = inputs.openClawView else { return [] }
            var hits: [Hit] = []
            if view.isTemplateSchema {
                if view.value.at("workspace.root") == nil {
                    hits.append(
                        view.config.hit(
                            "workspace.root is not set.", at: view.value.at("workspace") == nil ? "agents" : "workspace"
                        ))
                }
                if view.bool("workspace.allowParentAccess") == true {
                    hits.append(
                        view.config.hit(
                            "workspace.allowParentAccess=true lets agents leave the workspace.",
                            at: "workspace.allowParentAccess"))
                }
            }
            if view.bool("tools.fs.workspaceOnly") == false {
                hits.append(
                    view.config.hit(
                        "tools.fs.workspaceOnly=false lets file tools reach the whole host.",
                        at: "tools.fs.workspaceOnly"))
            }
            for block in view.sandboxBlocks where block.value["workspaceAccess"]?.stringValue == "rw" && !view.sandboxOn
            {
                hits.append(
                    view.config.hit(
                        "\(block.path).workspaceAccess=\"rw\" with the sandbox off.",
                        at: "\(block.path).workspaceAccess", severity: .info))
            }
            return hits
        },
    ]
}
