#!/usr/bin/env bash
# Evaluation data tools (scripts/dev/*.py) need python3 and bash; installs python3 only if missing.
set -euo pipefail
if ! command -v python3 >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3
fi
