#!/usr/bin/env bash
# Builds the libFuzzer target for the shell parser/analyzer and runs it, bounded in count and time.
# Usage: scripts/fuzz.sh [SECONDS] — with FUZZ_RUNS=N (default 400000) and FUZZ_SEED=S (default 1) the run is
# reproducible: it starts from Fuzz/corpus only. FUZZ_SEED=0 picks a random seed (exploration).
# Crashes land in .build/fuzz/artifacts and fail the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
out=.build/fuzz
runs="${FUZZ_RUNS:-400000}"
seed="${FUZZ_SEED:-1}"
rm -rf "$out/corpus"
mkdir -p "$out/artifacts" "$out/corpus"
cp Fuzz/corpus/* "$out/corpus/"
sources=(Sources/ClawGuardCore/Shell/*.swift Sources/ClawGuardCore/Analysis/*.swift Sources/ClawGuardCore/Support/*.swift
         Sources/ClawGuardCore/Decision/Decision.swift Sources/ClawGuardCore/Policy/PathResolver.swift)
echo "==> building fuzz target"
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name ClawGuardFuzz \
    "${sources[@]}" Fuzz/ShellFuzz.swift -o "$out/shell-fuzz"
echo "==> fuzzing: ${runs} runs, seed ${seed}, at most ${seconds}s"
"$out/shell-fuzz" -runs="$runs" -seed="$seed" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=4096 \
    -artifact_prefix="$out/artifacts/" -print_final_stats=1 "$out/corpus" 2>&1 | tail -n 25
if ls "$out"/artifacts/crash-* "$out"/artifacts/timeout-* "$out"/artifacts/oom-* >/dev/null 2>&1; then
    echo "fuzzing found a failing input:"; ls "$out"/artifacts/
    exit 1
fi
echo "==> fuzzing: no crash, no hang"
