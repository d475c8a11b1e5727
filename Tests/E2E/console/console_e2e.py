#!/usr/bin/env python3
"""End-to-end test of the web console in a real headless Chromium (chromedriver, W3C WebDriver).

Starts `clawguard serve` on 127.0.0.1 with a temporary state, creates a token, logs in through the form, starts
REAL `clawguard hook claude --server URL` processes whose PreToolUse call is an `ask` (they wait), watches the
pending approval appear in the open page (live update, no reload), approves one and denies another by clicking,
and checks each hook process answers allow / deny. The commands carry XSS payloads: the browser must show them as
text — no alert, no injected element, no script run — and every page carries the CSP header. Also: the kill
switch through the page stops the next hook call; the audit page shows a verified chain. Screenshots (PNG) of the
main pages go to --screenshots (default: a temporary directory).

Usage: console_e2e.py --binary .build/debug/clawguard [--screenshots docs/console]
Exit status 0 only if every check passed.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import webdriver  # noqa: E402


def settle(predicate, timeout=15):
    """The value of `predicate` once it is truthy (a click's navigation may not have finished when it returns),
    or its last value after `timeout` seconds; element lookups that fail while the page loads count as falsy."""
    deadline = time.monotonic() + timeout
    value = None
    while True:
        try:
            value = predicate()
        except webdriver.WebDriverError:
            value = None
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(0.2)

IMG_PAYLOAD = 'echo "<img src=x onerror=alert(1)>"'
SCRIPT_PAYLOAD = "echo '</script><script>window.__xss=1;alert(2)</script>'"
ATTR_PAYLOAD = "echo '\"><svg onload=alert(3)>' x=\"' onmouseover='alert(4)'\""

POLICY = """version: 1
mode: default
permissions:
  allow: ["Bash(ls:*)", "Bash(git status:*)"]
  ask: ["Bash(echo:*)"]
  deny: ["Bash(rm:*)"]
budgets: { session_usd: 2, daily_usd_per_user: 3 }
"""

failures = []


def check(condition, what):
    print(("  ok    " if condition else "  FAIL  ") + what, flush=True)
    if not condition:
        failures.append(what)
    return condition


class Hook:
    """A real `clawguard hook claude --server` process with a PreToolUse payload on stdin."""

    def __init__(self, binary, server, token, session, tool, tool_input, cwd, transcript=""):
        payload = {"session_id": session, "transcript_path": transcript, "cwd": cwd, "hook_event_name": "PreToolUse",
                   "tool_name": tool, "tool_input": tool_input}
        env = dict(os.environ, CLAWGUARD_TOKEN=token, USER="e2e-" + session.split("-")[0])
        self.process = subprocess.Popen([binary, "hook", "claude", "--server", server], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.process.stdin.write(json.dumps(payload).encode())
        self.process.stdin.close()
        self.process.stdin = None

    def running(self):
        return self.process.poll() is None

    def result(self, timeout=30):
        try:
            stdout, stderr = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            stdout, stderr = self.process.communicate()
        decision = None
        try:
            decision = json.loads(stdout)["hookSpecificOutput"]["permissionDecision"]
        except (ValueError, KeyError, TypeError):
            pass
        return self.process.returncode, decision, stdout.decode(errors="replace"), stderr.decode(errors="replace")


def http_headers(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return {k.lower(): v for k, v in response.headers.items()}


def xss_state(chrome):
    """What an executed payload would have left behind."""
    return chrome.execute("""
        var scripts = Array.from(document.scripts).map(function (s) { return s.getAttribute('src'); });
        var handlers = Array.from(document.querySelectorAll('*')).filter(function (e) {
            return Array.from(e.attributes).some(function (a) { return a.name.toLowerCase().indexOf('on') === 0; });
        }).length;
        return {xss: window.__xss === undefined ? null : window.__xss, scripts: scripts,
                imgs: document.querySelectorAll('img').length, iframes: document.querySelectorAll('iframe').length,
                svgOnload: document.querySelectorAll('svg[onload]').length, handlers: handlers};
    """)


def expect_inert(chrome, where):
    check(chrome.alert_text() is None, f"{where}: no alert dialog opened")
    state = xss_state(chrome)
    check(state["xss"] is None, f"{where}: the injected script did not run (window.__xss undefined)")
    check(state["scripts"] == ["/ui/static/console.js"], f"{where}: the only script is /ui/static/console.js ({state['scripts']})")
    check(state["imgs"] == 0 and state["iframes"] == 0 and state["svgOnload"] == 0,
          f"{where}: no injected <img>, <iframe> or <svg onload> element ({state})")
    check(state["handlers"] == 0, f"{where}: no element carries an on* handler attribute")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/debug/clawguard")
    parser.add_argument("--screenshots", default=None)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    for tool in ("chromium", "chromedriver"):
        if not shutil.which(tool):
            print(f"console e2e: {tool} is not installed (scripts/setup.d/60-console.sh installs it)")
            return 1

    work = tempfile.mkdtemp(prefix="cg-console-e2e-")
    shots = os.path.abspath(args.screenshots or os.path.join(work, "screenshots"))
    os.makedirs(shots, exist_ok=True)
    state = os.path.join(work, "state.db")
    policy = os.path.join(work, "policy.yaml")
    with open(policy, "w") as f:
        f.write(POLICY)
    project = os.path.join(work, "project")
    os.makedirs(project)

    created = json.loads(subprocess.check_output([binary, "token", "create", "--state", state, "--name", "console-e2e",
                                                  "--scopes", "*", "--json"]))
    token = created["token"]
    hook_token = json.loads(subprocess.check_output([binary, "token", "create", "--state", state, "--name", "hooks",
                                                     "--scopes", "chat", "--json"]))["token"]
    server_log = open(os.path.join(work, "serve.log"), "w")
    server = subprocess.Popen([binary, "serve", "--state", state, "--policy", policy, "--port", "0",
                               "--approval-timeout", "90"], stdout=server_log, stderr=subprocess.STDOUT, cwd=project)
    hooks = []
    try:
        base = webdriver.wait_for(lambda: _listening(os.path.join(work, "serve.log")), 30, what="clawguard serve")
        print(f"console e2e: server {base}, work {work}")

        # Some traffic for the dashboard: allowed, denied, from two users, with spend read from transcripts in
        # Claude Code's format (one assistant message each: ana-1 $1.20, bo-1 $0.60 at claude-sonnet-4-5 prices).
        transcripts = {}
        for session, (tokens_in, tokens_out) in {"ana-1": (200_000, 40_000), "bo-1": (100_000, 20_000)}.items():
            transcripts[session] = os.path.join(work, session + ".jsonl")
            with open(transcripts[session], "w") as f:
                f.write(json.dumps({"type": "assistant", "message": {"id": "msg_" + session, "model": "claude-sonnet-4-5",
                                    "usage": {"input_tokens": tokens_in, "output_tokens": tokens_out}}}) + "\n")
        for i, (session, command) in enumerate([("ana-1", "ls -la"), ("ana-1", "git status"), ("bo-1", "ls"),
                                                ("bo-1", "rm -rf /"), ("ana-1", "rm -rf build")]):
            hook = Hook(binary, base, hook_token, session, "Bash", {"command": command}, project, transcripts[session])
            code, decision, _, _ = hook.result()
            check(decision == ("deny" if command.startswith("rm") else "allow"), f"warm-up hook `{command}` → {decision}")

        headers = http_headers(base + "/ui/login")
        csp = headers.get("content-security-policy", "")
        check("default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp,
              f"CSP header on /ui/login: {csp}")
        check(headers.get("x-content-type-options") == "nosniff", "X-Content-Type-Options: nosniff")

        with webdriver.Chrome(log_path=os.path.join(work, "chromedriver.log")) as chrome:
            # Log in through the form.
            chrome.get(base + "/ui")
            check(chrome.url.endswith("/ui/login"), f"not logged in → redirected to the login page ({chrome.url})")
            chrome.screenshot(os.path.join(shots, "login.png"))
            chrome.find("#token").send_keys("not-a-token")
            chrome.find("#login-submit").click()
            check("not valid" in chrome.wait(".flash").text, "a bad token is refused with a message")
            chrome.find("#token").send_keys(token)
            chrome.find("#login-submit").click()
            webdriver.wait_for(lambda: chrome.url.rstrip("/").endswith("/ui"), 10, what="dashboard after login")
            cookies = chrome._s("/cookie")
            session_cookie = [c for c in cookies if c["name"] == "cg_session"]
            check(len(session_cookie) == 1 and session_cookie[0]["httpOnly"] and session_cookie[0].get("sameSite") == "Strict",
                  f"session cookie is HttpOnly and SameSite=Strict ({session_cookie})")
            check(chrome.execute("return document.cookie;") == "", "document.cookie cannot read the session cookie")

            # The approvals page is open BEFORE the hook asks: the request must appear without a reload.
            chrome.get(base + "/ui/approvals")
            chrome.execute("window.__noReload = 'still here';")
            check(len(chrome.find_all("[data-approval-id]")) == 0, "no pending approval yet")
            first = Hook(binary, base, hook_token, "ana-2", "Bash", {"command": IMG_PAYLOAD}, project)
            hooks.append(first)
            card = webdriver.wait_for(lambda: chrome.find_all("[data-approval-id]"), 20, what="the pending approval to appear")
            check(len(card) == 1, "the waiting hook's request appears on the open page (live update)")
            check(chrome.execute("return window.__noReload;") == "still here", "…without a page reload")
            check(first.running(), "the hook process is waiting for the decision")
            shown = chrome.find(".approval-command").text
            check(shown == IMG_PAYLOAD, f"the command is shown as text, exactly: {shown!r}")
            badge = chrome.find("#pending-count").text
            check(badge == "1", f"the navigation badge says 1 pending ({badge})")
            expect_inert(chrome, "approvals page with the <img onerror> payload")

            second = Hook(binary, base, hook_token, "bo-2", "Bash", {"command": SCRIPT_PAYLOAD}, project)
            third = Hook(binary, base, hook_token, "bo-2", "Bash", {"command": ATTR_PAYLOAD}, project)
            hooks += [second, third]
            webdriver.wait_for(lambda: len(chrome.find_all("[data-approval-id]")) == 3, 20, what="three pending approvals")
            texts = [e.text for e in chrome.find_all(".approval-command")]
            check(sorted(texts) == sorted([IMG_PAYLOAD, SCRIPT_PAYLOAD, ATTR_PAYLOAD]), f"all three commands shown as text: {texts}")
            expect_inert(chrome, "approvals page with three payloads")
            chrome.screenshot(os.path.join(shots, "approvals.png"))

            # Approve the first (once), deny the second (with a reason), approve the third for the session.
            def card_for(command):
                for element in chrome.find_all("[data-approval-id]"):
                    if element.find(".approval-command").text == command:
                        return element
                raise AssertionError("no card for " + command)

            card_for(IMG_PAYLOAD).find("button.approve").click()
            code, decision, out, err = first.result(timeout=30)
            check(code == 0 and decision == "allow", f"approve → the hook exits 0 with allow ({code}, {decision}, {err.strip()[:200]})")
            flash = webdriver.wait_for(lambda: chrome.find(".flash").text, 10, what="the confirmation")
            check("Approved" in flash, f"the page confirms the approval ({flash})")

            deny_card = card_for(SCRIPT_PAYLOAD)
            denied_id = deny_card.attribute("data-approval-id")
            deny_card.find("input[name=reason]").send_keys("not on my watch")
            deny_card.find("button.deny").click()
            code, decision, out, err = second.result(timeout=30)
            check(code == 0 and decision == "deny", f"deny → the hook answers deny ({code}, {decision})")
            chrome.get(base + "/ui/approvals/" + denied_id)
            detail = chrome.find("main").text
            check("not on my watch" in detail and "console-e2e" in detail, "the denial records its reason and who decided")
            expect_inert(chrome, "one approval's page")
            chrome.get(base + "/ui/approvals")

            session_card = card_for(ATTR_PAYLOAD)
            chrome.execute("arguments[0].value = 'session';", {webdriver.ELEMENT: session_card.find("select[name=scope]").id})
            session_card.find("button.approve").click()
            code, decision, _, _ = third.result(timeout=30)
            check(decision == "allow", f"approve for the session → allow ({decision})")
            again = Hook(binary, base, hook_token, "bo-2", "Bash", {"command": ATTR_PAYLOAD}, project)
            code, decision, _, _ = again.result(timeout=30)
            check(decision == "allow", f"the same call again in that session is allowed without asking ({decision})")
            expect_inert(chrome, "approvals page after the decisions")
            decided = chrome.find("#decided").text
            check("console-e2e" in decided, "recently decided lists who decided")

            # Dashboard, sessions, one session's timeline, audit, kill switch.
            chrome.get(base + "/ui")
            check(len(chrome.find_all("svg.chart")) >= 4, "the dashboard draws its charts")
            check(chrome.find("#tile-denials .tile-value").text not in ("", "0"), "the dashboard counts denials")
            spend = chrome.find("#tile-spend .tile-value").text
            check(spend == "$1.80", f"the dashboard sums the spend read from the transcripts ({spend})")
            expect_inert(chrome, "dashboard")
            chrome.screenshot(os.path.join(shots, "dashboard.png"))

            chrome.get(base + "/ui/sessions")
            check(len(chrome.find_all("#sessions tbody tr")) >= 4, "the sessions page lists the sessions")
            chrome.screenshot(os.path.join(shots, "sessions.png"))
            chrome.get(base + "/ui/sessions/bo-2")
            timeline = chrome.find("#timeline").text
            check("approval_requested" in timeline and SCRIPT_PAYLOAD in timeline, "the session timeline shows the request and its command")
            expect_inert(chrome, "session timeline")
            chrome.screenshot(os.path.join(shots, "session.png"))

            chrome.get(base + "/ui/audit")
            status = chrome.find("#chain-status")
            check(status.attribute("data-ok") == "true", f"the audit page shows a verified chain: {status.text}")
            chrome.find("input[name=q]").send_keys("onerror")
            chrome.find("form.search button").click()
            webdriver.wait_for(lambda: "q=onerror" in chrome.url, 15, what="the search results page")
            rows = settle(lambda: chrome.find_all("#audit tbody tr")) or []
            check(len(rows) >= 1, f"audit search finds the payload's records ({len(rows)})")
            expect_inert(chrome, "audit search results")
            chrome.screenshot(os.path.join(shots, "audit.png"))

            chrome.get(base + "/ui/kill-switch")
            chrome.find("input[name=reason]").send_keys("e2e drill")
            chrome.find("#kill-on").click()
            check(settle(lambda: chrome.find("#kill-state").attribute("data-on") == "true"), "the kill switch is on")
            code, decision, _, _ = Hook(binary, base, hook_token, "ana-1", "Bash", {"command": "ls"}, project).result()
            check(decision == "deny", f"with the kill switch on, an allowed command is denied ({decision})")
            chrome.screenshot(os.path.join(shots, "kill-switch.png"))
            chrome.find("#kill-off").click()
            check(settle(lambda: chrome.find("#kill-state").attribute("data-on") == "false"), "the kill switch is off again")
            code, decision, _, _ = Hook(binary, base, hook_token, "ana-1", "Bash", {"command": "ls"}, project).result()
            check(decision == "allow", f"…and the command is allowed again ({decision})")

            # A forged cross-site form post is refused (no CSRF token): a page on another origin posting here.
            chrome.get("data:text/html,<form id=f method=post action='" + base + "/ui/kill-switch'>"
                       "<input name=state value=on></form><script>document.getElementById('f').submit()</script>")
            time.sleep(2)
            check(kill_switch_on(base, token) is False, "a cross-site form post cannot turn the kill switch on")

            # Log out.
            chrome.get(base + "/ui")
            chrome.find("form.logout button").click()
            webdriver.wait_for(lambda: chrome.url.endswith("/ui/login"), 10, what="login page after logout")
            chrome.get(base + "/ui/approvals")
            check(chrome.url.endswith("/ui/login"), "after logout the console needs a login again")
    finally:
        for hook in hooks:
            if hook.running():
                hook.process.kill()
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        server_log.close()

    print(f"console e2e: screenshots in {shots}")
    if failures:
        print(f"console e2e: {len(failures)} check(s) FAILED; server log: {os.path.join(work, 'serve.log')}")
        with open(os.path.join(work, "serve.log")) as f:
            print(f.read()[-3000:])
        return 1
    print("console e2e: all checks passed")
    shutil.rmtree(work, ignore_errors=True) if args.screenshots else None
    return 0


def kill_switch_on(base, token):
    request = urllib.request.Request(base + "/v1/kill-switch", headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["on"]


def _listening(log_path):
    try:
        with open(log_path) as f:
            match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", f.read())
            return match.group(1) if match else None
    except OSError:
        return None


if __name__ == "__main__":
    sys.exit(main())
