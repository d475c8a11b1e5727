#!/usr/bin/env bash
# The real `clawguard hook claude` (the slim front) against one state database, as an agent runs it:
#  * 40 hooks one after another, then 50 at once: every call answered allow, none lost (session calls = 90),
#    the WAL stays bounded (StateStore.keepWALSmall: short-lived connections never rewind it otherwise), and the
#    hash-chained audit trail verifies (`clawguard log verify`);
#  * the time budget: a hook whose stdin never ends is denied (exit 2, reason on stderr) by the watchdog.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${CLAWGUARD_BIN:-.build/debug/clawguard}
[ -x "$bin" ] || { echo "32-hook-wal: $bin not built (run swift build)" >&2; exit 1; }
[ -x "$(dirname "$bin")/clawguard-full" ] || { echo "32-hook-wal: clawguard-full not built next to $bin" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "32-hook-wal: sqlite3 is missing (apt-get install sqlite3)" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed 's/^default_profile: eval/loop_detection: {enabled: false}\ndefault_profile: eval/' Tests/Eval/policy.yaml > "$dir/policy.yaml"
printf '{"hook_event_name":"PreToolUse","session_id":"wal","cwd":"%s","tool_name":"Bash","tool_input":{"command":"git status"},"transcript_path":"/nonexistent.jsonl"}' "$dir" > "$dir/in.json"
hook() { "$bin" hook claude --policy "$dir/policy.yaml" --state "$dir/state.db" < "$dir/in.json"; }
max_wal=0
for i in $(seq 1 40); do
    out=$(hook) || { echo "FAIL: sequential hook $i exited $?" >&2; exit 1; }
    grep -q '"permissionDecision":"allow"' <<< "$out" || { echo "FAIL: sequential hook $i: $out" >&2; exit 1; }
    size=$(stat -c %s "$dir/state.db-wal" 2>/dev/null || echo 0)
    [ "$size" -gt "$max_wal" ] && max_wal=$size
done
# 256 KiB threshold + one hook's transaction (a few pages).
[ "$max_wal" -le $((256 * 1024 + 64 * 1024)) ] || { echo "FAIL: the WAL grew to $max_wal bytes" >&2; exit 1; }
pids=()
for i in $(seq 1 50); do
    ( rc=0; hook > "$dir/out.$i" 2> "$dir/err.$i" || rc=$?; echo $rc > "$dir/rc.$i" ) &
    pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
for i in $(seq 1 50); do
    rc=$(cat "$dir/rc.$i")
    [ "$rc" = 0 ] && grep -q '"permissionDecision":"allow"' "$dir/out.$i" \
        || { echo "FAIL: concurrent hook $i: exit $rc, $(cat "$dir/out.$i" "$dir/err.$i")" >&2; exit 1; }
done
calls=$(sqlite3 "$dir/state.db" "SELECT calls FROM sessions WHERE id = 'wal'")
[ "$calls" = 90 ] || { echo "FAIL: 90 hooks, $calls calls counted" >&2; exit 1; }
"$bin" log verify --state "$dir/state.db" > "$dir/verify.out" 2>&1 || { echo "FAIL: log verify: $(cat "$dir/verify.out")" >&2; exit 1; }
# Watchdog: stdin stays open for 5 s, the budget is 300 ms.
rc=0
(sleep 5) | "$bin" hook claude --policy "$dir/policy.yaml" --state "$dir/state.db" --timeout-ms 300 > "$dir/wd.out" 2> "$dir/wd.err" || rc=$?
[ "$rc" = 2 ] && grep -q 'did not decide within its 300 ms budget' "$dir/wd.err" \
    || { echo "FAIL: watchdog: exit $rc, stderr $(cat "$dir/wd.err")" >&2; exit 1; }
echo "32-hook-wal: 90 hooks allowed and counted, WAL at most $max_wal bytes, audit verifies; watchdog denied (exit 2)"
