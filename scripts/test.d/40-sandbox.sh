#!/usr/bin/env bash
# Sandbox area: the CLI end to end (the library is covered by `swift test`, escape battery included):
# a plain run, a limit report in --json, an allowlist refusal, and a copy-on-write run reviewed and
# applied with `clawguard changes`. Needs root or unprivileged user namespaces; fails loudly otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."
CG="$PWD/.build/debug/clawguard"
[ -x "$CG" ] && [ -x "${CG}-full" ] || { swift build --product clawguard && swift build --product clawguard-full; }
T="$(mktemp -d /tmp/clawguard-sandbox-stage-XXXXXX)"
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/ws" "$T/runs"
echo original > "$T/ws/file.txt"
fail() { echo "sandbox stage: FAIL: $*" >&2; exit 1; }

out="$("$CG" run --workspace "$T/ws" -- /bin/sh -c 'cat file.txt; id -u')"
[ "$out" = "original
$(id -u)" ] || fail "plain run printed: $out"

set +e
json="$("$CG" run --workspace "$T/ws" --timeout 300ms --json -- /bin/sh -c 'while :; do :; done' | tail -1)"
status=$?
set -e
python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert r["stoppedBy"]=="timeout" and r["exitCode"]==137, r' "$json" \
    || fail "timeout not reported: $json"

json="$("$CG" run --workspace "$T/ws" --network allowlist --allow-domain '*.allowed.example' --json -- \
    curl -s -o /dev/null -w '%{http_code}\n' http://evil.example/ | tail -1)"
python3 -c 'import json,sys; r=json.loads(sys.argv[1]); e=r["egress"]; assert len(e)==1 and not e[0]["allowed"] and "not on the allowlist" in e[0]["reason"], r' "$json" \
    || fail "egress refusal not reported: $json"

"$CG" run --workspace "$T/ws" --overlay --runs-dir "$T/runs" -- /bin/sh -c 'echo changed > file.txt; echo new > new.txt' 2>/dev/null
[ "$(cat "$T/ws/file.txt")" = original ] || fail "overlay run wrote to the workspace"
id="$(ls "$T/runs" | head -1)"
"$CG" changes list "$id" --runs-dir "$T/runs" | grep -q 'modified  file.txt' || fail "changes list"
"$CG" changes diff "$id" --runs-dir "$T/runs" | grep -q '^+changed' || fail "changes diff"
if "$CG" changes apply "$id" --runs-dir "$T/runs" --if-passes 'grep -q original file.txt' 2>/dev/null; then fail "apply despite failing tests"; fi
[ "$(cat "$T/ws/file.txt")" = original ] || fail "failed tests still applied"
"$CG" changes apply "$id" --runs-dir "$T/runs" --if-passes 'grep -q changed file.txt && test -f new.txt' >/dev/null
[ "$(cat "$T/ws/file.txt")" = changed ] && [ -f "$T/ws/new.txt" ] || fail "apply"
# Several --policy files are layered as the hook layers them: the smaller process limit wins, in either order.
printf 'version: 1\nsandbox: { pids: 64 }\n' > "$T/a.yaml"
printf 'version: 1\nsandbox: { pids: 32 }\n' > "$T/b.yaml"
[ "$("$CG" run --no-workspace --policy "$T/a.yaml" -- /bin/bash -c 'ulimit -u')" = 64 ] || fail "one policy's pids limit"
[ "$("$CG" run --no-workspace --policy "$T/a.yaml" --policy "$T/b.yaml" -- /bin/bash -c 'ulimit -u')" = 32 ] || fail "layered policies (a, b)"
[ "$("$CG" run --no-workspace --policy "$T/b.yaml" --policy "$T/a.yaml" -- /bin/bash -c 'ulimit -u')" = 32 ] || fail "layered policies (b, a)"

# A run killed with SIGKILL cannot remove its cgroup; the next run sweeps it (its creator's pid is in the name).
"$CG" run --no-workspace -- sleep 30 &
victim=$!
leftover=""
for _ in $(seq 1 50); do
    leftover="$(ls -d /sys/fs/cgroup/clawguard-p$victim-* /sys/fs/cgroup/*/clawguard-p$victim-* 2>/dev/null || true)"
    [ -n "$leftover" ] && break
    sleep 0.1
done
if [ -z "$leftover" ]; then
    echo "sandbox stage: no cgroup was created for the run (cgroups unavailable here); sweep not checked" >&2
    [ "${CI:-}" = true ] && fail "cgroups unavailable under CI"
else
    kill -9 "$victim"; wait "$victim" 2>/dev/null || true
    [ -n "$(ls -d $leftover 2>/dev/null)" ] || fail "expected the killed run's cgroup to be left behind"
    "$CG" run --no-workspace -- true
    [ -z "$(ls -d $leftover 2>/dev/null)" ] || fail "stale cgroup not swept: $leftover"
fi
echo "sandbox stage: ok"
