#!/usr/bin/env python3
"""A stub of the Anthropic Messages API on 127.0.0.1, scripted turn by turn, for driving the real Claude Code CLI.

Usage:  messages_stub.py --script turns.json --log requests.jsonl [--port 0] [--port-file PATH]

The script is a JSON list of turns. Turn i answers the main agent-loop request whose `messages` hold i assistant
messages (so retries and side requests do not shift the script). A turn is one of
    {"tool_use": {"name": "Bash", "input": {"command": "ls"}}, "text": "optional text first"}
    {"text": "done"}
plus optional "usage": {"input_tokens": .., "output_tokens": .., "cache_creation_input_tokens": ..,
"cache_read_input_tokens": ..} and "model". Past the end of the script the stub answers text "done".
Requests without tools (titles, summaries, side queries) get a short text answer and never consume a turn.

`POST /v1/messages` streams server-sent events exactly as the API does (message_start, content_block_start /
ping / content_block_delta (text_delta, input_json_delta) / content_block_stop, message_delta with usage and
stop_reason, message_stop) when `"stream": true`, else returns one JSON message. `POST
/v1/messages/count_tokens` answers a token count. Anything else answers 200 `{}` (logged, so a test can see what
the CLI called). Every request is appended to the log as one JSON line: method, path, selected headers, body.
"""
import argparse
import json
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFAULT_MODEL = "claude-sonnet-4-5-20250929"
DEFAULT_USAGE = {"input_tokens": 1200, "output_tokens": 40, "cache_creation_input_tokens": 0,
                 "cache_read_input_tokens": 0}


class Stub:
    def __init__(self, script, log_path):
        self.script = script
        self.log_path = log_path
        self.lock = threading.Lock()

    def log(self, entry):
        with self.lock, open(self.log_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")

    def turn_for(self, body):
        """The scripted turn for a request, or a plain text turn for side requests."""
        if not body.get("tools"):
            return {"text": "ok", "side": True}
        assistant_turns = sum(1 for m in body.get("messages", []) if m.get("role") == "assistant")
        if assistant_turns < len(self.script):
            return self.script[assistant_turns]
        return {"text": "done"}


def content_blocks(turn):
    blocks = []
    if turn.get("text"):
        blocks.append({"type": "text", "text": turn["text"]})
    if turn.get("tool_use"):
        use = turn["tool_use"]
        blocks.append({"type": "tool_use", "id": "toolu_" + uuid.uuid4().hex[:24], "name": use["name"],
                       "input": use.get("input", {})})
    if not blocks:
        blocks.append({"type": "text", "text": "done"})
    return blocks


def sse(event, data):
    return f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()


def make_handler(stub):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def read_body(self):
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                return json.loads(raw) if raw else None
            except ValueError:
                return {"_unparsed": raw[:2000].decode("utf-8", "replace")}

        def record(self, body):
            stub.log({"method": self.command, "path": self.path,
                      "headers": {k: v for k, v in self.headers.items()
                                  if k.lower() in ("anthropic-version", "anthropic-beta", "user-agent", "x-app")},
                      "body": body})

        def send_json(self, status, obj):
            data = json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.send_header("request-id", "req_" + uuid.uuid4().hex[:24])
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self.record(None)
            self.send_json(200, {})

        def do_HEAD(self):
            self.record(None)
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()

        def do_POST(self):
            body = self.read_body()
            self.record(body)
            path = self.path.split("?")[0]
            if path.endswith("/v1/messages/count_tokens"):
                return self.send_json(200, {"input_tokens": 100})
            if not path.endswith("/v1/messages") or not isinstance(body, dict):
                return self.send_json(200, {})
            turn = stub.turn_for(body)
            model = turn.get("model") or body.get("model") or DEFAULT_MODEL
            usage = dict(DEFAULT_USAGE, **turn.get("usage", {}))
            blocks = content_blocks(turn)
            stop_reason = "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"
            message_id = "msg_" + uuid.uuid4().hex[:24]
            if not body.get("stream"):
                return self.send_json(200, {"id": message_id, "type": "message", "role": "assistant", "model": model,
                                            "content": blocks, "stop_reason": stop_reason, "stop_sequence": None,
                                            "usage": usage})
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("cache-control", "no-cache")
            self.send_header("request-id", "req_" + uuid.uuid4().hex[:24])
            self.send_header("connection", "close")
            self.end_headers()
            start_usage = dict(usage, output_tokens=1)
            out = [sse("message_start", {"type": "message_start", "message": {
                "id": message_id, "type": "message", "role": "assistant", "model": model, "content": [],
                "stop_reason": None, "stop_sequence": None, "usage": start_usage}})]
            for index, block in enumerate(blocks):
                if block["type"] == "text":
                    out.append(sse("content_block_start", {"type": "content_block_start", "index": index,
                                                           "content_block": {"type": "text", "text": ""}}))
                    if index == 0:
                        out.append(sse("ping", {"type": "ping"}))
                    text = block["text"]
                    for piece in [text[:len(text) // 2], text[len(text) // 2:]]:
                        if piece:
                            out.append(sse("content_block_delta", {"type": "content_block_delta", "index": index,
                                                                   "delta": {"type": "text_delta", "text": piece}}))
                else:
                    out.append(sse("content_block_start", {"type": "content_block_start", "index": index,
                                                           "content_block": {"type": "tool_use", "id": block["id"],
                                                                             "name": block["name"], "input": {}}}))
                    partial = json.dumps(block["input"])
                    cut = len(partial) // 2
                    for piece in ["", partial[:cut], partial[cut:]]:
                        out.append(sse("content_block_delta", {"type": "content_block_delta", "index": index,
                                                               "delta": {"type": "input_json_delta",
                                                                         "partial_json": piece}}))
                out.append(sse("content_block_stop", {"type": "content_block_stop", "index": index}))
            out.append(sse("message_delta", {"type": "message_delta",
                                             "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                                             "usage": {"output_tokens": usage["output_tokens"]}}))
            out.append(sse("message_stop", {"type": "message_stop"}))
            self.wfile.write(b"".join(out))
            self.wfile.flush()
            self.close_connection = True

    return Handler


def serve(script, log_path, port=0, host="127.0.0.1"):
    """Starts the stub in a background thread; returns the server (server.server_address[1] is the port)."""
    server = ThreadingHTTPServer((host, port), make_handler(Stub(script, log_path)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--script", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind: loopback, or a test host's address inside its own network namespace")
    args = parser.parse_args()
    with open(args.script, encoding="utf-8") as f:
        script = json.load(f)
    server = ThreadingHTTPServer((args.host, args.port), make_handler(Stub(script, args.log)))
    port = server.server_address[1]
    if args.port_file:
        with open(args.port_file, "w") as f:
            f.write(str(port))
    print(port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
