#!/usr/bin/env bash
# Monitoring area: Debian's prometheus (promtool: check metrics, check rules, test rules) and
# prometheus-alertmanager (+ amtool) for scripts/test.d/55-monitoring.sh. Installs only what is missing.
set -euo pipefail
need=()
for pkg in prometheus prometheus-alertmanager curl python3 sqlite3; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
# The packages start system services where an init system runs; the tests start their own on loopback.
