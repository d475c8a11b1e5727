#!/usr/bin/env bash
# The committed evaluation set and parser golden cases must match their sources:
# Tests/Eval/*.jsonl from scripts/dev/eval_*.py, and parser-cases.jsonl from a fresh real-bash oracle run.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 scripts/dev/build-eval-set.py --check
python3 scripts/dev/gen-parser-cases.py --check
