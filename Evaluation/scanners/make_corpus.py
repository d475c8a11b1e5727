"""Builds the throughput corpus: ordinary text (source code, docs, YAML/JSON data) from the Python packages
installed in Evaluation/scanners/.venv (deterministic file order), cut to SIZE_MB.

Usage: python3 Evaluation/scanners/make_corpus.py OUT_FILE [SIZE_MB=64]
"""
import os
import sys

root = os.path.join(os.path.dirname(__file__), ".venv", "lib")
out = sys.argv[1]
limit = int(sys.argv[2]) * 1_000_000 if len(sys.argv) > 2 else 64_000_000
exts = (".py", ".md", ".txt", ".rst", ".yaml", ".yml", ".json", ".cfg", ".toml", ".html", ".pyi")
files = []
for d, _, names in os.walk(root):
    for n in names:
        if n.endswith(exts):
            files.append(os.path.join(d, n))
files.sort()
total = 0
with open(out, "wb") as f:
    while total < limit:
        for p in files:
            try:
                data = open(p, "rb").read()
            except OSError:
                continue
            if b"\0" in data[:8192]:
                continue
            data = data[: limit - total]
            f.write(data)
            total += len(data)
            if total >= limit:
                break
print(f"{out}: {total / 1e6:.1f} MB from {len(files)} files")
