#!/usr/bin/env bash
# Start-up overhead of `clawguard run -- /bin/true` against bubblewrap with equivalent isolation, side by
# side in one hyperfine run. Usage: Benchmarks/sandbox-bench.sh [--quick]
#   BASELINE=/path/to/older/clawguard   adds that binary's `run` as one more row (before/after in one run)
# Needs: bubblewrap, hyperfine (scripts/setup.d/40-sandbox.sh), a release build of clawguard.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=200; warmup=20
[ "${1:-}" = "--quick" ] && { runs=30; warmup=5; }
# Only the slim front is measured (it runs `run` and `--version` itself).
if [ ! -x .build/release/clawguard ]; then
    swift build -c release --static-swift-stdlib --product clawguard
fi
CG="$PWD/.build/release/clawguard"
WS="$(mktemp -d /tmp/clawguard-bench-ws-XXXXXX)"
trap 'rm -rf "$WS"' EXIT

# bubblewrap with the same isolation as clawguard's defaults: new user/mount/pid/net/ipc/uts namespaces,
# read-only system, merged-/usr links, fresh /proc, minimal /dev, tmpfs /tmp (noexec is not available in
# bwrap 0.8), /run and home, the workspace read-write, masked /etc secrets, no capabilities, new session,
# cleared environment. (bwrap's seccomp needs a precompiled filter on a file descriptor: not applied, so
# bubblewrap does slightly less work than clawguard here.)
BW=(bwrap --unshare-all --die-with-parent --new-session --cap-drop ALL --clearenv
    --setenv PATH /usr/bin:/bin --setenv HOME /home/sandbox
    --ro-bind /usr /usr --ro-bind /etc /etc --ro-bind /opt /opt)
for link in bin sbin lib lib64; do
    if [ -L "/$link" ]; then BW+=(--symlink "$(readlink "/$link")" "/$link"); elif [ -d "/$link" ]; then BW+=(--ro-bind "/$link" "/$link"); fi
done
BW+=(--proc /proc --dev /dev --tmpfs /tmp --tmpfs /run --tmpfs /home/sandbox --bind "$WS" /workspace --chdir /workspace)
for secret in /etc/shadow /etc/gshadow /etc/shadow- /etc/gshadow- /etc/sudoers; do
    [ -e "$secret" ] && BW+=(--ro-bind /dev/null "$secret")
done
for secret in /etc/sudoers.d /etc/ssh /etc/ssl/private; do
    [ -d "$secret" ] && BW+=(--tmpfs "$secret")
done
BW+=(/bin/true)

printf -v bw_cmd '%q ' "${BW[@]}"
extra=()
if [ -n "${BASELINE:-}" ]; then
    extra=(-n "baseline run (cgroups off)" "$(realpath "$BASELINE") run --no-cgroups --workspace $WS -- /bin/true")
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup "$warmup" --runs "$runs" --export-markdown /tmp/clawguard-sandbox-bench.md \
    --export-json /tmp/clawguard-sandbox-bench.json \
    -n "bwrap (equivalent flags)" "$bw_cmd" \
    -n "clawguard run (cgroups off)" "$CG run --no-cgroups --workspace $WS -- /bin/true" \
    -n "clawguard run (default: cgroup v1/v2 memory+pids)" "$CG run --workspace $WS -- /bin/true" \
    -n "clawguard --version (process start only)" "$CG --version" "${extra[@]}"
cat /tmp/clawguard-sandbox-bench.md
# CPU time (user + system) is the steadier figure on a shared machine.
python3 - <<'PY'
import json
for r in json.load(open("/tmp/clawguard-sandbox-bench.json"))["results"]:
    times = sorted(r["times"])
    print(f'{r["command"][:60]:60} median {1000*times[len(times)//2]:6.2f} ms   user+sys {1000*(r["user"]+r["system"]):6.2f} ms')
PY
# CPU per run of the whole process tree (perf stat task-clock: the steadier figure on a loaded machine).
if command -v perf >/dev/null; then
    cpu() { local name=$1; shift; perf stat -r "${PERF_RUNS:-60}" -e task-clock -- "$@" 2>&1 >/dev/null | awk -v n="$name" '/task-clock/ {printf "%-50s task-clock %s ms\n", n, $1}'; }
    cpu "bwrap (equivalent flags)" "${BW[@]}"
    cpu "clawguard run (cgroups off)" "$CG" run --no-cgroups --workspace "$WS" -- /bin/true
    cpu "clawguard --version (process start only)" "$CG" --version
    [ -n "${BASELINE:-}" ] && cpu "baseline run (cgroups off)" "$(realpath "$BASELINE")" run --no-cgroups --workspace "$WS" -- /bin/true
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
