#!/usr/bin/env bash
# Gateway-decided hook latency: `clawguard hook claude --server unix:SOCKET` (how `clawguard serve --worker-runs`
# wires every tool call of a worker run, docs/WORKER.md) against a running `clawguard serve` on a unix socket.
# Rows: the slim front answering in-process (RemoteHook), `clawguard-full` answering the same line (what the front
# exec'd before), optionally an older front (BASELINE_DIR), and the local hook for reference.
# Usage: Benchmarks/hook/server.sh [BIN_DIR]   (default .build/release: the static release front and clawguard-full, built if missing)
#   BASELINE_DIR=/dir   a directory with an older `clawguard` (and the `clawguard-full` it execs): before/after rows
#   RUNS=200 (hyperfine), PERF_RUNS=100 (perf stat)
# hyperfine runs each line through a shell (its figures include it). CPU per hook is the client process only (perf stat -e task-clock, incl. `sh -c exec` ≈ 1 ms); the server's CPU
# is not in it. The machine's load average is printed before and after: on a loaded machine wall times mislead.
set -euo pipefail
cd "$(dirname "$0")/../.."
bins="${1:-.build/release}"
if [ ! -x "$bins/clawguard" ] || [ ! -x "$bins/clawguard-full" ]; then
    swift build -c release --static-swift-stdlib --product clawguard
    swift build -c release --product clawguard-full  # static linking fails: FoundationNetworking needs libcurl.a
fi
command -v hyperfine >/dev/null || { echo "server.sh: hyperfine is missing (apt-get install -y hyperfine)" >&2; exit 1; }
bins=$(realpath "$bins")
runs="${RUNS:-200}"
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cp Benchmarks/hook/in.json "$work/"
# The evaluation policy with loop detection off (the same call is repeated), as Benchmarks/hook/run.sh.
sed 's/^default_profile: eval/loop_detection: {enabled: false}\ndefault_profile: eval/' Tests/Eval/policy.yaml > "$work/bench-policy.yaml"
sed -i "s#\"cwd\":\"[^\"]*\"#\"cwd\":\"$work\"#" "$work/in.json"
socket="$work/gw/gateway.sock"
"$bins/clawguard-full" serve --host 127.0.0.1 --port 0 --state "$work/gateway.db" --policy "$work/bench-policy.yaml" \
    --unix-socket "$socket" --rate-limit 0 > "$work/serve.out" 2> "$work/serve.err" &
server=$!
for _ in $(seq 1 200); do grep -q "listening on unix:" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
grep -q "listening on unix:" "$work/serve.out" || { cat "$work/serve.err" >&2; exit 1; }
grep -o 'cgt_[0-9a-f]*_[0-9a-f]*' "$work/serve.out" | head -1 > "$work/token"
chmod 600 "$work/token"
hook="hook claude --server unix:$socket --token-file $work/token"
# Sanity: the front answers (allow) through the gateway.
"$bins/clawguard" $hook < "$work/in.json" | grep -q '"permissionDecision":"allow"' \
    || { echo "server.sh: the gateway-decided hook did not answer allow" >&2; "$bins/clawguard" $hook < "$work/in.json"; exit 1; }
names=("front, in-process (after)" "clawguard-full (the exec'd path)")
lines=("$bins/clawguard $hook < $work/in.json" "$bins/clawguard-full $hook < $work/in.json")
if [ -n "${BASELINE_DIR:-}" ]; then
    names+=("baseline front ($BASELINE_DIR)")
    lines+=("$(realpath "$BASELINE_DIR")/clawguard $hook < $work/in.json")
fi
names+=("local hook (reference)")
lines+=("$bins/clawguard hook claude --policy $work/bench-policy.yaml --state $work/local.db < $work/in.json")
commands=()
for i in "${!names[@]}"; do commands+=(-n "${names[$i]}" "${lines[$i]}"); done
echo "cores: $(nproc)  load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine --warmup 5 --runs "$runs" --export-json "$work/hook.json" "${commands[@]}" 2>&1 | grep -vE "^\s*$" || true
python3 - "$work/hook.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    times = sorted(r["times"])
    print(f'{r["command"][:45]:45} median {1000*times[len(times)//2]:7.2f} ms   user+sys {1000*(r["user"]+r["system"]):6.2f} ms')
PY
if command -v perf >/dev/null; then
    for i in "${!names[@]}"; do
        perf stat -r "${PERF_RUNS:-100}" -e task-clock -- sh -c "exec ${lines[$i]}" 2>&1 >/dev/null \
            | awk -v n="${names[$i]}" '/task-clock/ {printf "%-45s CPU (task-clock) %s ms\n", n, $1}'
    done
else
    echo "perf is missing: no CPU figures (apt-get install -y linux-perf)"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
kill -TERM "$server"; wait "$server" || true; server=""
