#!/usr/bin/env bash
# A minimal PreToolUse hook: denies any Bash command that contains `rm`, allows everything else (no output).
# Stands in for `clawguard hook claude` until that exists.
input=$(cat)
command=$(printf '%s' "$input" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("tool_input",{}).get("command",""))')
case " $command " in
    *rm*)
        printf '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"e2e stub hook: commands containing rm are denied"}}\n'
        ;;
esac
exit 0
