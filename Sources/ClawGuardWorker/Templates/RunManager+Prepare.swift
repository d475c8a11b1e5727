import ClawGuardCore
import ClawGuardStore
import Foundation

extension RunManager {
    /// Writes the run's files and builds its command line from the template.
    /// - Returns: the argument vector (executable first).
    /// - Parameter gatewayTokenID: set to the id of the token issued for this phase (with `configuration.gateway`);
    ///   the caller revokes it when the phase ends.
    func prepare(_ row: RunRow, layout: RunLayout, explore: Bool, prompt: String, gatewayTokenID: inout String?) throws -> [String] {
        try layout.create()
        try layout.writeRunPolicy(profile: row.profile, budgetUSD: row.budgetUSD)
        let base = RunLayout.sandboxBase
        let inSandbox = configuration.template.sandbox != nil
        let policies = configuration.policyPaths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let stateDirectory = (URL(fileURLWithPath: configuration.statePath).standardizedFileURL.path as NSString).deletingLastPathComponent
        let stateName = (configuration.statePath as NSString).lastPathComponent

        // Paths as the agent sees them.
        let seen: (agent: String, clawguard: String, settings: String, policies: [String], runPolicy: String, state: String)
        if inSandbox {
            seen = (base + "/agent", base + "/clawguard", base + "/settings.json",
                    policies.indices.map { "\(base)/policy-\($0).yaml" }, base + "/run-policy.yaml",
                    base + "/state/" + stateName)
        } else {
            seen = (configuration.agentPath, configuration.clawguardPath, layout.settings, policies, layout.runPolicy,
                    configuration.statePath)
        }
        let timeoutSeconds = row.timeoutSeconds + configuration.killGraceSeconds * 2
        let hook: [String]
        var gatewayBinds: [String] = []
        if let gateway = configuration.gateway {
            // Decided by the gateway over its unix socket with a token of this run: no state in the sandbox.
            let token = try gateway.issue(row.id, Date().addingTimeInterval(timeoutSeconds + 60))
            gatewayTokenID = token.id
            try layout.writeGatewayToken(token.secret)
            let socketDirectory = (gateway.socketPath as NSString).deletingLastPathComponent
            let socketName = (gateway.socketPath as NSString).lastPathComponent
            let socket = inSandbox ? base + "/gateway/" + socketName : gateway.socketPath
            let tokenFile = inSandbox ? base + "/gateway-token" : layout.gatewayToken
            // --server-wait 20: the hook's own deadline (20 s + 5 s watchdog) stays under the settings' 30 s hook
            // timeout, so a slow gateway or an unanswered approval ends as the hook's deny, not a killed hook.
            hook = [seen.clawguard, "hook", "claude", "--server", "unix:" + socket, "--token-file", tokenFile,
                    "--server-wait", "20", "--profile", row.profile]
            gatewayBinds = ["--ro-bind", "\(layout.gatewayToken):\(tokenFile)", "--ro-bind", "\(socketDirectory):\(base)/gateway"]
        } else {
            hook = [seen.clawguard, "hook", "claude"] + (seen.policies + [seen.runPolicy]).flatMap { ["--policy", $0] }
                + ["--profile", row.profile, "--state", seen.state]
        }
        try layout.writeSettings(hookCommand: hook.map(ShellQuote.quote).joined(separator: " "))

        let tools = explore ? configuration.exploreTools : configuration.allowedTools
        let values: [String: String] = [
            "clawguard": configuration.clawguardPath, "agent": seen.agent, "prompt": prompt,
            "budget_usd": String(row.budgetUSD), "allowed_tools": tools.joined(separator: ","),
            "settings": seen.settings, "session_id": row.session ?? "", "profile": row.profile,
            "workspace": layout.workspace, "state": configuration.statePath,
            "timeout_seconds": String(Int(timeoutSeconds.rounded(.up))),
        ]
        let agentCommand = CommandTemplate.expand(configuration.template.agent, values: values, lists: [:])
        guard let sandbox = configuration.template.sandbox else { return agentCommand }

        let realAgent = URL(fileURLWithPath: configuration.agentPath).resolvingSymlinksInPath().path
        let realClawguard = URL(fileURLWithPath: configuration.clawguardPath).resolvingSymlinksInPath().path
        var binds = ["--ro-bind", "\(realAgent):\(seen.agent)", "--ro-bind", "\(realClawguard):\(seen.clawguard)",
                     "--ro-bind", "\(layout.settings):\(seen.settings)", "--ro-bind", "\(layout.runPolicy):\(seen.runPolicy)"]
        // With the gateway, the state directory (database, audit trail, audit key) is not in the sandbox at all.
        binds += configuration.gateway == nil ? ["--bind", "\(stateDirectory):\(base)/state"] : gatewayBinds
        for (host, inside) in zip(policies, seen.policies) { binds += ["--ro-bind", "\(host):\(inside)"] }
        // The explore phase sees the workspace read-only: the sandbox, not only the policy, stops writes.
        let workspaceArgs = explore
            ? ["--no-workspace", "--ro-bind", "\(layout.workspace):/workspace", "--cwd", "/workspace"]
            : ["--workspace", layout.workspace]
        var environment = configuration.agentEnvironment
        environment["USER"] = row.user
        environment["CLAWGUARD_AGENT"] = "claude-code"
        let envArgs = environment.sorted { $0.key < $1.key }.flatMap { ["--env", "\($0.key)=\($0.value)"] }
        // `clawguard run` layers the same files as the hook: every configured one and the run's own layer.
        let policyArgs = (policies + [layout.runPolicy]).flatMap { ["--policy", $0] }
        var lists: [String: [String]] = [
            "policy_args": policyArgs, "bind_args": binds, "env_args": envArgs, "agent_command": agentCommand,
        ]
        // `--workspace {workspace}` in the template becomes the read-only form for the explore phase.
        var template = sandbox
        if let i = template.firstIndex(of: "--workspace"), i + 1 < template.count, template[i + 1] == "{workspace}" {
            template.replaceSubrange(i...(i + 1), with: ["{workspace_args}"])
            lists["workspace_args"] = workspaceArgs
        }
        return CommandTemplate.expand(template, values: values, lists: lists)
    }
}
