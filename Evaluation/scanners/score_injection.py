"""Scores scanner-bench injection output against a labelled JSONL set.

Usage: python3 Evaluation/scanners/score_injection.py DATA.jsonl SCORES.jsonl [--threshold 0.6] [--misses N]
Prints recall, false-positive rate and precision overall and per source, and lists misses / false positives.
"""
import argparse
import collections
import json

ap = argparse.ArgumentParser()
ap.add_argument("data")
ap.add_argument("scores")
ap.add_argument("--threshold", type=float, default=0.55)
ap.add_argument("--misses", type=int, default=5)
ap.add_argument("--json", action="store_true")
ap.add_argument("--min-recall", type=float)
ap.add_argument("--max-fpr", type=float)
a = ap.parse_args()

rows = {}
for line in open(a.data, encoding="utf-8"):
    r = json.loads(line)
    rows[r["id"]] = r
scores = {}
for line in open(a.scores, encoding="utf-8"):
    s = json.loads(line)
    scores[s["id"]] = s

tp = fp = tn = fn = 0
per = collections.defaultdict(lambda: [0, 0])  # source -> [flagged, total]
misses, fps = [], []
for rid, r in rows.items():
    s = scores[rid]
    flagged = s["score"] >= a.threshold
    src = r["source"].split("/")[-1] if r["label"] else r["source"]
    per[(r["label"], src)][1] += 1
    if flagged:
        per[(r["label"], src)][0] += 1
    if r["label"] == 1:
        if flagged: tp += 1
        else: fn += 1; misses.append((src, s, r["text"]))
    else:
        if flagged: fp += 1; fps.append((src, s, r["text"]))
        else: tn += 1
recall = tp / max(1, tp + fn)
fpr = fp / max(1, fp + tn)
precision = tp / max(1, tp + fp)
summary = {"positives": tp + fn, "negatives": fp + tn, "recall": round(recall, 4), "fpr": round(fpr, 4),
           "precision": round(precision, 4), "threshold": a.threshold}
def gate():
    failed = []
    if a.min_recall is not None and recall < a.min_recall:
        failed.append(f"recall {recall:.3f} < {a.min_recall}")
    if a.max_fpr is not None and fpr > a.max_fpr:
        failed.append(f"false-positive rate {fpr:.3f} > {a.max_fpr}")
    if failed:
        print("GOAL MISSED: " + "; ".join(failed))
        raise SystemExit(1)


if a.json:
    print(json.dumps(summary)); gate(); raise SystemExit(0)
print(f"threshold {a.threshold}: recall {recall:.3f} ({tp}/{tp+fn}), false-positive rate {fpr:.3f} ({fp}/{fp+tn}), precision {precision:.3f}")
print("per source (flagged/total):")
for (label, src), (f, t) in sorted(per.items()):
    print(f"  {'attack' if label else 'benign'} {src:50s} {f}/{t}")
print(f"misses by source: {collections.Counter(m[0] for m in misses)}")
for src, s, text in misses[: a.misses]:
    print(f"  MISS [{src}] score={s['score']} signals={s['signals']} :: {text[:160]!r}")
for src, s, text in fps[: a.misses]:
    print(f"  FP   [{src}] score={s['score']} signals={s['signals']} :: {text[:160]!r}")
gate()
