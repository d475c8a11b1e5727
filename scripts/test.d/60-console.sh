#!/usr/bin/env bash
# Web console end to end in a real headless Chromium (Tests/E2E/console/console_e2e.py): log in through the form,
# a REAL `clawguard hook claude --server` waits on an approval that appears live in the page, approve/deny by
# clicking, XSS payloads in commands stay text (no alert, no injected node, CSP present), kill switch, audit.
# Needs Debian's chromium and chromium-driver (scripts/setup.d/60-console.sh). Bounded: 6 minutes.
# Screenshots: CONSOLE_SCREENSHOTS=docs/console scripts/test.d/60-console.sh regenerates docs/console/*.png.
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in chromium chromedriver; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "console e2e: $tool is missing (run scripts/setup.d/60-console.sh)"
        if [ "${CI:-}" = "true" ]; then exit 1; fi
        echo "console e2e: SKIPPED (not under CI)"
        exit 0
    fi
done
[ -x .build/debug/clawguard ] || swift build --product clawguard
args=(--binary .build/debug/clawguard)
[ -n "${CONSOLE_SCREENSHOTS:-}" ] && args+=(--screenshots "$CONSOLE_SCREENSHOTS")
timeout 360 python3 Tests/E2E/console/console_e2e.py "${args[@]}"
