#!/usr/bin/env bash
# Load test of `clawguard serve`'s POST /v1/decide with wrk (scripts/setup.d/65-gateway.sh installs it), on
# loopback only, every phase bounded in time:
#   0. the HTTP floor: wrk on GET /health (no token, no store) for $FLOOR_S seconds (0 skips it);
#   1. maximum throughput: wrk -t2 -c$CONNS for $MAX_S seconds;
#   2. latency at a fixed ~1,000 req/s: wrk with 10 connections, each waiting 8 ms between requests (PACE_MS=8);
#   3. a long run at the fixed rate for $LONG_S seconds (default 600; 0 skips it), RSS before and after.
# Usage: Benchmarks/gateway/load.sh [--quick]     (release build: swift build -c release --product clawguard-full)
# The final figures of docs/BENCHMARKS.md ("Gateway") are one run of this script without --quick (about 11 minutes).
set -euo pipefail
cd "$(dirname "$0")/../.."
# `serve` lives in clawguard-full (the slim `clawguard` front executes it); use it directly when it is built.
default_bin=.build/release/clawguard
[ -x .build/release/clawguard-full ] && default_bin=.build/release/clawguard-full
bin=${CLAWGUARD_BIN:-$default_bin}
FLOOR_S=${FLOOR_S:-5}
MAX_S=${MAX_S:-15}
FIXED_S=${FIXED_S:-30}
LONG_S=${LONG_S:-600}
CONNS=${CONNS:-16}
PORT=${PORT:-18900}
if [ "${1:-}" = "--quick" ]; then MAX_S=5; FIXED_S=5; LONG_S=0; fi
command -v wrk >/dev/null || { echo "load.sh: wrk is missing (bash scripts/setup.d/65-gateway.sh)" >&2; exit 1; }
[ -x "$bin" ] || { echo "load.sh: $bin is not built (swift build -c release --product clawguard-full)" >&2; exit 1; }
dir=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
cat > "$dir/policy.yaml" <<'YAML'
version: 1
permissions:
  allow: ["Bash(echo *)"]
  ask: ["Bash(git push *)"]
YAML
# The per-token rate limit is off for the load test (it would be the bottleneck by design).
"$bin" serve --host 127.0.0.1 --port "$PORT" --state "$dir/state.db" --policy "$dir/policy.yaml" --rate-limit 0 \
    > "$dir/serve.out" 2> "$dir/serve.err" &
server=$!
for _ in $(seq 1 100); do grep -q "listening on" "$dir/serve.out" 2>/dev/null && break; sleep 0.1; done
grep -q "listening on" "$dir/serve.out" || { cat "$dir/serve.err" >&2; exit 1; }
export CLAWGUARD_TOKEN
CLAWGUARD_TOKEN=$(grep -o 'cgt_[0-9a-f]*_[0-9a-f]*' "$dir/serve.out" | head -1)
url="http://127.0.0.1:$PORT"
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$server/status"; }
# Sanity: one decision answers allow.
curl -fsS -H "Authorization: Bearer $CLAWGUARD_TOKEN" -d '{"tool":"Bash","input":{"command":"echo hi"},"cwd":"/tmp"}' "$url/v1/decide" | grep -q '"decision":"allow"'
echo "cores: $(nproc)  machine load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "RSS at start: $(rss)"

if [ "$FLOOR_S" -gt 0 ]; then
    echo "== 0. HTTP floor: GET /health (no token, no store), wrk -t2 -c$CONNS -d${FLOOR_S}s"
    wrk -t2 -c"$CONNS" -d"${FLOOR_S}s" "$url/health" | grep -E "Requests/sec|Non-2xx|Socket errors"
fi

echo "== 1. maximum throughput: wrk -t2 -c$CONNS -d${MAX_S}s"
wrk -t2 -c"$CONNS" -d"${MAX_S}s" --timeout 10s -s Benchmarks/gateway/decide.lua "$url/v1/decide" | grep -E "RESULT|Requests/sec|Non-2xx|Socket errors"

echo "== 2. latency at a fixed rate: 10 connections x 1 request every 8 ms + latency (~1,000 req/s), ${FIXED_S}s"
PACE_MS=8 wrk -t2 -c10 -d"${FIXED_S}s" --timeout 10s -s Benchmarks/gateway/decide.lua "$url/v1/decide" | grep -E "RESULT|Non-2xx|Socket errors"

if [ "$LONG_S" -gt 0 ]; then
    echo "== 3. long run at the fixed rate: ${LONG_S}s"
    before=$(rss)
    PACE_MS=8 wrk -t2 -c10 -d"${LONG_S}s" --timeout 10s -s Benchmarks/gateway/decide.lua "$url/v1/decide" | grep -E "RESULT|Non-2xx|Socket errors"
    echo "RSS before the long run: $before, after: $(rss)"
fi
echo "machine load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "state database: $(du -h "$dir/state.db" | cut -f1) (+ WAL $(du -h "$dir/state.db-wal" 2>/dev/null | cut -f1))"
# The server shuts down gracefully on SIGTERM.
kill -TERM "$server"; wait "$server" || true; server=""
echo "server stopped"
