#!/usr/bin/env bash
# Installs everything ClawGuard's build and tests need on a fresh machine. Idempotent: safe to run again.
# Each area adds its own needs as scripts/setup.d/NN-name.sh; they run in order.
set -euo pipefail
cd "$(dirname "$0")/.."
for step in scripts/setup.d/*.sh; do
    [ -e "$step" ] || continue
    echo "==> setup: $step"
    bash "$step"
done
echo "==> setup: done"
