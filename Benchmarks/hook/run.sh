#!/usr/bin/env bash
# Hook latency side by side: a shell hook that only reads stdin, a comparable Python hook, and clawguard (the
# slim front `clawguard`, which answers hooks without starting `clawguard-full`).
# Usage: Benchmarks/hook/run.sh [CLAWGUARD_BINARY]   (default: a static release build, built if missing)
#   BASELINE=/path/to/older/clawguard   adds that binary's hook as one more row (before/after in one run)
#   RUNS=300 (default)
# The state database is shared by all runs, as in an agent's session: its WAL must stay small (StateStore.keepWALSmall;
# before, every hook re-read a WAL that grew by every call — the figures then depended on how many runs came before).
# Prints hyperfine's table, the median and user+sys per command, then CPU time per hook with `perf stat` if present.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${1:-.build/release/clawguard}"
if [ ! -x "$bin" ]; then
    swift build -c release --static-swift-stdlib --product clawguard
    swift build -c release --product clawguard-full   # not static: FoundationNetworking needs a static libcurl
fi
runs="${RUNS:-300}"
work=$(mktemp -d)
cp Benchmarks/hook/shell-hook.sh Benchmarks/hook/py-hook.py Benchmarks/hook/in.json "$work/"
sed 's/^default_profile: eval/loop_detection: {enabled: false}\ndefault_profile: eval/' Tests/Eval/policy.yaml > "$work/bench-policy.yaml"
bin=$(realpath "$bin")
cd "$work"
sed -i "s#\"cwd\":\"[^\"]*\"#\"cwd\":\"$work\"#" in.json
commands=(-n "shell hook (reads stdin)" "./shell-hook.sh < in.json"
          -n "python hook" "python3 py-hook.py < in.json"
          -n "clawguard hook claude" "$bin hook claude --policy $work/bench-policy.yaml --state $work/state.db < in.json"
          -n "clawguard --version" "$bin --version")
if [ -n "${BASELINE:-}" ]; then
    base=$(realpath "$BASELINE")
    commands+=(-n "baseline hook claude ($BASELINE)" "$base hook claude --policy $work/bench-policy.yaml --state $work/base-state.db < in.json"
               -n "baseline --version" "$base --version")
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine --warmup 10 --runs "$runs" --export-markdown hook.md --export-json hook.json "${commands[@]}"
cat hook.md
# CPU time (user + system) is the steadier figure on a shared machine.
python3 - <<'PY'
import json
for r in json.load(open("hook.json"))["results"]:
    times = sorted(r["times"])
    print(f'{r["command"][:60]:60} median {1000*times[len(times)//2]:6.2f} ms   user+sys {1000*(r["user"]+r["system"]):6.2f} ms')
PY
# CPU per process (task-clock, the steadier figure on a loaded machine; `sh -c exec` adds about 1 ms).
if command -v perf >/dev/null; then
    cpu() { perf stat -r "${PERF_RUNS:-100}" -e task-clock -- sh -c "exec $1" 2>&1 >/dev/null | awk -v n="$2" '/task-clock/ {printf "%-60s task-clock %s ms\n", n, $1}'; }
    cpu "$bin hook claude --policy $work/bench-policy.yaml --state $work/state.db < in.json" "clawguard hook claude"
    [ -n "${BASELINE:-}" ] && cpu "$base hook claude --policy $work/bench-policy.yaml --state $work/base-state.db < in.json" "baseline hook claude"
    cpu "./shell-hook.sh < in.json" "shell hook"
    for b in "$bin" ${BASELINE:+"$base"}; do
        echo "WAL after the runs ($b): $(stat -c %s "$work/$([ "$b" = "$bin" ] && echo state || echo base-state).db-wal" 2>/dev/null || echo 0) bytes"
    done
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
