"""A minimal W3C WebDriver client for chromedriver, standard library only (urllib).

Enough for the console's end-to-end test: sessions, navigation, finding elements, typing, clicking, running a
script, alerts, screenshots and the browser log.
"""

import base64
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class WebDriverError(Exception):
    def __init__(self, status, error, message):
        super().__init__(f"{status} {error}: {message}")
        self.status = status
        self.error = error


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, interval=0.2, what="condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except WebDriverError as error:  # element not there yet
            last = error
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}" + (f" (last error: {last})" if last else ""))


class Chrome:
    """chromedriver + headless Chromium. Use as a context manager."""

    def __init__(self, chromium=None, chromedriver=None, width=1280, height=900, log_path=None):
        self.chromium = chromium or shutil.which("chromium") or "/usr/bin/chromium"
        self.chromedriver = chromedriver or shutil.which("chromedriver") or "/usr/bin/chromedriver"
        self.width, self.height = width, height
        self.log_path = log_path
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.session = None

    def __enter__(self):
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen([self.chromedriver, f"--port={self.port}"], stdout=log, stderr=log)
        wait_for(self._ready, 20, what="chromedriver")
        capabilities = {
            "browserName": "chrome",
            "unhandledPromptBehavior": "ignore",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": self.chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    f"--window-size={self.width},{self.height}", "--hide-scrollbars", "--no-first-run",
                    "--disable-extensions", "--lang=en-US",
                ],
            },
        }
        value = self._call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.session = value["sessionId"]
        return self

    def __exit__(self, *exc):
        try:
            if self.session:
                self._call("DELETE", f"/session/{self.session}")
        except Exception:
            pass
        if self.process:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def _ready(self):
        try:
            return self._call("GET", "/status").get("ready")
        except (OSError, WebDriverError):
            return False

    def _call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read() or b"{}").get("value")
        except urllib.error.HTTPError as error:
            payload = json.loads(error.read() or b"{}").get("value") or {}
            raise WebDriverError(error.code, payload.get("error"), payload.get("message", "")[:500]) from None

    def _s(self, path, method="GET", body=None):
        return self._call(method, f"/session/{self.session}{path}", body)

    # Navigation and page
    def get(self, url):
        self._s("/url", "POST", {"url": url})

    @property
    def url(self):
        return self._s("/url")

    @property
    def title(self):
        return self._s("/title")

    def execute(self, script, *args):
        return self._s("/execute/sync", "POST", {"script": script, "args": list(args)})

    # Elements
    def find(self, css):
        return Element(self, self._s("/element", "POST", {"using": "css selector", "value": css})[ELEMENT])

    def find_all(self, css):
        return [Element(self, e[ELEMENT]) for e in self._s("/elements", "POST", {"using": "css selector", "value": css})]

    def wait(self, css, timeout=20):
        return wait_for(lambda: self.find(css), timeout, what=css)

    # Alerts: None when no alert is open.
    def alert_text(self):
        try:
            return self._s("/alert/text")
        except WebDriverError as error:
            if error.error == "no such alert":
                return None
            raise

    def dismiss_alert(self):
        self._s("/alert/dismiss", "POST", {})

    def browser_log(self):
        try:
            return self._call("POST", f"/session/{self.session}/se/log", {"type": "browser"}) or []
        except WebDriverError:
            return []

    def screenshot(self, path, full_page=True):
        if full_page:
            height = self.execute("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);")
            self._s("/window/rect", "POST", {"width": self.width, "height": max(self.height, min(int(height) + 140, 4000))})
        png = base64.b64decode(self._s("/screenshot"))
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "wb") as f:
            f.write(png)
        if full_page:
            self._s("/window/rect", "POST", {"width": self.width, "height": self.height})
        return path


class Element:
    def __init__(self, driver, id):
        self.driver, self.id = driver, id

    def _e(self, path, method="GET", body=None):
        return self.driver._s(f"/element/{self.id}{path}", method, body)

    def click(self):
        self._e("/click", "POST", {})

    def send_keys(self, text):
        self._e("/value", "POST", {"text": text})

    @property
    def text(self):
        return self._e("/text")

    def attribute(self, name):
        return self._e(f"/attribute/{name}")

    def find(self, css):
        return Element(self.driver, self._e("/element", "POST", {"using": "css selector", "value": css})[ELEMENT])
