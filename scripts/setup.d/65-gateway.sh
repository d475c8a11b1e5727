#!/usr/bin/env bash
# The gateway's load test (Benchmarks/gateway/load.sh) uses wrk. Installs only what is missing.
set -euo pipefail
need=()
for pkg in wrk curl; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
