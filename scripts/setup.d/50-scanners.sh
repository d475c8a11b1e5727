#!/usr/bin/env bash
# Content scanners: the evaluation stage (scripts/test.d/50-scanners.sh) needs python3 (standard library only).
# The agentdojo / detect-secrets comparison is not part of CI: see Evaluation/scanners/compare.sh.
set -euo pipefail
if ! command -v python3 >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3
fi
