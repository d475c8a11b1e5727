#!/usr/bin/env python3
"""Generate Tests/ClawGuardCoreTests/Fixtures/parser-cases.jsonl with real bash as the oracle.

For every input in scripts/dev/parser_inputs.py (BASH_CASES), bash itself says which simple commands run
and with which argv. The input runs in a fresh scratch directory with PATH=/nonexistent and every builtin
except `enable` disabled, so every simple command (echo, cd, eval, exec, kill, ...) is "not found" and
reaches `command_not_found_handle`. That handler runs in the forked child of the command, never in the
shell that continues, and writes the argv it received (NUL separated) to a file of its own, named by its
PID, together with its chain of ancestor PIDs up to the top shell. Nothing it writes reaches stdout, so
a command substitution captures empty output, exactly as it would if its command printed nothing.

Ordering. Pipelines and process substitutions run concurrently, so "the order the handlers ran" is not
deterministic. The generator orders records by process tree instead: siblings by PID (a parent forks its
children one after another), a process's descendants before its own command (a command's substitutions
are expanded before it runs). This gives: substitutions before the command that contains them, pipeline
elements left to right, lists in source order.

Exit status. A command named `false` or starting with `fail` exits 1, every other command exits 0. Inputs are
written so that every simple command in them runs exactly once; then the bash trace is also the static
list a parser should produce. Inputs where that cannot hold (untaken branches, loops that repeat,
functions, words that depend on the environment) are MANUAL_CASES, written by hand with a note.

Usage:
    scripts/dev/gen-parser-cases.py            # regenerate the fixture
    scripts/dev/gen-parser-cases.py --check    # exit 1 if the committed fixture differs from a fresh run
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "Tests/ClawGuardCoreTests/Fixtures/parser-cases.jsonl"
sys.path.insert(0, str(Path(__file__).resolve().parent))
import parser_inputs  # noqa: E402

BASH = shutil.which("bash", path="/usr/bin:/bin") or "/bin/bash"
TIMEOUT = shutil.which("timeout", path="/usr/bin:/bin") or "/usr/bin/timeout"
SYNC_FD = 7  # kept open by every process of a run; EOF on it means all of them have exited

PREAMBLE = r"""
command_not_found_handle() {
  enable printf read
  __p=$BASHPID; __path=""
  while [[ $__p != "$__TOP" && $__p != 1 && -n $__p ]]; do
    __path="$__p $__path"
    read -r __line < /proc/$__p/stat
    __rest=${__line##*) }; __rest=${__rest#* }; __p=${__rest%% *}
  done
  printf '%s\0' "$__path" "$@" > "$__OUT/$BASHPID"
  # Outlive any process substitution this command started, so its /proc parent chain stays intact.
  enable wait; wait
  [[ $1 != fail* && $1 != false ]]
}
__TOP=$$
trap 'enable wait; wait' EXIT
enable -n $(enable | while read -r _ n; do [[ $n != enable ]] && printf '%s ' "$n"; done)
"""

# Inputs that could reach a real program or act on the machine are refused before they run.
UNSAFE = [
    (re.compile(r"(^|[\s;&|(`{!\"=])\.?\.?/"), "a word starting with / or ./ may name a real program"),
    (re.compile(r"\bPATH="), "PATH assignments could make real programs reachable"),
    (re.compile(r"\benable\b"), "`enable` is the one builtin the oracle keeps; inputs must not use it"),
    (re.compile(r"command_not_found_handle|__OUT|__TOP"), "inputs must not touch the oracle's own names"),
    (re.compile(r"(^|[^<>&0-9])[<>]&?\s*7\b|\b7[<>]"), "fd 7 is the oracle's sync pipe"),
    (re.compile(r"(^|[\s=:;&|(`])~"), "`~` depends on the environment; write such cases as MANUAL_CASES"),
    (re.compile(r"(?<!\\)\$\{?(BASH\w*|HOME|PWD|OLDPWD|PATH|SHELL|TMPDIR|0)\b"),
     "variables holding paths (or the path of bash itself) could spell a real program"),
    (re.compile(r"\\x2[fF]|\\0?57|\\u002[fF]|\\U0000002[fF]"), "an escaped '/' could spell a program path"),
]


def check_safe(source: str) -> None:
    for pattern, why in UNSAFE:
        # Only look outside single quotes: single-quoted text never runs or expands ($'...' does decode escapes).
        if pattern.search(re.sub(r"(?<!\$)'[^']*'", "''", source).replace("/dev/null", "NULLDEV")):
            raise SystemExit(f"refusing unsafe oracle input {source!r}: {why}")


def run_once(source: str) -> list[list[str]]:
    with tempfile.TemporaryDirectory(prefix="cg-parser-oracle-") as tmp:
        scratch = Path(tmp) / "scratch"
        out = Path(tmp) / "out"
        scratch.mkdir()
        out.mkdir()
        (scratch / "in.txt").write_text("input\n")  # so `< in.txt` and `<> in.txt` succeed
        script = Path(tmp) / "script.sh"
        script.write_text(PREAMBLE + "\n" + source + "\n")
        env = {"PATH": "/nonexistent", "HOME": str(scratch), "LANG": "C", "LC_ALL": "C", "__OUT": str(out)}
        read_end, write_end = os.pipe()
        os.dup2(write_end, SYNC_FD)
        try:
            proc = subprocess.Popen(
                [TIMEOUT, "5", BASH, "--norc", "--noprofile", str(script)],
                cwd=scratch, env=env,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                pass_fds=(SYNC_FD,),
            )
        finally:
            os.close(SYNC_FD)
            os.close(write_end)
        proc.wait(timeout=10)
        # Wait until every process that inherited the sync pipe (background jobs, process substitutions) is gone.
        with os.fdopen(read_end, "rb") as sync:
            sync.read()
        if proc.returncode == 124:
            raise SystemExit(f"oracle timed out on {source!r}")
        records = []
        for entry in out.iterdir():
            fields = entry.read_bytes().split(b"\0")[:-1]
            path = [int(p) for p in fields[0].decode().split()]
            argv = [f.decode("utf-8", "surrogateescape") for f in fields[1:]]
            records.append((path, argv))
    pids = [p for path, _ in records for p in path]
    if pids and max(pids) - min(pids) > 8192:
        raise RuntimeError("PID wrap-around during the run")
    # Descendants before the process's own command; siblings by PID.
    records.sort(key=lambda r: [*r[0], float("inf")])
    return [argv for _, argv in records]


def oracle(source: str) -> list[list[str]]:
    """Run a case until three consecutive runs agree (guards against PID wrap-around and races)."""
    check_safe(source)
    streak: list[list[list[str]]] = []
    for _ in range(10):
        try:
            result = run_once(source)
        except RuntimeError:
            streak = []
            continue
        streak = [*streak, result] if streak and streak[-1] == result else [result]
        if len(streak) == 3:
            return result
    raise SystemExit(f"oracle gave unstable results for {source!r}")


def build() -> list[str]:
    lines = []
    seen = set()
    for source in parser_inputs.BASH_CASES:
        if source in seen:
            raise SystemExit(f"duplicate input {source!r}")
        seen.add(source)
        case = {"input": source, "commands": oracle(source), "oracle": "bash"}
        lines.append(json.dumps(case, ensure_ascii=False))
    for manual in parser_inputs.MANUAL_CASES:
        source = manual["input"]
        if source in seen:
            raise SystemExit(f"duplicate input {source!r}")
        seen.add(source)
        if not manual.get("note"):
            raise SystemExit(f"manual case without a note: {source!r}")
        case = {"input": source, "commands": manual["commands"], "oracle": "manual", "note": manual["note"]}
        lines.append(json.dumps(case, ensure_ascii=False))
    return lines


def main() -> int:
    lines = build()
    text = "\n".join(lines) + "\n"
    if "--check" in sys.argv[1:]:
        if FIXTURE.read_text() != text:
            print(f"{FIXTURE} is stale: re-run scripts/dev/gen-parser-cases.py", file=sys.stderr)
            return 1
        print(f"{FIXTURE.name}: {len(lines)} cases, up to date")
        return 0
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(text)
    bash_count = sum(1 for l in lines if '"oracle": "bash"' in l)
    print(f"wrote {len(lines)} cases ({bash_count} bash-oracle, {len(lines) - bash_count} manual) to {FIXTURE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
