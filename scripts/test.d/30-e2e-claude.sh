#!/usr/bin/env bash
# The real Claude Code CLI, headless, against the scripted Messages API stub, with a PreToolUse hook
# ($CLAWGUARD_HOOK_CMD; default: the tiny deny-rm hook in Tests/E2E/hooks). Bounded: 5 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
timeout 300 python3 -m pytest -q -p no:cacheprovider Tests/E2E
