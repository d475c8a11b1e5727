#!/usr/bin/env bash
# Monitoring end to end with real components, ~40 s:
#  1. Real `clawguard hook claude` processes write tool calls, failures and denials into a real store; after each
#     of 12 rounds `clawguard metrics --prefix openclaw` renders the metrics (promtool check metrics accepts every
#     render). A `promtool test rules` fixture is BUILT FROM THOSE RENDERED VALUES (one render = one 1-minute
#     scrape) and shows the reference SecurityViolation and HighErrorRate alerts (the reference alert-rules.yml,
#     used as is) firing — and not firing before their `for:` has passed.
#  2. `clawguard alerts export-prometheus` of the default policy passes `promtool check rules`.
#  3. `clawguard alerts run` against a real Alertmanager (Debian's prometheus-alertmanager on 127.0.0.1) and a
#     loopback webhook receiver: the alert arrives (amtool lists it), Slack-compatible and PagerDuty Events v2
#     payloads have the right shape, the resolve reaches all three; a terminate_session rule makes the session's
#     next tool call (a real hook process) be denied.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${CLAWGUARD_BIN:-.build/debug/clawguard}
# The slim front (`clawguard`: hooks) hands `metrics`, `alerts`, `policy`, `init` to clawguard-full beside it.
[ -x "$bin" ] && [ -x "$(dirname "$bin")/clawguard-full" ] || { swift build --product clawguard && swift build --product clawguard-full; }
missing=()
for tool in promtool amtool prometheus-alertmanager python3 curl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
    echo "55-monitoring: SKIPPED: missing ${missing[*]} (run scripts/setup.d/55-monitoring.sh)" >&2
    [ "${CI:-}" = "true" ] && exit 1
    exit 0
fi
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "55-monitoring: FAIL: $*" >&2; exit 1; }

hook() {  # state policy json → prints the hook's answer; exit status of the hook
    printf '%s' "$3" | "$bin" hook claude --policy "$2" --state "$1"
}

# ---------------------------------------------------------------------------------------------------------------
# 1. Metrics from real events, promtool check metrics, promtool test rules from the rendered values.
cat > "$work/policy.yaml" <<'YAML'
version: 1
default_profile: p
loop_detection: {enabled: false}
profiles:
  p:
    permissions:
      allow: ["Bash(echo *)"]
      deny: ["Bash(curl *)"]
YAML
state="$work/state.db"
rounds=12
for round in $(seq 0 $((rounds - 1))); do
    for i in 1 2 3 4; do
        pre="{\"hook_event_name\":\"PreToolUse\",\"session_id\":\"m1\",\"cwd\":\"$work\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"echo $round.$i\"}}"
        hook "$state" "$work/policy.yaml" "$pre" | grep -q '"permissionDecision":"allow"' || fail "echo was not allowed"
        # One of four fails when it runs.
        err=false; [ "$i" = 4 ] && err=true
        post="{\"hook_event_name\":\"PostToolUse\",\"session_id\":\"m1\",\"cwd\":\"$work\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"echo $round.$i\"},\"tool_response\":{\"is_error\":$err,\"stdout\":\"\"}}"
        hook "$state" "$work/policy.yaml" "$post" >/dev/null
    done
    deny="{\"hook_event_name\":\"PreToolUse\",\"session_id\":\"m1\",\"cwd\":\"$work\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"curl http://example.com/$round\"}}"
    hook "$state" "$work/policy.yaml" "$deny" | grep -q '"permissionDecision":"deny"' || fail "curl was not denied"
    "$bin" metrics --state "$state" --policy "$work/policy.yaml" --prefix openclaw > "$work/scrape.$round.prom"
    promtool check metrics < "$work/scrape.$round.prom" || fail "promtool check metrics rejected render $round"
done
echo "55-monitoring: $rounds renders from $(sqlite3 "$state" 'SELECT COUNT(*) FROM audit_log') audit records pass promtool check metrics"

mkdir -p "$work/rules"
# The reference rules as they are (a verbatim copy is committed; where the reference is at hand, it must match).
cp Tests/ClawGuardMonitoringTests/Fixtures/reference-alert-rules.yml "$work/rules/alert-rules.yml"
if [ -f /work/shared/reference/examples/alert-rules.yml ]; then
    cmp -s /work/shared/reference/examples/alert-rules.yml "$work/rules/alert-rules.yml" || fail "the committed copy of alert-rules.yml differs from the reference"
fi
python3 - "$work" "$rounds" <<'PY'
import json, re, sys
work, rounds = sys.argv[1], int(sys.argv[2])
wanted = ("openclaw_tool_invocations_total", "openclaw_security_violations_total", "openclaw_active_sessions")
series = {}
line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$')
for r in range(rounds):
    for line in open(f"{work}/scrape.{r}.prom"):
        m = line_re.match(line.strip())
        if not m or m.group(1) not in wanted:
            continue
        key = m.group(1) + (m.group(2) or "")
        series.setdefault(key, [None] * rounds)[r] = float(m.group(3))
def fmt(v):
    return "_" if v is None else repr(int(v)) if v == int(v) else repr(v)
input_series = [{"series": k, "values": " ".join(fmt(v) for v in vals)} for k, vals in sorted(series.items())]

def samples(key):
    return [(60 * i, v) for i, v in enumerate(series[key]) if v is not None]

def rate(key, t, rng=300):
    # Prometheus 2.x extrapolatedRate over [t-rng, t] (promql/functions.go).
    pts = [(ts, v) for ts, v in samples(key) if t - rng <= ts <= t]
    if len(pts) < 2:
        return None
    result = pts[-1][1] - pts[0][1]
    sampled = pts[-1][0] - pts[0][0]
    avg = sampled / (len(pts) - 1)
    to_start, to_end = pts[0][0] - (t - rng), t - pts[-1][0]
    if result > 0 and pts[0][1] >= 0:
        to_zero = sampled * (pts[0][1] / result)
        if to_zero < to_start:
            to_start = to_zero
    threshold = avg * 1.1
    interval = sampled
    interval += to_start if to_start < threshold else avg / 2
    interval += to_end if to_end < threshold else avg / 2
    return result * (interval / sampled) / rng

violations = [k for k in series if k.startswith("openclaw_security_violations_total")]
errors = [k for k in series if k.startswith("openclaw_tool_invocations_total") and 'status="error"' in k]
assert violations and errors, f"rendered series lack violations or errors: {sorted(series)}"
t = 600  # eval at 10m
def labels(key):
    return dict(re.findall(r'(\w+)="([^"]*)"', key))
sv_alerts = []
for k in violations:
    v = rate(k, t)
    lab = labels(k)
    sv_alerts.append({"exp_labels": {**lab, "severity": "critical", "component": "security"},
                      "exp_annotations": {"summary": "Security violation detected",
                                          "description": f"{v!r} security violations in last 5 minutes (type: {lab['violation_type']})",
                                          "runbook": "https://docs/runbooks/security-violation"}})
he_alerts = []
for k in errors:
    # The reference divides series with identical labels: error/error.
    he_alerts.append({"exp_labels": {**labels(k), "severity": "error", "component": "reliability"},
                      "exp_annotations": {"summary": "High tool error rate",
                                          "description": "100% of tool invocations failing"}})
test = {
    "rule_files": ["rules/alert-rules.yml"],
    "evaluation_interval": "30s",
    "tests": [{
        "interval": "1m",
        "input_series": input_series,
        "alert_rule_test": [
            {"eval_time": "10m", "alertname": "SecurityViolation", "exp_alerts": sv_alerts},
            {"eval_time": "10m", "alertname": "HighErrorRate", "exp_alerts": he_alerts},
            # Not yet: `for: 5m` has not passed 3 minutes in.
            {"eval_time": "3m", "alertname": "HighErrorRate", "exp_alerts": []},
            # Tools keep being used while the session is active: the reference AgentStuck stays quiet.
            {"eval_time": "11m", "alertname": "AgentStuck", "exp_alerts": []},
        ],
    }],
}
json.dump(test, open(f"{work}/rules-test.yml", "w"), indent=1)  # JSON is YAML
print("55-monitoring: fixture series:", ", ".join(f"{s['series']}={s['values'].split()[-1]}" for s in input_series))
PY
(cd "$work" && promtool test rules rules-test.yml) || fail "promtool test rules: the reference alerts did not fire as expected"
echo "55-monitoring: promtool test rules: SecurityViolation and HighErrorRate fire on the rendered values"

# `clawguard alerts check` on the same store: a denial rule fires (exit 3), a cost rule does not.
cat > "$work/check.yaml" <<'YAML'
version: 1
default_profile: p
alerts:
  - name: denied_calls
    threshold: 5 denials
    window: 1h
  - name: spend
    threshold: 5 USD/hour
profiles:
  p: {}
YAML
rc=0; "$bin" alerts check --policy "$work/check.yaml" --state "$state" --json > "$work/check.out" || rc=$?
[ "$rc" = 3 ] || fail "alerts check exit $rc, expected 3 (something fires)"
python3 -c 'import json,sys; a=[json.loads(l) for l in open(sys.argv[1])]; assert [x["alert"] for x in a]==["denied_calls"] and a[0]["value"]==12, a' "$work/check.out" \
    || fail "alerts check: expected exactly denied_calls with 12 denials"

# A rule the engine cannot evaluate is a policy error, at its line.
cat > "$work/badalert.yaml" <<'YAML'
version: 1
default_profile: p
alerts:
  - name: mixed_up
    metric: cost
    threshold: 5 commands/hour
profiles:
  p: {}
YAML
rc=0; "$bin" policy validate --policy "$work/badalert.yaml" > "$work/validate.out" || rc=$?
[ "$rc" = 1 ] && grep -q "badalert.yaml:4:5: alerts: alert 'mixed_up'.*metric 'cost' does not count" "$work/validate.out" \
    || { cat "$work/validate.out" >&2; fail "policy validate accepted an alert rule that cannot be evaluated"; }

# ---------------------------------------------------------------------------------------------------------------
# 2. Export of the default policy's alerts.
"$bin" init -o "$work/default.yaml" --state "$work/init/state.db" >/dev/null 2>&1
grep -q "name: permission_bypass_attempt" "$work/default.yaml" || fail "the default policy lacks the reference alerts"
"$bin" alerts export-prometheus --policy "$work/default.yaml" --prefix openclaw -o "$work/exported.yml"
promtool check rules "$work/exported.yml" || fail "promtool check rules rejected the export"
[ "$(grep -c '^      - alert:' "$work/exported.yml")" = 3 ] || fail "expected 3 exported rules"

# ---------------------------------------------------------------------------------------------------------------
# 3. Real receivers: Alertmanager, a webhook receiver (Slack and PagerDuty payloads), terminate_session.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
am_port=$(free_port)
cat > "$work/am.yml" <<'YAML'
route:
  receiver: blackhole
  group_wait: 1s
  group_interval: 1s
receivers:
  - name: blackhole
YAML
prometheus-alertmanager --config.file="$work/am.yml" --storage.path="$work/am-data" \
    --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address= > "$work/am.log" 2>&1 &
pids+=($!)
python3 scripts/dev/webhook-receiver.py 0 "$work/hooks.jsonl" > "$work/receiver.port" 2> "$work/receiver.log" &
pids+=($!)
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$am_port/-/ready" >/dev/null 2>&1 && [ -s "$work/receiver.port" ] && break
    sleep 0.1
done
curl -fsS "http://127.0.0.1:$am_port/-/ready" >/dev/null || { cat "$work/am.log" >&2; fail "Alertmanager did not start"; }
hook_port=$(head -1 "$work/receiver.port")
# A syslog socket stand-in: a unix datagram socket that appends each message to a file.
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])
open(sys.argv[1] + ".ready", "w").close()
while True:
    data = s.recv(65536)
    with open(sys.argv[2], "ab") as f: f.write(data + b"\n")
' "$work/syslog.sock" "$work/syslog.txt" &
pids+=($!)
for _ in $(seq 1 50); do [ -e "$work/syslog.sock.ready" ] && break; sleep 0.1; done
[ -n "$hook_port" ] || fail "the webhook receiver did not start"

cat > "$work/alerts.yaml" <<YAML
version: 1
default_profile: p
loop_detection: {enabled: false}
alerts:
  - name: security_violation
    metric: security_violations
    threshold: 1 occurrence
    window: 4s
    actions: [log, alertmanager, slack, pager, audit_syslog]
  - name: permission_bypass_attempt
    threshold: 1 occurrence
    action: terminate_session
actions:
  alertmanager:
    type: alertmanager
    url: http://127.0.0.1:$am_port
    labels: {team: security}
  slack:
    type: webhook
    url: http://127.0.0.1:$hook_port/slack
    secret_env: CG_TEST_WEBHOOK_SECRET
  audit_syslog:
    type: syslog
    facility: auth
    tag: cg-test
  pager:
    type: pagerduty
    routing_key_env: CG_TEST_PD_KEY
    url: http://127.0.0.1:$hook_port/pagerduty
    severity: critical
profiles:
  p:
    permissions:
      allow: ["Bash(echo *)", "Edit(./**)"]
      deny: ["Bash(curl *)"]
YAML
astate="$work/alerts.db"
CG_TEST_PD_KEY=test-routing-key CG_TEST_WEBHOOK_SECRET=s3cret CLAWGUARD_SYSLOG_SOCKET="$work/syslog.sock" "$bin" alerts run --policy "$work/alerts.yaml" --state "$astate" \
    --interval 0.5 --poll 0.2 --cooldown 0 > "$work/run.log" 2>&1 &
runner=$!
pids+=($runner)
sleep 1
# A plain policy denial in session a (a security violation, not a bypass), and an edit of Claude Code's own
# settings in session b (a protected-path write: a permission bypass attempt).
hook "$astate" "$work/alerts.yaml" "{\"hook_event_name\":\"PreToolUse\",\"session_id\":\"a\",\"cwd\":\"$work\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"curl http://x\"}}" >/dev/null
hook "$astate" "$work/alerts.yaml" "{\"hook_event_name\":\"PreToolUse\",\"session_id\":\"b\",\"cwd\":\"$work\",\"tool_name\":\"Edit\",\"tool_input\":{\"file_path\":\"$work/.claude/settings.json\",\"old_string\":\"a\",\"new_string\":\"b\"}}" \
    | grep -q '"permissionDecision":"deny"' || fail "the settings edit was not denied"

arrived=false
for _ in $(seq 1 50); do
    if amtool alert query --alertmanager.url="http://127.0.0.1:$am_port" alertname=security_violation -o json 2>/dev/null \
        | python3 -c 'import json,sys; a=json.load(sys.stdin); sys.exit(0 if a and a[0]["labels"].get("team")=="security" else 1)'; then
        arrived=true; break
    fi
    sleep 0.2
done
$arrived || { cat "$work/run.log" >&2; fail "the alert did not reach Alertmanager"; }
echo "55-monitoring: Alertmanager lists the alert (amtool alert query)"

# The bypass terminated session b: its next call, a real hook process, is denied; session a goes on.
terminated=false
for _ in $(seq 1 50); do
    out=$(hook "$astate" "$work/alerts.yaml" "{\"hook_event_name\":\"PreToolUse\",\"session_id\":\"b\",\"cwd\":\"$work\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"echo next\"}}" || true)
    if echo "$out" | grep -q '"permissionDecision":"deny"'; then
        echo "$out" | grep -q "terminated" || fail "session b denied, but not as terminated: $out"
        terminated=true; break
    fi
    sleep 0.2
done
$terminated || { cat "$work/run.log" >&2; fail "terminate_session did not stop session b"; }
hook "$astate" "$work/alerts.yaml" "{\"hook_event_name\":\"PreToolUse\",\"session_id\":\"a\",\"cwd\":\"$work\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"echo still\"}}" \
    | grep -q '"permissionDecision":"allow"' || fail "session a should still run"
echo "55-monitoring: terminate_session denied session b's next tool call (hook process)"

# After the 4 s window the alert resolves: Alertmanager no longer lists it as active; both webhooks get the end.
resolved=false
for _ in $(seq 1 60); do
    active=$(amtool alert query --alertmanager.url="http://127.0.0.1:$am_port" alertname=security_violation -o json 2>/dev/null || echo '[x]')
    if [ "$active" = "[]" ] && [ "$(grep -c '"/pagerduty"' "$work/hooks.jsonl" 2>/dev/null || true)" -ge 2 ]; then resolved=true; break; fi
    sleep 0.25
done
$resolved || { cat "$work/run.log" >&2; cat "$work/hooks.jsonl" >&2 || true; fail "the resolve did not reach Alertmanager and the webhooks"; }
python3 - "$work/hooks.jsonl" <<'PY'
import hashlib, hmac, json, sys
posts = [json.loads(l) for l in open(sys.argv[1])]
for p in posts:
    if p["path"] == "/slack":
        want = "sha256=" + hmac.new(b"s3cret", p["raw"].encode(), hashlib.sha256).hexdigest()
        headers = {k.lower(): v for k, v in p["headers"].items()}  # header names are case-insensitive
        assert headers.get("x-clawguard-signature") == want, ("bad webhook signature", p["headers"])
slack = [p["body"] for p in posts if p["path"] == "/slack"]
pd = [p["body"] for p in posts if p["path"] == "/pagerduty"]
assert len(slack) == 2 and len(pd) == 2, (len(slack), len(pd))
fire, end = slack
assert isinstance(fire["text"], str) and "security_violation" in fire["text"], fire
assert fire["attachments"][0]["color"] == "danger" and end["attachments"][0]["color"] == "good", slack
trigger, resolve = pd
assert trigger["event_action"] == "trigger" and resolve["event_action"] == "resolve", pd
assert trigger["routing_key"] == resolve["routing_key"] == "test-routing-key"
assert trigger["dedup_key"] == resolve["dedup_key"] and trigger["dedup_key"]
p = trigger["payload"]
assert p["severity"] == "critical" and p["summary"] and p["source"] and p["timestamp"], p
assert "payload" not in resolve
print("55-monitoring: webhook receiver got Slack (firing, resolved) and PagerDuty (trigger, resolve; one dedup_key)")
PY
grep -q "alert terminated a session" "$work/run.log" || fail "the enforcement was not logged"
grep -q '^<36>1 .* cg-test .* alert - ClawGuard alert security_violation' "$work/syslog.txt" \
    && grep -q '^<37>1 .* resolved' "$work/syslog.txt" || { cat "$work/syslog.txt" >&2; fail "syslog did not get the firing (auth.warning) and resolved (auth.notice) messages"; }
echo "55-monitoring: syslog got RFC 5424 firing and resolved messages; webhook signature verified"

kill -TERM "$runner"; sleep 0.1
rc=0; wait "$runner" || rc=$?; [ "$rc" = 0 ] || { tail -5 "$work/run.log" >&2; fail "clawguard alerts run did not shut down cleanly on SIGTERM (exit $rc)"; }
"$bin" log verify --state "$astate" >/dev/null || fail "audit chain does not verify"
echo "55-monitoring: passed"
