#!/usr/bin/env bash
# Builds the libFuzzer target for the shell parser/analyzer and runs it for a bounded time.
# Usage: scripts/fuzz.sh [SECONDS]   (default 60). Crashes land in .build/fuzz/artifacts and fail the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
out=.build/fuzz
mkdir -p "$out/artifacts" "$out/corpus"
cp -n Fuzz/corpus/* "$out/corpus/" 2>/dev/null || true
sources=(Sources/ClawGuardCore/Shell/*.swift Sources/ClawGuardCore/Analysis/*.swift Sources/ClawGuardCore/Support/*.swift
         Sources/ClawGuardCore/Decision/Decision.swift)
echo "==> building fuzz target"
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name ClawGuardFuzz \
    "${sources[@]}" Fuzz/ShellFuzz.swift -o "$out/shell-fuzz"
echo "==> fuzzing for ${seconds}s"
"$out/shell-fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=4096 \
    -artifact_prefix="$out/artifacts/" -print_final_stats=1 "$out/corpus" 2>&1 | tail -n 25
if ls "$out"/artifacts/crash-* "$out"/artifacts/timeout-* "$out"/artifacts/oom-* >/dev/null 2>&1; then
    echo "fuzzing found a failing input:"; ls "$out"/artifacts/
    exit 1
fi
echo "==> fuzzing: no crash, no hang"
