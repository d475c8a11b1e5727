"""Shared fixtures for the real-Claude-Code end-to-end tests (see test_claude_hooks.py)."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
import messages_stub  # noqa: E402


def find_claude():
    """The Claude Code CLI: $CLAUDE_BIN, the setup script's link, or the binary inside claude-agent-sdk."""
    candidates = [os.environ.get("CLAUDE_BIN"), str(REPO / ".build/agents/bin/claude")]
    try:
        import claude_agent_sdk
        candidates.append(os.path.join(os.path.dirname(claude_agent_sdk.__file__), "_bundled", "claude"))
    except ImportError:
        pass
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return None


@pytest.fixture(scope="session")
def claude_bin():
    path = find_claude()
    if path is None:
        # Not a skip: CI runs scripts/setup.sh first, so a missing CLI is a failure.
        pytest.fail("Claude Code CLI not found: run scripts/setup.d/30-agents.sh (pip install claude-agent-sdk) "
                    "or set CLAUDE_BIN")
    return path


class Run:
    """One headless Claude Code run against the stub."""

    def __init__(self, tmp_path, claude_bin, script, hook_cmd=None, allow=("Bash",), extra_env=None):
        self.root = tmp_path
        self.home = tmp_path / "home"
        self.work = tmp_path / "work"
        self.home.mkdir()
        self.work.mkdir()
        self.hook_log = tmp_path / "hook-input.jsonl"
        self.request_log = tmp_path / "requests.jsonl"
        self.settings = tmp_path / "settings.json"
        self.claude_bin = claude_bin
        self.script = script
        self.hook_cmd = hook_cmd or os.environ.get("CLAWGUARD_HOOK_CMD")
        self.extra_env = extra_env or {}
        settings = {
            "permissions": {"allow": list(allow)},
            "hooks": {"PreToolUse": [{"matcher": "*", "hooks": [
                {"type": "command", "command": str(HERE / "hooks" / "record_stdin.sh"), "timeout": 30}]}]},
        }
        self.settings.write_text(json.dumps(settings, indent=2))
        self.result = None
        self.stderr = ""
        self.returncode = None

    def __call__(self, prompt="do the task", timeout=120):
        server = messages_stub.serve(self.script, str(self.request_log))
        port = server.server_address[1]
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "ANTHROPIC_BASE_URL": f"http://127.0.0.1:{port}",
            "ANTHROPIC_API_KEY": "test",
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
            "E2E_HOOK_LOG": str(self.hook_log),
        }
        if self.hook_cmd:
            env["CLAWGUARD_HOOK_CMD"] = self.hook_cmd
        env.update(self.extra_env)
        try:
            proc = subprocess.run(
                [self.claude_bin, "-p", prompt, "--settings", str(self.settings), "--output-format", "json"],
                cwd=self.work, env=env, capture_output=True, text=True, timeout=timeout)
        finally:
            server.shutdown()
            server.server_close()
        self.returncode = proc.returncode
        self.stderr = proc.stderr
        try:
            self.result = json.loads(proc.stdout)
        except ValueError:
            self.result = None
        return self

    def hook_inputs(self):
        if not self.hook_log.exists():
            return []
        return [json.loads(line) for line in self.hook_log.read_text().splitlines() if line.strip()]

    def requests(self):
        if not self.request_log.exists():
            return []
        return [json.loads(line) for line in self.request_log.read_text().splitlines() if line.strip()]

    def tool_results(self):
        """Every tool_result block Claude Code sent back to the API, in order (deduplicated by tool_use_id)."""
        seen = {}
        for req in self.requests():
            body = req.get("body") or {}
            for msg in body.get("messages", []) if isinstance(body, dict) else []:
                if msg.get("role") != "user" or not isinstance(msg.get("content"), list):
                    continue
                for block in msg["content"]:
                    if block.get("type") == "tool_result":
                        seen.setdefault(block["tool_use_id"], block)
        return list(seen.values())

    def describe(self):
        return (f"claude exit {self.returncode}\nstdout json: {json.dumps(self.result)[:1500]}\n"
                f"stderr: {self.stderr[-1500:]}\nhook inputs: {self.hook_inputs()}")


@pytest.fixture
def claude_run(tmp_path, claude_bin):
    def make(script, **kwargs):
        return Run(tmp_path, claude_bin, script, **kwargs)
    return make


def result_text(block):
    content = block.get("content")
    if isinstance(content, list):
        return " ".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)
