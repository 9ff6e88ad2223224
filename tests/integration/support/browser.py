#!/usr/bin/python3
"""Drives Debian's headless chromium through the DevTools protocol, as a
resident on a phone would use a page: 375x667, touch, one tab.

    browser.py STEPS.json

STEPS is a JSON list; each step is one of
  {"go": URL}                        open URL and wait for the page
  {"fill": {"CSS": "text", ...}}     type into inputs (value set, input event)
  {"click": CSS}                     click, then wait for the next page if one loads
  {"wait_text": TEXT, "timeout": S}  wait until the page's text holds TEXT
  {"shot": FILE}                     PNG screenshot of the whole page
  {"text": FILE}                     the page's visible text into FILE
  {"html": FILE}                     the page's HTML into FILE
  {"url": FILE}                      the current address into FILE
Exit status 1 with a message when a step fails (element missing, timeout).
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import websocket  # python3-websocket


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="heat-chromium-")
        exe = shutil.which("chromium") or "/usr/bin/chromium"
        self.proc = subprocess.Popen(
            [exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-extensions", "--disable-background-networking", "--remote-debugging-port=0",
             "--user-data-dir=" + self.profile, "--window-size=375,667", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        for _ in range(300):
            if os.path.exists(port_file) and open(port_file).read().count("\n") >= 1:
                break
            time.sleep(0.1)
        port = open(port_file).read().split("\n")[0]
        import urllib.request
        targets = json.load(urllib.request.urlopen("http://127.0.0.1:%s/json" % port))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30,
                                              suppress_origin=True)
        self.next_id = 0
        self.events = []
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Emulation.setDeviceMetricsOverride",
                  width=375, height=667, deviceScaleFactor=2, mobile=True)
        self.call("Emulation.setTouchEmulationEnabled", enabled=True)

    def call(self, method, **params):
        self.next_id += 1
        my = self.next_id
        self.ws.send(json.dumps({"id": my, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my:
                if "error" in msg:
                    raise RuntimeError("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})
            self.events.append(msg)

    def wait_load(self, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            if any(e.get("method") == "Page.loadEventFired" for e in self.events):
                self.events.clear()
                return
            self.ws.settimeout(max(0.1, end - time.time()))
            try:
                self.events.append(json.loads(self.ws.recv()))
            except websocket.WebSocketTimeoutException:
                break
        raise RuntimeError("the page did not load within %s s" % timeout)

    def js(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError("script failed: %s" % r["exceptionDetails"].get("text"))
        return r["result"].get("value")

    def close(self):
        try:
            self.ws.close()
        finally:
            self.proc.kill()
            self.proc.wait()
            shutil.rmtree(self.profile, ignore_errors=True)


def run(b, step):
    if "go" in step:
        b.events.clear()
        b.call("Page.navigate", url=step["go"])
        b.wait_load()
    elif "fill" in step:
        for css, text in step["fill"].items():
            ok = b.js("(() => { const e = document.querySelector(%s); if (!e) return false;"
                      " e.value = %s; e.dispatchEvent(new Event('input', {bubbles: true}));"
                      " return true; })()" % (json.dumps(css), json.dumps(text)))
            if not ok:
                raise RuntimeError("no element %s to fill" % css)
    elif "click" in step:
        b.events.clear()
        ok = b.js("(() => { const e = document.querySelector(%s); if (!e) return false;"
                  " e.click(); return true; })()" % json.dumps(step["click"]))
        if not ok:
            raise RuntimeError("no element %s to click" % step["click"])
        b.wait_load()
    elif "wait_text" in step:
        end = time.time() + step.get("timeout", 20)
        while step["wait_text"] not in (b.js("document.body ? document.body.innerText : ''") or ""):
            if time.time() > end:
                raise RuntimeError("no text %r within %s s" % (step["wait_text"], step.get("timeout", 20)))
            time.sleep(0.3)
    elif "shot" in step:
        height = b.js("Math.max(document.body.scrollHeight, 667)")
        b.call("Emulation.setDeviceMetricsOverride", width=375, height=height, deviceScaleFactor=2, mobile=True)
        png = b.call("Page.captureScreenshot", format="png")["data"]
        b.call("Emulation.setDeviceMetricsOverride", width=375, height=667, deviceScaleFactor=2, mobile=True)
        open(step["shot"], "wb").write(base64.b64decode(png))
    elif "text" in step:
        open(step["text"], "w").write(b.js("document.body.innerText"))
    elif "html" in step:
        open(step["html"], "w").write(b.js("document.documentElement.outerHTML"))
    elif "url" in step:
        open(step["url"], "w").write(b.js("location.href"))
    else:
        raise RuntimeError("unknown step %r" % step)


def main():
    steps = json.load(open(sys.argv[1]))
    b = Browser()
    try:
        for i, step in enumerate(steps):
            try:
                run(b, step)
            except Exception as e:  # noqa: BLE001 - every failure is reported the same way
                print("browser: step %d %s: %s" % (i + 1, json.dumps(step, ensure_ascii=False), e),
                      file=sys.stderr)
                return 1
    finally:
        b.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
