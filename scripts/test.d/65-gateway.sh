#!/usr/bin/env bash
# `clawguard serve` as an operator runs it: first start prints an admin token once (not on the second start), a
# non-loopback bind without --allow-remote is refused, tokens created and revoked by the CLI (another process)
# work against the running server, /metrics answers, SIGTERM shuts down gracefully (exit 0).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${CLAWGUARD_BIN:-.build/debug/clawguard}
[ -x "$bin" ] || { echo "65-gateway: $bin not built (run swift build)" >&2; exit 1; }
command -v curl >/dev/null || { echo "65-gateway: curl is missing (scripts/setup.d/65-gateway.sh)" >&2; exit 1; }
dir=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
fail() { echo "65-gateway: FAIL: $*" >&2; exit 1; }
port=$((20000 + RANDOM % 20000))
printf 'version: 1\npermissions:\n  allow: ["Bash(echo *)"]\n  ask: ["Bash(git push *)"]\n' > "$dir/policy.yaml"

if "$bin" serve --host 0.0.0.0 --port "$port" --state "$dir/state.db" --policy "$dir/policy.yaml" > "$dir/remote.out" 2>&1; then
    fail "binding 0.0.0.0 without --allow-remote was accepted"
fi
grep -q "allow-remote" "$dir/remote.out" || fail "the refusal does not name --allow-remote"

start() {
    "$bin" serve --port "$port" --state "$dir/state.db" --policy "$dir/policy.yaml" > "$dir/serve.$1.out" 2> "$dir/serve.$1.err" &
    server=$!
    for _ in $(seq 1 150); do grep -q "listening on" "$dir/serve.$1.out" 2>/dev/null && return 0; sleep 0.1; done
    cat "$dir/serve.$1.err" >&2; fail "server did not start"
}
start 1
admin=$(grep -o 'cgt_[0-9a-f]*_[0-9a-f]*' "$dir/serve.1.out" | head -1)
[ -n "$admin" ] || fail "no admin token printed on first start"
url="http://127.0.0.1:$port"
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
[ "$(code "$url/health")" = 200 ] || fail "/health"
[ "$(code "$url/v1/sessions")" = 401 ] || fail "/v1/sessions without a token"
[ "$(code -H "Authorization: Bearer $admin" "$url/ready")" = 200 ] || fail "/ready"
chat=$("$bin" token create --state "$dir/state.db" --name agent --scopes chat 2>/dev/null)
[ "$(code -H "Authorization: Bearer $chat" -d '{"tool":"Bash","input":{"command":"echo hi"},"cwd":"/tmp"}' "$url/v1/decide")" = 200 ] || fail "decide with a fresh CLI token"
[ "$(code -H "Authorization: Bearer $chat" "$url/v1/sessions")" = 403 ] || fail "chat token on /v1/sessions"
"$bin" token revoke --state "$dir/state.db" agent > /dev/null
sleep 1.2
[ "$(code -H "Authorization: Bearer $chat" -d '{"tool":"Bash","input":{"command":"echo hi"},"cwd":"/tmp"}' "$url/v1/decide")" = 401 ] || fail "revoked token still accepted"
"$bin" token list --state "$dir/state.db" | grep -q "agent.*revoked" || fail "token list does not show the revocation"
curl -fsS -H "Authorization: Bearer $admin" "$url/metrics" | grep -q "clawguard_decision_latency_seconds_count [1-9]" || fail "/metrics"
kill -TERM "$server"
rc=0; wait "$server" || rc=$?
server=""
[ "$rc" = 0 ] || fail "graceful shutdown exited $rc"
start 2
if grep -q 'cgt_' "$dir/serve.2.out"; then fail "a token was printed on the second start"; fi
kill -TERM "$server"; wait "$server" || true; server=""
echo "65-gateway: 10 passed, 0 failed"
