"""End-to-end: the real Claude Code CLI (from PyPI's claude-agent-sdk), headless, against a scripted stub of the
Messages API, with a PreToolUse command hook. The hook under test is $CLAWGUARD_HOOK_CMD (default: the tiny
deny-rm hook in hooks/deny_rm.sh); every hook input is recorded by hooks/record_stdin.sh.

Run:  python3 -m pytest -q Tests/E2E   (after scripts/setup.d/30-agents.sh)
"""
import json

from conftest import result_text


def bash(command):
    return {"tool_use": {"name": "Bash", "input": {"command": command, "description": "e2e step"}}}


def test_dangerous_command_is_denied_and_target_untouched(claude_run):
    run = claude_run([bash("rm -rf victim"), {"text": "done"}])
    victim = run.work / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("keep me")
    run()
    assert run.returncode == 0, run.describe()
    # The target is untouched.
    assert (victim / "precious.txt").read_text() == "keep me"
    # The hook received the documented PreToolUse input.
    inputs = run.hook_inputs()
    assert len(inputs) == 1, run.describe()
    hook_input = inputs[0]
    assert hook_input["hook_event_name"] == "PreToolUse"
    assert hook_input["tool_name"] == "Bash"
    assert hook_input["tool_input"]["command"] == "rm -rf victim"
    assert hook_input["cwd"] == str(run.work)
    for key in ("session_id", "transcript_path", "tool_use_id", "permission_mode"):
        assert hook_input.get(key), f"hook input lacks {key}: {hook_input}"
    # Claude Code told the model the call was denied (the tool_result it sent back is an error).
    results = run.tool_results()
    assert len(results) == 1, run.requests()
    assert results[0].get("is_error") is True, results[0]
    assert "denied" in result_text(results[0]).lower() or "blocked" in result_text(results[0]).lower(), results[0]
    # And it reports the denial.
    denials = run.result.get("permission_denials", [])
    assert any(d.get("tool_name") == "Bash" for d in denials), run.describe()


def test_allowed_command_runs(claude_run):
    run = claude_run([bash("echo hello-from-claude > created.txt"), {"text": "done"}])
    run()
    assert run.returncode == 0, run.describe()
    assert (run.work / "created.txt").read_text().strip() == "hello-from-claude", run.describe()
    inputs = run.hook_inputs()
    assert [i["tool_input"]["command"] for i in inputs] == ["echo hello-from-claude > created.txt"]
    results = run.tool_results()
    assert len(results) == 1 and not results[0].get("is_error"), results
    assert run.result.get("permission_denials") == [], run.describe()


def test_several_calls_each_pass_through_the_hook(claude_run):
    run = claude_run([bash("echo one >> log.txt"), bash("rm log.txt"), bash("echo two >> log.txt"),
                      {"text": "done"}])
    run()
    assert run.returncode == 0, run.describe()
    assert [i["tool_input"]["command"] for i in run.hook_inputs()] == [
        "echo one >> log.txt", "rm log.txt", "echo two >> log.txt"]
    # The rm in the middle was denied: both lines are there.
    assert (run.work / "log.txt").read_text().split() == ["one", "two"]
    errors = [r.get("is_error", False) for r in run.tool_results()]
    assert errors == [False, True, False], run.tool_results()


def test_transcript_records_usage_for_cost(claude_run):
    usage = {"input_tokens": 1000, "output_tokens": 200, "cache_creation_input_tokens": 300,
             "cache_read_input_tokens": 4000}
    run = claude_run([dict(bash("echo a"), usage=usage), dict({"text": "done"}, usage=usage)])
    run()
    assert run.returncode == 0, run.describe()
    transcript = run.hook_inputs()[0]["transcript_path"]
    lines = [json.loads(line) for line in open(transcript, encoding="utf-8") if line.strip()]
    assistant = [line for line in lines if line.get("type") == "assistant"]
    assert assistant, "no assistant lines in the transcript"
    ids = {line["message"]["id"] for line in assistant}
    assert len(ids) == 2, ids
    for line in assistant:
        u = line["message"]["usage"]
        assert (u["input_tokens"], u["output_tokens"], u["cache_creation_input_tokens"],
                u["cache_read_input_tokens"]) == (1000, 200, 300, 4000)
