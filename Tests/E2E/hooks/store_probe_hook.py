#!/usr/bin/env python3
"""A PreToolUse hook built on the state store, for the end-to-end tests until `clawguard hook claude` exists:
the verdict is the tiny deny-rm rule, and every call goes through `clawguard log record-call` (kill switch, loop
detection, rate limit, session budget from the transcript, audit trail). Answers Claude Code's hook JSON:
deny with the store's reason; a budget or kill-switch hit also stops the session (`continue: false`).
Any failure is a deny (fail closed).

Environment: CLAWGUARD_BIN, CLAWGUARD_STATE, E2E_SESSION_USD, E2E_PER_MINUTE."""
import json
import os
import subprocess
import sys


def answer(decision, reason, stop=False):
    out = {"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": decision,
                                  "permissionDecisionReason": reason}}
    if stop:
        out["continue"] = False
        out["stopReason"] = reason
    print(json.dumps(out))
    sys.exit(0)


def main():
    try:
        event = json.load(sys.stdin)
        command = str(event.get("tool_input", {}).get("command", json.dumps(event.get("tool_input", {}))))
        verdict = "deny" if "rm" in command else "allow"
        args = [os.environ["CLAWGUARD_BIN"], "log", "record-call", "--state", os.environ["CLAWGUARD_STATE"],
                "--session", event["session_id"], "--agent", "claude-code", "--tool", event["tool_name"],
                "--command", command, "--verdict", verdict,
                "--verdict-reason", "commands containing rm are denied" if verdict == "deny" else "allowed"]
        if event.get("transcript_path"):
            args += ["--transcript", event["transcript_path"]]
        if os.environ.get("E2E_SESSION_USD"):
            args += ["--session-usd", os.environ["E2E_SESSION_USD"]]
        if os.environ.get("E2E_PER_MINUTE"):
            args += ["--per-minute", os.environ["E2E_PER_MINUTE"]]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=20)
        outcome = json.loads(proc.stdout.strip().splitlines()[-1])
    except Exception as error:  # fail closed
        answer("deny", f"ClawGuard hook error: {error}")
    if outcome.get("enforced") == "allow":
        sys.exit(0)  # no opinion: Claude Code's own permissions apply
    stop = any(h in ("session-budget", "daily-budget", "kill-switch") for h in outcome.get("hits", []))
    answer("deny", "ClawGuard: " + outcome.get("reason", "denied"), stop=stop)


if __name__ == "__main__":
    main()
