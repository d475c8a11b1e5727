#!/usr/bin/env python3
"""Build Tests/Eval/bypass.jsonl and Tests/Eval/benign.jsonl from scripts/dev/eval_bypass.py and eval_benign.py.

The data files are the source of truth; the JSONL files are generated and committed. Ids are assigned in
file order (byp-001, ben-001, ...), so append new cases at the end of a class block only if you accept
renumbering; the runner should key results by id *and* command.

Usage:
    scripts/dev/build-eval-set.py                 # regenerate both files, print counts
    scripts/dev/build-eval-set.py --check         # exit 1 if the committed files are stale or invalid
    scripts/dev/build-eval-set.py --expand byp-0NN  # print the expanded command of a generated case

Generated cases (parser limits) carry "generate": {"prefix", "repeat", "times", "middle", "close", "suffix",
"length", "sha256"}; their command is
    prefix + repeat * times + middle + close * times + suffix
and "length"/"sha256" (UTF-8) let a runner check its expansion. Their "command" field is a human-readable
description, not the command; a runner must use the expansion.
"""

from __future__ import annotations

import collections
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import eval_benign  # noqa: E402
import eval_bypass  # noqa: E402

CWD = "/home/dev/project"  # default; a case may set another with a {"cwd": ...} element
BYPASS = ROOT / "Tests/Eval/bypass.jsonl"
BENIGN = ROOT / "Tests/Eval/benign.jsonl"
MIN_CASES = 320
MIN_PER_CLASS = 15
MIN_TRACEABLE = 40


def expand(gen: dict) -> str:
    return gen["prefix"] + gen["repeat"] * gen["times"] + gen["middle"] + gen["close"] * gen["times"] + gen["suffix"]


def bypass_cases() -> list[dict]:
    cases = []
    for n, entry in enumerate(eval_bypass.B, start=1):
        cls, command, why, source, *rest = entry
        expect = next((r for r in rest if isinstance(r, str)), "not-allow")
        cwd = next((r["cwd"] for r in rest if isinstance(r, dict) and "cwd" in r), CWD)
        case = {"id": f"byp-{n:03d}", "command": command, "cwd": cwd, "expect": expect, "class": cls,
                "why": why, "source": source}
        gens = [r for r in rest if isinstance(r, dict) and "repeat" in r]
        if gens:
            gen = dict(gens[0])
            text = expand(gen)
            gen["length"] = len(text.encode())
            gen["sha256"] = hashlib.sha256(text.encode()).hexdigest()
            case["generate"] = gen
        cases.append(case)
    return cases


def benign_cases() -> list[dict]:
    cases = []
    for n, entry in enumerate(eval_benign.B, start=1):
        cls, expect, command, why, *rest = entry
        cwd = next((r["cwd"] for r in rest if isinstance(r, dict)), CWD)
        case = {"id": f"ben-{n:03d}", "command": command, "cwd": cwd, "expect": expect, "class": cls,
                "why": why, "source": f"ClawGuard benign corpus: typical agent command ({cls})"}
        tags = [t for r in rest if isinstance(r, list) for t in r]
        if tags:
            case["tags"] = tags
        cases.append(case)
    return cases


def validate(bypass: list[dict], benign: list[dict]) -> list[str]:
    problems = []
    for name, cases, allowed in (("bypass", bypass, {"not-allow", "deny"}), ("benign", benign, {"allow", "ask"})):
        if len(cases) < MIN_CASES:
            problems.append(f"{name}: {len(cases)} cases, need >= {MIN_CASES}")
        seen = {}
        for c in cases:
            for key in ("id", "command", "cwd", "expect", "class", "why", "source"):
                if not isinstance(c.get(key), str) or not c[key]:
                    problems.append(f"{c.get('id')}: missing or empty {key}")
            if c["expect"] not in allowed:
                problems.append(f"{c['id']}: expect {c['expect']!r} not in {sorted(allowed)}")
            key = c["command"]
            if key in seen:
                problems.append(f"{c['id']}: same command as {seen[key]}")
            seen[key] = c["id"]
    overlap = {c["command"] for c in bypass} & {c["command"] for c in benign}
    for cmd in sorted(overlap):
        problems.append(f"command in both files: {cmd!r}")
    per_class = collections.Counter(c["class"] for c in bypass)
    for cls, n in per_class.items():
        if n < MIN_PER_CLASS:
            problems.append(f"bypass class {cls}: {n} cases, need >= {MIN_PER_CLASS}")
    traceable = sum(1 for c in bypass if c["source"].startswith("https://"))
    if traceable < MIN_TRACEABLE:
        problems.append(f"only {traceable} bypass cases cite a public report, need >= {MIN_TRACEABLE}")
    return problems


def render(cases: list[dict]) -> str:
    return "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases)


def summary(bypass: list[dict], benign: list[dict]) -> str:
    lines = [f"bypass.jsonl: {len(bypass)} cases "
             f"({sum(c['expect'] == 'deny' for c in bypass)} deny, "
             f"{sum(c['source'].startswith('https://') for c in bypass)} citing a public report)"]
    for cls, n in sorted(collections.Counter(c["class"] for c in bypass).items()):
        cited = sum(1 for c in bypass if c["class"] == cls and c["source"].startswith("https://"))
        lines.append(f"  {cls:16} {n:3}  ({cited} cited)")
    lines.append(f"benign.jsonl: {len(benign)} cases "
                 f"({sum(c['expect'] == 'allow' for c in benign)} allow, {sum(c['expect'] == 'ask' for c in benign)} ask)")
    for cls, n in sorted(collections.Counter(c["class"] for c in benign).items()):
        allow = sum(1 for c in benign if c["class"] == cls and c["expect"] == "allow")
        lines.append(f"  {cls:20} {n:3}  ({allow} allow)")
    tags = collections.Counter(t for c in benign for t in c.get("tags", []))
    lines.append("benign tags: " + ", ".join(f"{t} {n}" for t, n in sorted(tags.items())))
    repos = collections.Counter(c["source"].split("/")[3] + "/" + c["source"].split("/")[4]
                                for c in bypass if c["source"].startswith("https://github.com/"))
    lines.append("cited repositories: " + ", ".join(f"{r} {n}" for r, n in repos.most_common()))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    bypass, benign = bypass_cases(), benign_cases()
    if argv[:1] == ["--expand"]:
        for c in bypass:
            if c["id"] == argv[1]:
                sys.stdout.write(expand(c["generate"]) if "generate" in c else c["command"])
                return 0
        print(f"no case {argv[1]}", file=sys.stderr)
        return 1
    problems = validate(bypass, benign)
    for p in problems:
        print("invalid:", p, file=sys.stderr)
    if problems:
        return 1
    if argv[:1] == ["--check"]:
        stale = [p.name for p, cases in ((BYPASS, bypass), (BENIGN, benign))
                 if not p.exists() or p.read_text() != render(cases)]
        if stale:
            print(f"stale: {', '.join(stale)}: re-run scripts/dev/build-eval-set.py", file=sys.stderr)
            return 1
        print(summary(bypass, benign))
        return 0
    BYPASS.parent.mkdir(parents=True, exist_ok=True)
    BYPASS.write_text(render(bypass))
    BENIGN.write_text(render(benign))
    print(summary(bypass, benign))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
