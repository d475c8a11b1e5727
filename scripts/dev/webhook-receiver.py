#!/usr/bin/env python3
"""A loopback HTTP receiver for alert webhooks: appends every POST as one JSON line
{"path": ..., "body": <parsed JSON>, "raw": <body text>, "headers": {...}} to the file given as argv[2]; port argv[1] (0: any, printed
on stdout as the first line). Answers 200, or 500 for paths under /fail/ (to exercise retries)."""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = sys.argv[2]


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw)
        except ValueError:
            body = {"unparsable": raw.decode("utf-8", "replace")}
        with open(LOG, "a") as f:
            f.write(json.dumps({"path": self.path, "body": body, "raw": raw.decode("utf-8", "replace"),
                                "headers": dict(self.headers)}) + "\n")
        status = 500 if self.path.startswith("/fail/") else 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok":true}')

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
