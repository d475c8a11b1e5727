#!/usr/bin/env python3
"""Console page latency: a `clawguard serve` with 1,000 decisions over 40 sessions and 50 approvals waiting, then
20 GETs of each page through a logged-in session (urllib). Bounded (about a minute).
Usage: Benchmarks/console/pages.py [path/to/clawguard]   (default: .build/debug/clawguard)"""
import json, os, re, subprocess, sys, tempfile, time, urllib.request, statistics
b = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/clawguard")
d = tempfile.mkdtemp()
open(d + "/p.yaml", "w").write('version: 1\nmode: default\npermissions: { allow: ["Bash(ls:*)"], ask: ["Bash(echo:*)"], deny: ["Bash(rm:*)"] }\n')
tok = json.loads(subprocess.check_output([b, "token", "create", "--state", d + "/s.db", "--name", "m", "--scopes", "*", "--json"]))["token"]
log = open(d + "/log", "w")
p = subprocess.Popen([b, "serve", "--state", d + "/s.db", "--policy", d + "/p.yaml", "--port", "0"], stdout=log, stderr=log, cwd=d)
try:
    time.sleep(3)
    base = re.search(r"listening on (\S+)", open(d + "/log").read()).group(1)
    def decide(cmd, session):
        body = json.dumps({"tool": "Bash", "input": {"command": cmd}, "cwd": d, "session_id": session, "wait": False}).encode()
        r = urllib.request.Request(base + "/v1/decide", data=body, headers={"Authorization": "Bearer " + tok, "Content-Type": "application/json"})
        return json.loads(urllib.request.urlopen(r).read())["decision"]
    for i in range(1000):
        decide(("ls %d" if i % 3 else "rm -rf /x%d") % i, "s%d" % (i % 40))
    import threading
    def waiting(i):
        body = json.dumps({"tool": "Bash", "input": {"command": "echo pending %d '<b>'" % i}, "cwd": d, "session_id": "p%d" % i, "wait": True}).encode()
        r = urllib.request.Request(base + "/v1/decide", data=body, headers={"Authorization": "Bearer " + tok, "Content-Type": "application/json"})
        try: urllib.request.urlopen(r, timeout=300).read()
        except Exception: pass
    for i in range(50):
        threading.Thread(target=waiting, args=(i,), daemon=True).start()
    time.sleep(3)
    # login
    import http.cookiejar
    jar = http.cookiejar.CookieJar()
    op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = op.open(base + "/ui/login").read().decode()
    csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    op.open(urllib.request.Request(base + "/ui/login", data=("token=%s&csrf=%s" % (tok, csrf)).encode(), headers={"Origin": base}))
    for path in ["/ui", "/ui/approvals", "/ui/approvals/pending", "/ui/sessions", "/ui/sessions/s1", "/ui/audit", "/ui/audit?q=rm"]:
        times = []
        for _ in range(20):
            t = time.perf_counter(); body = op.open(base + path).read(); times.append((time.perf_counter() - t) * 1000)
        times.sort()
        print(f"{path:28s} median {statistics.median(times):7.1f} ms  p95 {times[18]:7.1f} ms  {len(body)/1024:6.1f} KiB")
finally:
    p.terminate(); p.wait()
