#!/usr/bin/env bash
# The worker API through the real CLI: `clawguard serve --worker-runs …` started as a process, a run posted with
# curl, the real Claude Code CLI inside `clawguard run` against the Messages API stub (a test host in its own
# network namespace, as in 45-agent-in-sandbox.sh), the result read back over HTTP. Bounded: 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
bin=$(realpath "${CLAWGUARD_BIN:-.build/debug/clawguard}")
claude=$(readlink -f .build/agents/bin/claude 2>/dev/null || true)
[ -x "$claude" ] || { echo "47-worker-serve: Claude Code CLI not found (scripts/setup.d/30-agents.sh)" >&2; exit 1; }
command -v ip >/dev/null || { echo "47-worker-serve: iproute2 (ip) is missing" >&2; exit 1; }
command -v curl >/dev/null || { echo "47-worker-serve: curl is missing" >&2; exit 1; }

work=$(mktemp -d)
ns="cgwsrv$$"
veth="cgws$$"
stub_pid=""
serve_pid=""
cleanup() {
    [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
    # SIGTERM: `timeout` passes it on to the stub (SIGKILL would orphan the stub).
    [ -n "$stub_pid" ] && { kill "$stub_pid"; wait "$stub_pid"; } 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
    ip link del "$veth" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

. scripts/lib/stub-host.sh
stub_host_up "$ns" "$veth" 10.234.0

cat > "$work/script.json" <<'JSON'
[
  {"tool_use": {"name": "Bash", "input": {"command": "echo hello-from-serve > out.txt", "description": "write"}}},
  {"tool_use": {"name": "Bash", "input": {"command": "ls -a /home/sandbox/.clawguard-run", "description": "look"}}},
  {"tool_use": {"name": "Bash", "input": {"command": "rm -rf /home/sandbox/.clawguard-run/gateway", "description": "danger"}}},
  {"text": "served and done"}
]
JSON
ip netns exec "$ns" timeout 170 python3 "$repo/Tests/E2E/messages_stub.py" --script "$work/script.json" --log "$work/requests.jsonl" \
    --host 10.234.0.2 --port 8080 --port-file "$work/stub-port" > "$work/stub.log" 2>&1 &
stub_pid=$!
for _ in $(seq 50); do [ -s "$work/stub-port" ] && break; sleep 0.1; done
cat > "$work/policy.yaml" <<'YAML'
version: 1
default_profile: e2e
profiles:
  e2e:
    extends: builder
    sandbox: {network: allowlist, timeout: 120s}
    network:
      allow: ["10.234.0.2"]
      allow_ports: [8080]
    permissions:
      allow: ["Bash(echo *)", "Bash(ls *)"]
      deny: ["Bash(rm -rf *)"]
    # The gateway decides with paths as the agent sees them in the sandbox, but resolves the profile's "." against
    # its own directory: a gateway that runs workers names the sandbox's workspace (docs/WORKER.md, Isolation).
    additional_directories: ["//workspace"]
    filesystem: {write: ["//workspace"], read: ["//home/sandbox/.clawguard-run"]}
    budgets: {session_usd: 2}
YAML

timeout 170 "$bin" serve --port 0 --state "$work/state/state.db" --policy "$work/policy.yaml" \
    --worker-runs "$work/runs" --worker-agent "$claude" --worker-env ANTHROPIC_BASE_URL=http://10.234.0.2:8080 \
    --worker-env ANTHROPIC_API_KEY=test --worker-env CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 > "$work/serve.out" 2> "$work/serve.err" &
serve_pid=$!
fail() { echo "47-worker-serve: FAIL: $*" >&2; cat "$work/serve.out" "$work/serve.err" >&2; exit 1; }
for _ in $(seq 100); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/serve.out" | head -1)
token=$(grep -o 'cgt_[A-Za-z0-9_]*' "$work/serve.out" | head -1)
[ -n "$url" ] && [ -n "$token" ] || fail "the server did not start"

run=$(curl -sS -X POST "$url/v1/runs" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d '{"prompt": "write hello into out.txt", "profile": "e2e", "budget_usd": 1, "timeout": 120}')
id=$(printf '%s' "$run" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])') || fail "POST /v1/runs: $run"
status=""
for _ in $(seq 600); do
    got=$(curl -sS "$url/v1/runs/$id" -H "Authorization: Bearer $token")
    status=$(printf '%s' "$got" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
    case "$status" in queued|running) sleep 0.2 ;; *) break ;; esac
done
[ "$status" = completed ] || fail "the run ended $status: $got"
[ "$(cat "$work/runs/$id/workspace/out.txt" 2>/dev/null)" = "hello-from-serve" ] || fail "the agent's file is not in the run's workspace"
printf '%s' "$got" | grep -q '"result":"served and done"' || fail "no result: $got"
curl -sS "$url/v1/runs/$id/events" -H "Authorization: Bearer $token" > "$work/events.txt"
grep -q '^event: decision' "$work/events.txt" || fail "no ClawGuard decision in the run's events"
grep -q '^event: end' "$work/events.txt" || fail "the event stream did not end with the run"
# Isolation (docs/WORKER.md): the hook decided through the gateway's unix socket with a per-run token, and the
# sandbox did not see the state directory.
grep -q '"--server"\|--server unix:' "$work/runs/$id/settings.json" || fail "the run's hook does not ask the gateway: $(cat "$work/runs/$id/settings.json")"
grep -q -- '--state' "$work/runs/$id/settings.json" && fail "the run's hook still opens the state database"
# The agent's `ls -a` of its run directory inside the sandbox, as its tool result reached the stub.
python3 - "$work/requests.jsonl" > "$work/listing.txt" <<'PY' || fail "no tool result of the agent's ls"
import json, sys
for line in open(sys.argv[1]):
    body = json.loads(line).get("body") or {}
    for message in body.get("messages") or []:
        for block in message.get("content") if isinstance(message.get("content"), list) else []:
            if block.get("type") == "tool_result" and "settings.json" in json.dumps(block.get("content")):
                content = block["content"]
                text = content if isinstance(content, str) else "".join(c.get("text", "") for c in content)
                print(text)
                sys.exit(0)
sys.exit(1)
PY
grep -qx 'gateway-token' "$work/listing.txt" || fail "no gateway token in the sandbox: $(cat "$work/listing.txt")"
grep -qx 'gateway' "$work/listing.txt" || fail "no socket directory in the sandbox: $(cat "$work/listing.txt")"
grep -qx 'state' "$work/listing.txt" && fail "the state directory is visible in the sandbox: $(cat "$work/listing.txt")"
[ -S "$work/runs/.gateway/gateway.sock" ] || fail "the gateway's unix socket is missing"
[ "$(stat -c %a "$work/runs/.gateway")" = 700 ] || fail "the socket directory is not 0700"
session=$(printf '%s' "$got" | python3 -c 'import json,sys; print(json.load(sys.stdin)["session"])')
curl -sS "$url/v1/audit?session=$session&type=tool_blocked" -H "Authorization: Bearer $token" > "$work/blocked.json"
grep -q 'rm -rf' "$work/blocked.json" || fail "the dangerous call is not in the gateway's audit as blocked for session $session: $(cat "$work/blocked.json")"
grep -q 'ClawGuard' "$work/requests.jsonl" || fail "the agent did not get ClawGuard's denial as its tool result"
# The run's token (scope chat) was revoked when the run ended.
"$bin" token list --json --state "$work/state/state.db" > "$work/tokens.json" || fail "clawguard token list failed"
run_token=$(python3 -c 'import json,sys
t=[r for r in json.load(open(sys.argv[1])) if r["name"]=="worker-run-"+sys.argv[2]]
print(",".join(sorted(r["status"] if "status" in r else ("revoked" if r.get("revoked_at") else "active") for r in t)), ";".join(",".join(r["scopes"]) for r in t))' "$work/tokens.json" "$id")
case "$run_token" in "revoked chat"|"revoked,revoked chat;chat") ;; *) fail "the run's token is not revoked or not chat-only: $run_token";; esac
echo "47-worker-serve: clawguard serve ran a worker run end to end (run $id completed, $(grep -c '^event:' "$work/events.txt") events)"
