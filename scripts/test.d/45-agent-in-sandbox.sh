#!/usr/bin/env bash
# The whole agent inside the sandbox: the real Claude Code CLI runs under `clawguard run --profile …` (a profile
# extending the built-in builder), talks to the Messages API stub only through the egress proxy, and its tool
# calls run inside the sandbox. The stub is a test host in its own network namespace (a veth pair made here and
# removed at the end; Claude Code and curl never send loopback traffic through a proxy, so the stub cannot be on
# 127.0.0.1). Checks: the task's file lands in the workspace, an unlisted host is refused, both connections are in
# the audit trail and it verifies. (The escape battery covers the host's secrets.) Bounded: 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
bin=${CLAWGUARD_BIN:-.build/debug/clawguard}
bin=$(realpath "$bin")
claude=$(readlink -f .build/agents/bin/claude 2>/dev/null || true)
[ -x "$claude" ] || claude=$(python3 -c 'import claude_agent_sdk, os; print(os.path.join(os.path.dirname(claude_agent_sdk.__file__), "_bundled", "claude"))')
[ -x "$claude" ] || { echo "45-agent-in-sandbox: Claude Code CLI not found (scripts/setup.d/30-agents.sh)" >&2; exit 1; }
command -v ip >/dev/null || { echo "45-agent-in-sandbox: iproute2 (ip) is missing" >&2; exit 1; }

work=$(mktemp -d)
ns="cgstub$$"
veth="cgv$$"
stub_pid=""
cleanup() {
    [ -n "$stub_pid" ] && kill "$stub_pid" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
    ip link del "$veth" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

. scripts/lib/stub-host.sh
stub_host_up "$ns" "$veth" 10.231.0

mkdir -p "$work/workspace"
cat > "$work/script.json" <<'JSON'
[
  {"tool_use": {"name": "Bash", "input": {"command": "echo hello-from-sandbox > /workspace/out.txt", "description": "write"}}},
  {"tool_use": {"name": "Bash", "input": {"command": "curl -s -m 5 -o /dev/null https://example.com/; echo $? > /workspace/curl.txt; true", "description": "probe"}}},
  {"text": "done"}
]
JSON
ip netns exec "$ns" timeout 170 python3 "$repo/Tests/E2E/messages_stub.py" --script "$work/script.json" --log "$work/requests.jsonl" \
    --host 10.231.0.2 --port 0 --port-file "$work/port" > "$work/stub.log" 2>&1 &
stub_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
cat > "$work/policy.yaml" <<YAML
version: 1
default_profile: agent
profiles:
  agent:
    extends: builder
    sandbox: {network: allowlist, timeout: 120s, memory: 2G, pids: 512}
    network:
      allow: ["10.231.0.2"]
      allow_ports: [$port]
YAML
echo '{"permissions": {"allow": ["Bash"]}}' > "$work/settings.json"

status=0
timeout 170 "$bin" run --policy "$work/policy.yaml" --profile agent --workspace "$work/workspace" --tmp-exec \
    --ro-bind "$claude:/home/sandbox/claude" --ro-bind "$work/settings.json:/home/sandbox/settings.json" \
    --state "$work/state.db" --env "ANTHROPIC_BASE_URL=http://10.231.0.2:$port" --env ANTHROPIC_API_KEY=test \
    --env CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 \
    -- /home/sandbox/claude -p "do the task" --settings /home/sandbox/settings.json --output-format json \
    > "$work/claude.json" 2> "$work/run.err" || status=$?

fail() { echo "45-agent-in-sandbox: FAIL: $*" >&2; cat "$work/run.err" >&2; tail -c 2000 "$work/claude.json" >&2; exit 1; }
[ "$status" = 0 ] || fail "clawguard run exited $status"
[ "$(cat "$work/workspace/out.txt" 2>/dev/null)" = "hello-from-sandbox" ] || fail "the agent's file is not in the workspace"
[ "$(cat "$work/workspace/curl.txt" 2>/dev/null)" != "0" ] || fail "curl reached an unlisted host"
requests=$(grep -c . "$work/requests.jsonl")
[ "$requests" -ge 3 ] || fail "the stub saw $requests requests"
"$bin" log export --state "$work/state.db" > "$work/audit.jsonl"
grep -q '"type":"network_connection"' "$work/audit.jsonl" || fail "no allowed connection in the audit trail"
grep -q 'example.com' "$work/audit.jsonl" || fail "the refused connection is not in the audit trail"
"$bin" log verify --state "$work/state.db" > /dev/null || fail "the audit trail does not verify"
echo "45-agent-in-sandbox: Claude Code ran inside the sandbox: $requests API requests through the proxy, the task's file written, example.com refused and recorded"
