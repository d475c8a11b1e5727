#!/usr/bin/env python3
# A comparable Python hook: parse the input, split the command on operators, match prefixes against an allow
# list, append a JSON line to an audit file and count the call in SQLite, then answer.
import json, re, sqlite3, sys, time
data = json.load(sys.stdin)
cmd = data["tool_input"]["command"]
allow = ["git status", "git diff", "ls", "cat", "grep", "find", "wc", "echo"]
parts = [p.strip() for p in re.split(r"&&|\|\||;|\|", cmd) if p.strip()]
ok = all(any(p == a or p.startswith(a + " ") for a in allow) for p in parts)
db = sqlite3.connect("./py-state.db", timeout=5)
db.execute("CREATE TABLE IF NOT EXISTS calls(session TEXT, tool TEXT, decision TEXT, t REAL)")
db.execute("INSERT INTO calls VALUES (?,?,?,?)", (data["session_id"], data["tool_name"], "allow" if ok else "ask", time.time()))
db.commit()
with open("./py-audit.jsonl", "a") as f:
    f.write(json.dumps({"cmd": cmd, "ok": ok}) + "\n")
print(json.dumps({"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "allow" if ok else "ask"}}))
