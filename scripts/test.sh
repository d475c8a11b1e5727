#!/usr/bin/env bash
# The full test suite: setup, build, unit and integration tests, then each area's extra stages
# (scripts/test.d/NN-name.sh: fuzzing, real-agent end-to-end tests...). Fails on the first failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "==> build"
swift build
echo "==> swift test"
swift test 2>&1 | tee /tmp/clawguard-swift-test.log
for stage in scripts/test.d/*.sh; do
    [ -e "$stage" ] || continue
    echo "==> stage: $stage"
    bash "$stage"
done
echo "==> all stages passed"
