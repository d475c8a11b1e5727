"""End-to-end with the real Claude Code CLI, ClawGuard's real hook (`clawguard hook claude`) and the real state
store, under a ClawGuard policy written per test. Shows: a dangerous command is denied and its target untouched,
an allowed one runs, a loop is stopped, a session budget stops the session, the kill switch denies everything,
and the audit trail verifies and holds the events.

Needs the clawguard binary ($CLAWGUARD_BIN, default .build/debug/clawguard).
"""
import json
import os
import subprocess
import sys

import pytest

from conftest import HERE, REPO

BIN = os.environ.get("CLAWGUARD_BIN", str(REPO / ".build/debug/clawguard"))


@pytest.fixture
def store_run(claude_run, tmp_path):
    if not os.access(BIN, os.X_OK):
        pytest.fail(f"clawguard binary not found at {BIN}: run swift build (or set CLAWGUARD_BIN)")
    state = tmp_path / "state" / "state.db"

    def make(script, session_usd=None, **env):
        policy = tmp_path / "clawguard.yaml"
        lines = [
            "version: 1",
            "default_profile: e2e",
        ]
        if session_usd is not None:
            lines.append(f"budgets: {{session_usd: {session_usd}}}")
        lines += [
            "profiles:",
            "  e2e:",
            "    mode: default",
            "    permissions:",
            '      allow: ["Bash(echo *)", "Bash(ls *)", "Bash(cat *)", "Edit(./**)"]',
            '      deny: ["Bash(rm *)"]',
        ]
        policy.write_text("\n".join(lines) + "\n")
        run = claude_run(script, hook_cmd=f"{BIN} hook claude --policy {policy}",
                         extra_env={"CLAWGUARD_STATE": str(state), **env})
        run.state = state
        return run
    return make


def clawguard(run, *args):
    return subprocess.run([BIN, *args, "--state", str(run.state)], capture_output=True, text=True, timeout=30)


def audit(run):
    out = clawguard(run, "log", "export", "--format", "jsonl")
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def bash(command):
    return {"tool_use": {"name": "Bash", "input": {"command": command, "description": "e2e step"}}}


def test_dangerous_command_denied_and_recorded(store_run):
    run = store_run([bash("rm -rf victim"), bash("echo ok > ok.txt"), {"text": "done"}])
    (run.work / "victim").mkdir()
    (run.work / "victim" / "keep.txt").write_text("keep")
    run()
    assert run.returncode == 0, run.describe()
    assert (run.work / "victim" / "keep.txt").read_text() == "keep"
    assert (run.work / "ok.txt").read_text().strip() == "ok"
    events = audit(run)
    assert [e["type"] for e in events] == ["agent_started", "tool_blocked", "tool_invoked"]
    blocked = events[1]
    assert blocked["tool"] == "Bash" and blocked["decision"] == "deny"
    assert blocked["details"]["parameters"]["command"] == "rm -rf victim"
    assert blocked["session"] == run.hook_inputs()[0]["session_id"]
    assert clawguard(run, "log", "verify").returncode == 0


def test_loop_is_stopped(store_run):
    same = bash("echo retry >> attempts.txt")
    run = store_run([same, same, same, same, {"text": "done"}])
    run()
    assert run.returncode == 0, run.describe()
    # Third identical call within five is denied, and the fourth too: two lines only.
    assert (run.work / "attempts.txt").read_text().split() == ["retry", "retry"]
    results = run.tool_results()
    assert [r.get("is_error", False) for r in results] == [False, False, True, True], results
    denial = " ".join(str(r.get("content")) for r in results if r.get("is_error"))
    assert "loop detected" in denial
    blocked = [e for e in audit(run) if e["type"] == "tool_blocked"]
    assert [e["rule"] for e in blocked] == ["loop_detection", "loop_detection"]
    assert clawguard(run, "log", "verify").returncode == 0


def test_budget_stops_the_session(store_run):
    # Each assistant message: 100,000 output tokens on claude-sonnet-4-5 at $15/M + 1,000 input at $3/M = $1.503.
    # Before the first call the transcript holds $1.503 (allowed); before the second, $3.006 >= $3 (denied, stop).
    usage = {"input_tokens": 1000, "output_tokens": 100_000}
    turns = [dict(bash(f"echo {i} >> spent.txt"), usage=usage, model="claude-sonnet-4-5-20250929") for i in range(5)]
    turns.append({"text": "done"})
    run = store_run(turns, session_usd=3)
    run()
    inputs = run.hook_inputs()
    lines = (run.work / "spent.txt").read_text().split() if (run.work / "spent.txt").exists() else []
    # Claude Code appends to its transcript asynchronously: at the second call the second message is usually
    # there ($3.006, denied), sometimes not yet (then the third call is denied). Never later than that.
    assert lines in (["0"], ["0", "1"]), run.describe()
    # The denied call stopped the session: no more tool calls reached the hook, no more model requests were made.
    assert len(inputs) == len(lines) + 1, run.describe()
    main_requests = [r for r in run.requests() if (r.get("body") or {}).get("tools")]
    assert len(main_requests) == len(inputs), [len((r.get("body") or {}).get("messages", [])) for r in main_requests]
    events = audit(run)
    exceeded = [e for e in events if e["type"] == "budget_exceeded"]
    assert len(exceeded) == 1 and exceeded[0]["details"]["limit"] == 3, events
    assert exceeded[0]["details"]["actual"] > 3
    assert clawguard(run, "log", "verify").returncode == 0


def test_kill_switch_denies_everything(store_run):
    run = store_run([bash("echo should-not-run > ran.txt"), {"text": "done"}])
    on = clawguard(run, "kill-switch", "on", "--reason", "e2e incident")
    assert on.returncode == 0, on.stderr
    run()
    assert not (run.work / "ran.txt").exists(), run.describe()
    events = audit(run)
    assert [e["type"] for e in events] == ["kill_switch", "agent_started", "tool_blocked"], events
    assert "kill switch is on (e2e incident)" in events[-1]["reason"]
    assert clawguard(run, "kill-switch", "off").returncode == 0
    assert clawguard(run, "log", "verify").returncode == 0
