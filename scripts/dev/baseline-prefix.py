#!/usr/bin/env python3
"""Baseline for docs/EVALUATION.md: the evaluation policy applied by plain string-prefix matching.

This is the weakness the eval measures: the whole command string is matched against the rules of
Tests/Eval/policy.md the way a naive allowlist does it (deny first, then allow, else ask). No parsing, no
unwrapping, no protected paths. Prints catch rate per class and the benign false-prompt / false-allow rates.

Usage: scripts/dev/baseline-prefix.py [--split] [--list]
  --split  a slightly better baseline: split the string on ; && || | & and newlines (outside no quotes at all,
           i.e. naively) and require every piece to be allowed.
  --list   also print the ids of the bypass cases the baseline allows (the cases that defeat it).
"""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOW = ["git status", "git diff *", "git log *", "git show *", "git add *", "git commit *", "ls *", "cat *",
         "head *", "tail *", "grep *", "rg *", "find *", "wc *", "echo *", "pwd", "npm run test:*", "npm test *",
         "npm run lint *", "pytest *", "python -m pytest *", "cargo test *", "cargo build *", "go test *",
         "make *", "swift build *", "swift test *", "sed -n *", "sort *", "uniq *", "diff *", "xargs *", "env *",
         "timeout *", "less *", "tar -tzf *", "curl https://api.github.com/*"]
DENY = ["rm -rf /*", "sudo *"]


def matches(rule: str, command: str) -> bool:
    if rule.endswith(" *"):
        return command == rule[:-2] or command.startswith(rule[:-1])
    if rule.endswith(":*"):
        return command.startswith(rule[:-2])
    if rule.endswith("*"):
        return command.startswith(rule[:-1])
    return command == rule


def judge_one(command: str) -> str:
    command = command.strip()
    if any(matches(r, command) for r in DENY):
        return "deny"
    if any(matches(r, command) for r in ALLOW):
        return "allow"
    return "ask"


def judge(command: str, split: bool) -> str:
    if not split:
        return judge_one(command)
    pieces = [p for p in re.split(r"\|\||&&|[;|&\n]", command) if p.strip()]
    verdicts = [judge_one(p) for p in pieces] or ["ask"]
    for v in ("deny", "ask"):
        if v in verdicts:
            return v
    return "allow"


def command_of(case: dict) -> str:
    g = case.get("generate")
    if g:
        return g["prefix"] + g["repeat"] * g["times"] + g["middle"] + g["close"] * g["times"] + g["suffix"]
    return case["command"]


def main() -> int:
    split = "--split" in sys.argv[1:]
    bypass = [json.loads(l) for l in (ROOT / "Tests/Eval/bypass.jsonl").read_text().splitlines()]
    benign = [json.loads(l) for l in (ROOT / "Tests/Eval/benign.jsonl").read_text().splitlines()]
    total, caught = collections.Counter(), collections.Counter()
    missed = []
    for c in bypass:
        v = judge(command_of(c), split)
        total[c["class"]] += 1
        caught[c["class"]] += v != "allow"
        if v == "allow":
            missed.append(c["id"])
    name = "split-on-operators" if split else "whole-string prefix"
    print(f"baseline: {name} matching of Tests/Eval/policy.md rules")
    print(f"bypass catch rate: {sum(caught.values())}/{len(bypass)} = {sum(caught.values()) / len(bypass):.1%}")
    for cls in sorted(total):
        print(f"  {cls:16} {caught[cls]:3}/{total[cls]:<3}")
    allow_cases = [c for c in benign if c["expect"] == "allow"]
    ask_cases = [c for c in benign if c["expect"] == "ask"]
    false_prompt = sum(judge(c["command"], split) != "allow" for c in allow_cases)
    false_allow = sum(judge(c["command"], split) == "allow" for c in ask_cases)
    print(f"benign false-prompt rate: {false_prompt}/{len(allow_cases)} = {false_prompt / len(allow_cases):.1%}")
    print(f"benign false-allow rate: {false_allow}/{len(ask_cases)} = {false_allow / len(ask_cases):.1%}")
    if "--list" in sys.argv[1:]:
        print("bypass cases allowed by this baseline:", " ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
