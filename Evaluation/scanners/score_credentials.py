"""Scores credential findings against labels.jsonl from gen_credentials.py.

Usage:
  score_credentials.py LABELS.jsonl --clawguard FINDINGS.jsonl   (scanner-bench secrets output)
  score_credentials.py LABELS.jsonl --detect-secrets RESULTS.json (detect-secrets scan output)
A positive sample counts as found when any finding falls on its lines; every finding on a negative sample's line is a
false positive (counted once per sample). Precision = found positives / (found positives + flagged negatives).
"""
import argparse
import collections
import json

ap = argparse.ArgumentParser()
ap.add_argument("labels")
ap.add_argument("--clawguard")
ap.add_argument("--detect-secrets")
ap.add_argument("--show", type=int, default=10)
ap.add_argument("--json", action="store_true")
ap.add_argument("--min-recall", type=float)
ap.add_argument("--min-precision", type=float)
a = ap.parse_args()

samples = [json.loads(l) for l in open(a.labels)]
line_to_sample = {}
for i, s in enumerate(samples):
    for k in range(s["lines"]):
        line_to_sample[s["line"] + k] = i

hits = collections.defaultdict(list)  # sample index -> finding kinds
if a.clawguard:
    for l in open(a.clawguard):
        f = json.loads(l)
        if f["line"] in line_to_sample:
            hits[line_to_sample[f["line"]]].append(f["kind"])
else:
    d = json.load(open(a.detect_secrets))
    for fs in d["results"].values():
        for f in fs:
            if f["line_number"] in line_to_sample:
                hits[line_to_sample[f["line_number"]]].append(f["type"])

tp = fn = fp = tn = 0
kind_ok = 0
misses = collections.Counter()
fps = collections.Counter()
fp_examples, miss_examples = [], []
text = None
for i, s in enumerate(samples):
    found = bool(hits.get(i))
    if s["label"] == 1:
        if found:
            tp += 1
            if s["kind"] in hits[i] or (s["kind"] == "private-key" and any(k.endswith("private-key") for k in hits[i])):
                kind_ok += 1
        else:
            fn += 1; misses[s["kind"]] += 1; miss_examples.append(s)
    else:
        if found:
            fp += 1; fps[s["group"]] += 1; fp_examples.append((s, hits[i]))
        else:
            tn += 1
recall = tp / max(1, tp + fn)
precision = tp / max(1, tp + fp)
fpr = fp / max(1, fp + tn)
summary = {"positives": tp + fn, "negatives": fp + tn, "recall": round(recall, 4), "precision": round(precision, 4),
           "false_positive_rate": round(fpr, 4), "kind_correct": round(kind_ok / max(1, tp), 4)}
def gate():
    failed = []
    if a.min_recall is not None and recall < a.min_recall:
        failed.append(f"recall {recall:.3f} < {a.min_recall}")
    if a.min_precision is not None and precision < a.min_precision:
        failed.append(f"precision {precision:.3f} < {a.min_precision}")
    if failed:
        print("GOAL MISSED: " + "; ".join(failed))
        raise SystemExit(1)


if a.json:
    print(json.dumps(summary)); gate(); raise SystemExit(0)
print(f"recall {recall:.3f} ({tp}/{tp+fn})  precision {precision:.3f}  false-positive rate on hard negatives {fpr:.3f} ({fp}/{fp+tn})"
      + (f"  kind correct {kind_ok}/{tp}" if a.clawguard else ""))
print("misses by kind:", dict(misses.most_common()))
print("false positives by negative group:", dict(fps.most_common()))
for s, k in fp_examples[: a.show]:
    print("  FP line", s["line"], s["group"], k)
for s in miss_examples[: a.show]:
    print("  MISS line", s["line"], s["kind"])
gate()
