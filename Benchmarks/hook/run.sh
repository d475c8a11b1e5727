#!/usr/bin/env bash
# Hook latency side by side: a shell hook that only reads stdin, a comparable Python hook, and clawguard.
# Usage: Benchmarks/hook/run.sh [CLAWGUARD_BINARY]   (default: a static release build, built if missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${1:-.build/release/clawguard}"
[ -x "$bin" ] || swift build -c release --static-swift-stdlib --product clawguard
work=$(mktemp -d)
cp Benchmarks/hook/shell-hook.sh Benchmarks/hook/py-hook.py Benchmarks/hook/in.json "$work/"
sed 's/^default_profile: eval/loop_detection: {enabled: false}\ndefault_profile: eval/' Tests/Eval/policy.yaml > "$work/bench-policy.yaml"
bin=$(realpath "$bin")
cd "$work"
sed -i "s#\"cwd\":\"[^\"]*\"#\"cwd\":\"$work\"#" in.json
hyperfine --warmup 10 --runs 300 --export-markdown hook.md \
    "./shell-hook.sh < in.json" "python3 py-hook.py < in.json" \
    "$bin hook claude --policy $work/bench-policy.yaml --state $work/state.db < in.json"
cat hook.md
