#!/usr/bin/env bash
# Web console: the end-to-end test (scripts/test.d/60-console.sh) drives Debian's headless Chromium through
# chromedriver's WebDriver HTTP API from Python's standard library (no selenium). Idempotent.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v python3 >/dev/null 2>&1 || need+=(python3)
# Fonts so that screenshots show text (chromium pulls in a minimal set; DejaVu is Debian's default).
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
chromium --version
chromedriver --version
