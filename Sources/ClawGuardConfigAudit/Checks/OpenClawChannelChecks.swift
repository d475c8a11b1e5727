import ClawGuardCore
import Foundation

/// Who can message the agents: DM and group policies, allowFrom lists and their pairing stores.
enum OpenClawChannelChecks {
    static let all: [Check] = [
        Check(
            "channels.*.dm.open", .critical, .channels, source: .openclaw, openClawId: true,
            title: "Channel DMs are open",
            remediation: "Use dmPolicy \"pairing\" or \"allowlist\"."
        ) { inputs in
            guard let view = inputs.openClawView, let channels = view.value.at("channels")?.objectValue else {
                return []
            }
            return channels.keys.sorted().compactMap { provider in
                let channel = channels[provider]!
                guard channel["enabled"]?.boolValue != false, channel["dmPolicy"]?.stringValue == "open" else {
                    return nil
                }
                return view.config.hit(
                    "channels.\(provider).dmPolicy=\"open\" allows anyone to DM the bot.",
                    at: "channels.\(provider).dmPolicy", id: "channels.\(provider).dm.open")
            }
        },
        Check(
            "channels.*.dm.open_invalid", .warn, .channels, source: .openclaw, openClawId: true,
            title: "Channel DM config looks inconsistent",
            remediation: "\"open\" requires allowFrom to include \"*\"; prefer pairing instead."
        ) { inputs in
            guard let view = inputs.openClawView, let channels = view.value.at("channels")?.objectValue else {
                return []
            }
            return channels.keys.sorted().compactMap { provider in
                let channel = channels[provider]!
                guard channel["dmPolicy"]?.stringValue == "open", channel["allowFrom"]?.stringList.contains("*") != true
                else { return nil }
                return view.config.hit(
                    "channels.\(provider).dmPolicy=\"open\" without \"*\" in channels.\(provider).allowFrom.",
                    at: "channels.\(provider).dmPolicy", id: "channels.\(provider).dm.open_invalid")
            }
        },
        Check(
            "security.exposure.open_groups_with_elevated", .critical, .channels, source: .openclaw, openClawId: true,
            title: "Open groups with elevated tools enabled",
            remediation: "Set groupPolicy to \"allowlist\" or disable tools.elevated."
        ) { inputs in
            guard let view = inputs.openClawView, view.bool("tools.elevated.enabled") != false,
                !(view.value.at("tools.elevated.allowFrom")?.objectValue ?? [:]).isEmpty
                    || view.bool("tools.elevated.enabled") == true
            else { return [] }
            return view.openChannels.filter { $0.path.hasSuffix("groupPolicy") }.map {
                view.config.hit(
                    "\($0.path)=\"open\" while tools.elevated is enabled: a group message can reach host-elevated exec.",
                    at: $0.path)
            }
        },
        Check(
            "security.exposure.open_channels_with_exec", .warn, .channels, source: .openclaw, openClawId: true,
            title: "Open channels can reach exec-enabled agents",
            remediation: "Lock down DMs/groups (pairing/allowlist), then set exec to allowlist mode or deny exec."
        ) { inputs in
            guard let view = inputs.openClawView, !view.openChannels.isEmpty else { return [] }
            let denied = (view.value.at("tools.deny")?.stringList ?? []).contains {
                $0 == "exec" || $0 == "group:runtime"
            }
            let execMode = view.string("tools.exec.mode") ?? view.string("tools.exec.security")
            guard !denied, execMode != "deny" else { return [] }
            let severity: Severity = view.execFullPaths.isEmpty ? .warn : .critical
            return view.openChannels.map {
                view.config.hit(
                    "\($0.path)=\"open\" and exec is available (mode \(execMode ?? "default")).", at: $0.path,
                    severity: severity)
            }
        },
        Check(
            "clawguard.channels.allowfrom_store_wildcard", .critical, .channels, source: .openclaw,
            title: "Pairing allowFrom store approves everyone",
            remediation: "Remove \"*\" from the credentials/<channel>-allowFrom.json store."
        ) { inputs in
            inputs.allowFromStores.compactMap { document in
                let list = (document.value["allowFrom"] ?? document.value).stringList
                guard list.contains("*") else { return nil }
                return document.hit("\((document.path as NSString).lastPathComponent) contains \"*\".", at: "allowFrom")
            }
        },
    ]
}
