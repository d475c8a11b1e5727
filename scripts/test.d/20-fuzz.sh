#!/usr/bin/env bash
# Bounded libFuzzer run of the shell parser and analyzer: no crash, no hang.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec scripts/fuzz.sh "${CLAWGUARD_FUZZ_SECONDS:-300}"
