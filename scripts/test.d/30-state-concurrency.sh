#!/usr/bin/env bash
# 50 processes at once record a tool call against one state database (each its own process, connection and
# BEGIN IMMEDIATE transaction): no lost count, the rate limit admits exactly its quota, no error turns into an
# allow, and the audit chain verifies. Uses the hidden `clawguard log record-call` probe (a hook's write path).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${CLAWGUARD_BIN:-.build/debug/clawguard}
[ -x "$bin" ] || { echo "30-state-concurrency: $bin not built (run swift build)" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
n=50
quota=20
pids=()
for i in $(seq 1 $n); do
    ( rc=0; "$bin" log record-call --state "$dir/state.db" --session shared --command "echo $i" --per-minute $quota \
        > "$dir/out.$i" 2> "$dir/err.$i" || rc=$?; echo $rc > "$dir/rc.$i" ) &
    pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
allow=0; deny=0; other=0; errors=0
for i in $(seq 1 $n); do
    rc=$(cat "$dir/rc.$i")
    case "$rc" in
        0) allow=$((allow + 1)) ;;
        2) deny=$((deny + 1)) ;;
        *) other=$((other + 1)) ;;
    esac
    if grep -q "state store error" "$dir/out.$i"; then
        errors=$((errors + 1))
        # An error must never be an allow.
        [ "$rc" = 2 ] || { echo "FAIL: process $i had a store error but exit $rc" >&2; exit 1; }
    fi
    if [ "$rc" = 0 ] && ! grep -q '"enforced":"allow"' "$dir/out.$i"; then
        echo "FAIL: process $i exited 0 without an allow answer: $(cat "$dir/out.$i")" >&2; exit 1
    fi
done
calls=$(sqlite3 "$dir/state.db" "SELECT calls FROM sessions WHERE id = 'shared'")
counted=$(sqlite3 "$dir/state.db" "SELECT SUM(count) FROM tool_counts WHERE session = 'shared'")
events=$(sqlite3 "$dir/state.db" "SELECT COUNT(*) FROM audit_log WHERE type IN ('tool_invoked','tool_blocked')")
echo "30-state-concurrency: $n processes: allow=$allow deny=$deny other=$other store-errors=$errors calls=$calls counted=$counted audit-events=$events"
[ "$other" = 0 ] || { echo "FAIL: unexpected exit codes" >&2; exit 1; }
[ "$errors" = 0 ] || { echo "FAIL: $errors store errors (lock contention must wait, not fail)" >&2; exit 1; }
[ "$calls" = "$n" ] && [ "$counted" = "$n" ] && [ "$events" = "$n" ] || { echo "FAIL: lost counts" >&2; exit 1; }
[ "$allow" = "$quota" ] || { echo "FAIL: rate limit admitted $allow, expected exactly $quota" >&2; exit 1; }
"$bin" log verify --state "$dir/state.db"

# The same through the real hook: 50 `clawguard hook claude` processes at once, one session, a policy quota of 20 per
# hour (an hour, so a slow machine cannot earn a refill). Exactly 20 answers are allow, 30 deny; none fails
# (exit 2 would be a deny, never an allow).
hookdir=$(mktemp -d)
trap 'rm -rf "$dir" "$hookdir"' EXIT
cat > "$hookdir/policy.yaml" <<'YAML'
version: 1
default_profile: p
limits:
  per_session: {per_hour: 20}
loop_detection: {enabled: false}
profiles:
  p:
    permissions:
      allow: ["Bash(echo *)"]
YAML
pids=()
for i in $(seq 1 $n); do
    payload="{\"hook_event_name\":\"PreToolUse\",\"session_id\":\"hooks\",\"cwd\":\"$hookdir\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"echo $i\"}}"
    ( rc=0; printf '%s' "$payload" | "$bin" hook claude --policy "$hookdir/policy.yaml" --state "$hookdir/state.db" \
        > "$hookdir/out.$i" 2> "$hookdir/err.$i" || rc=$?; echo $rc > "$hookdir/rc.$i" ) &
    pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
hallow=$(grep -l '"permissionDecision":"allow"' "$hookdir"/out.* | wc -l)
hdeny=$(grep -l '"permissionDecision":"deny"' "$hookdir"/out.* | wc -l)
hfail=$(grep -L '^0$' "$hookdir"/rc.* | wc -l)
hcalls=$(sqlite3 "$hookdir/state.db" "SELECT calls FROM sessions WHERE id = 'hooks'")
echo "30-state-concurrency: $n hook processes: allow=$hallow deny=$hdeny failed=$hfail calls=$hcalls"
[ "$hfail" = 0 ] || { echo "FAIL: $hfail hook processes failed: $(cat "$hookdir"/err.* | sort | uniq -c | head -3)" >&2; exit 1; }
[ "$hallow" = "$quota" ] && [ "$hdeny" = $((n - quota)) ] || { echo "FAIL: the quota admitted $hallow hook calls, expected $quota" >&2; exit 1; }
[ "$hcalls" = "$n" ] || { echo "FAIL: lost counts ($hcalls of $n)" >&2; exit 1; }
"$bin" log verify --state "$hookdir/state.db"
