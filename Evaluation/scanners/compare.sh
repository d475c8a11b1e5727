#!/usr/bin/env bash
# Reproduces every figure in docs/benchmarks/scanners.md (not part of CI: it installs PyPI packages into a venv,
# builds in release mode and runs detect-secrets, which is slow). Run from the repository root:
#   bash Evaluation/scanners/compare.sh
# Results go to Evaluation/scanners/results/ (summary.txt is the human-readable one).
set -euo pipefail
cd "$(dirname "$0")/../.."
E=Evaluation/scanners
R=$E/results
mkdir -p "$R" "$R/tmp"
VENV=$E/.venv
if [ ! -x "$VENV/bin/detect-secrets" ] || ! "$VENV/bin/python" -c 'import agentdojo' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "agentdojo==0.1.35" "detect-secrets==1.5.0"
fi
exec > >(tee "$R/summary.txt") 2>&1
echo "# scanners comparison — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"

echo "## held-out prompt-injection set (agentdojo $("$VENV/bin/pip" show agentdojo | awk '/^Version/{print $2}'))"
"$VENV/bin/python" $E/extract_agentdojo.py > "$R/tmp/injection-eval.jsonl" 2>/dev/null
if cmp -s "$R/tmp/injection-eval.jsonl" $E/data/injection-eval.jsonl; then echo "extraction reproduces data/injection-eval.jsonl"; else echo "WARNING: extraction differs from the committed set"; fi

swift build -c release --product scanner-bench 2>&1 | tail -1
B=.build/release/scanner-bench

echo "## credentials: synthetic set (seed 20261125, 6 per kind) — ClawGuard vs detect-secrets"
python3 $E/gen_credentials.py $E/data/credentials
$B secrets $E/data/credentials/credentials.txt > "$R/tmp/cg-cred.jsonl"
echo "ClawGuard:"; python3 $E/score_credentials.py $E/data/credentials/labels.jsonl --clawguard "$R/tmp/cg-cred.jsonl" --show 3
( cd $E/data/credentials && /usr/bin/time -f "detect-secrets CPU %U s user + %S s sys, %e s wall" \
    "../../.venv/bin/detect-secrets" scan --all-files credentials.txt > "../../results/tmp/ds-cred.json" )
echo "detect-secrets 1.5.0 (default plugins):"; python3 $E/score_credentials.py $E/data/credentials/labels.jsonl --detect-secrets "$R/tmp/ds-cred.json" --json
python3 $E/score_credentials.py $E/data/credentials/labels.jsonl --detect-secrets "$R/tmp/ds-cred.json" --show 0 > "$R/tmp/ds-cred.txt"; sed -n "2,3p" "$R/tmp/ds-cred.txt" | cut -c1-400

echo "## credentials: five larger seeds (30 per kind) — ClawGuard"
for seed in 1 2 3 4 5; do
    python3 $E/gen_credentials.py "$R/tmp/cs$seed" --seed $seed --per-kind 30 > /dev/null
    $B secrets "$R/tmp/cs$seed/credentials.txt" > "$R/tmp/cs$seed/f.jsonl"
    printf 'seed %s: ' $seed; python3 $E/score_credentials.py "$R/tmp/cs$seed/labels.jsonl" --clawguard "$R/tmp/cs$seed/f.jsonl" --json
done

echo "## throughput on ordinary text (Python packages' sources and docs)"
python3 $E/make_corpus.py "$R/tmp/corpus.txt" 64
head -c 8000000 "$R/tmp/corpus.txt" > "$R/tmp/corpus8.txt"
$B throughput "$R/tmp/corpus.txt" 3
$B throughput "$R/tmp/corpus8.txt" 3
( cd "$R/tmp" && /usr/bin/time -f "detect-secrets on 8.0 MB: CPU %U s user + %S s sys, %e s wall" \
    "../../.venv/bin/detect-secrets" scan --all-files corpus8.txt > ds-corpus8.json )
head -c 4000000 "$R/tmp/corpus.txt" > "$R/tmp/corpus4.txt"
$B injection-throughput "$R/tmp/corpus4.txt"
$B hostile

echo "## prompt injection: held-out agentdojo set and dev set"
$B injection $E/data/injection-eval.jsonl > $R/injection-eval-scores.jsonl
python3 $E/score_injection.py $E/data/injection-eval.jsonl $R/injection-eval-scores.jsonl --misses 3
$B injection $E/data/injection-dev.jsonl > "$R/tmp/dev.jsonl"
python3 $E/score_injection.py $E/data/injection-dev.jsonl "$R/tmp/dev.jsonl" --json
echo "## rules"
$B rules
