#!/usr/bin/env bash
# PreToolUse hook wrapper for the end-to-end tests: records the JSON Claude Code sends on stdin (one line per call,
# to $E2E_HOOK_LOG), then hands the same input to the hook under test ($CLAWGUARD_HOOK_CMD, default: the tiny
# deny-rm hook beside this file) and passes its stdout and exit status back to Claude Code unchanged.
set -u
input=$(cat)
if [ -n "${E2E_HOOK_LOG:-}" ]; then
    printf '%s\n' "$(printf '%s' "$input" | tr -d '\n')" >> "$E2E_HOOK_LOG"
fi
cmd=${CLAWGUARD_HOOK_CMD:-"$(dirname "$0")/deny_rm.sh"}
printf '%s' "$input" | bash -c "$cmd"
