/// The commented starter policy `clawguard init` writes.
public enum PolicyTemplate {
    /// A starter policy whose one profile, `project`, extends the built-in `base` profile.
    /// - Throws: `ClawGuardError(.invalidPolicy)` when `base` is not a built-in profile.
    public static func starter(extending base: String = "builder") throws(ClawGuardError) -> String {
        guard BuiltinProfiles.names.contains(base) else {
            throw ClawGuardError(
                .invalidPolicy, "unknown built-in profile '\(base)'; choose one of: \(BuiltinProfiles.names.joined(separator: ", "))")
        }
        return """
            # ClawGuard policy (reference: docs/POLICY.md). Check it with: clawguard policy validate
            #
            # Rules use Claude Code's permission syntax: Tool, Tool(specifier), Bash(npm run test:*),
            # Bash(git diff *), Read(./.env), Edit(//etc/**), WebFetch(domain:example.com), mcp__server__tool.
            # Evaluation is deny > ask > allow whatever the order, and across every file ClawGuard layers:
            # a deny anywhere wins. Credentials, agent configuration and persistence points (~/.ssh, .env,
            # ~/.bashrc, .git/hooks, this file…) are protected by built-in rules no allow opens by accident.
            version: 1
            default_profile: project

            # Settings here are shared by every profile below.
            network:
              allow_ports: [443]
              # Private, loopback, link-local and metadata addresses (169.254.169.254) stay denied
              # unless an entry names them.

            scanners:
              secrets: true
              injection: true
              pii: false
              post_tool_use: warn   # or: block

            # budgets:
            #   session_usd: 5
            #   daily_usd_per_user: 50
            #   warn_at: 80
            # limits:
            #   per_session: { per_minute: 60, per_hour: 600 }
            # loop_detection: { repeat: 3, window: 5, action: ask }
            # time_windows:
            #   time_zone: Europe/Berlin
            #   allowed: [{ days: [mon-fri], from: "08:00", to: "19:00" }]
            #   outside: deny
            # session_timeout: 2h
            # shadow: false          # true: log decisions without blocking
            # sandbox: { memory: 2G, pids: 512, tmp_size: 100M, tmp_noexec: true, network: none, timeout: 10m }

            profiles:
              project:
                description: This project's agent, starting from the built-in '\(base)' profile.
                extends: \(base)
                mode: default          # default | acceptEdits | plan | dontAsk | bypassPermissions
                permissions:
                  allow:
                    - Bash(npm run test:*)
                    - Bash(git diff *)
                  ask:
                    - Bash(git push *)
                  deny:
                    - Bash(curl *)
                    - Bash(wget *)
                    - Read(./secrets/**)
                    - Edit(//etc/**)
                filesystem:
                  read: ["."]
                  deny: ["./secrets"]
                network:
                  allow: [github.com, "*.github.com"]

            # Alerts (docs/MONITORING.md): evaluated by `clawguard serve` / `clawguard alerts run`, checked once
            # with `clawguard alerts check`, exported with `clawguard alerts export-prometheus`.
            alerts:
              - name: high_api_cost
                metric: cost
                threshold: 5 USD/hour
                action: page_on_call
              - name: elevated_bash_usage
                metric: commands
                threshold: 50 commands/session
                action: notify_security_team
              - name: permission_bypass_attempt
                metric: permission_bypass     # protected-path writes, privilege escalation, obfuscated commands
                threshold: 1 occurrence
                action: terminate_session
            actions:
              page_on_call:
                type: pagerduty
                routing_key_env: CLAWGUARD_PAGERDUTY_KEY   # the environment variable holding the routing key
                severity: critical
              notify_security_team:
                type: syslog
                facility: auth
                tag: clawguard-alert
              # A Slack-compatible webhook instead:
              # notify_security_team:
              #   type: webhook
              #   url: https://hooks.slack.com/services/...
              # Alertmanager:
              # alertmanager:
              #   type: alertmanager
              #   url: http://127.0.0.1:9093

            """
    }
}
