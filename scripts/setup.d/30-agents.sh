#!/usr/bin/env bash
# Real agents for the end-to-end tests, and a real rsyslog for syslog forwarding tests. Idempotent.
#  - claude-agent-sdk (PyPI) ships the Claude Code CLI at claude_agent_sdk/_bundled/claude; we link it to
#    .build/agents/bin/claude so tests find it at one path.
#  - rsyslog (Debian): the audit trail's syslog forwarder is tested against a private rsyslogd.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! python3 -c 'import claude_agent_sdk' >/dev/null 2>&1; then
    python3 -m pip install --quiet --disable-pip-version-check claude-agent-sdk
fi
claude_path=$(python3 -c 'import claude_agent_sdk, os; print(os.path.join(os.path.dirname(claude_agent_sdk.__file__), "_bundled", "claude"))')
if [ ! -x "$claude_path" ]; then
    echo "30-agents: claude-agent-sdk is installed but has no bundled claude binary at $claude_path" >&2
    exit 1
fi
mkdir -p .build/agents/bin
ln -sfn "$claude_path" .build/agents/bin/claude
echo "30-agents: claude CLI at .build/agents/bin/claude -> $claude_path ($("$claude_path" --version 2>/dev/null || echo 'version unknown'))"

need=()
for pkg in rsyslog; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
echo "30-agents: rsyslogd at $(command -v rsyslogd || echo /usr/sbin/rsyslogd)"
