"""The server under test: gunicorn in the production profile, plain HTTP requests, signing in."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.runner.paths import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_tree_rss(pid: int) -> dict:
    """RSS in MB of gunicorn's master and each worker (children found through /proc)."""
    def rss(p: int) -> float:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    workers = sorted(round(rss(c), 1) for c in children)
    return {"master_mb": round(rss(pid), 1), "workers_mb": workers,
            "total_mb": round(rss(pid) + sum(workers), 1)}


class Server:
    def __init__(self, port: int, workers: int, log: Path):
        self.port, self.workers, self.log = port, workers, log
        self.proc: subprocess.Popen | None = None

    def __enter__(self):
        env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(self.workers),
               "GUNICORN_ACCESSLOG": "",
               # Steady state: a worker recycled mid-run would put its restart into one scenario's p95.
               "GUNICORN_MAX_REQUESTS": os.environ.get("GUNICORN_MAX_REQUESTS", "0")}
        self.logfile = self.log.open("w")
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.proc = subprocess.Popen([str(gunicorn), "-c", str(ROOT / "helpdesk" / "gunicorn.conf.py")],
                                     cwd=ROOT, env=env, stdout=self.logfile, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.logfile.close()


def request(port: int, method: str, path: str, body: str | None = None, headers: dict | None = None,
            timeout: float = 30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.getheaders(), resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def drain(port: int, wait: float = 300) -> None:
    """Wait until the server answers /healthz again, i.e. its backlog of queued requests is done."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/healthz", timeout=wait)[0] == 200:
                return
        except (OSError, http.client.HTTPException):
            time.sleep(1)


def cookies_from(headers) -> dict:
    jar = {}
    for k, v in headers:
        if k.lower() == "set-cookie":
            name, _, rest = v.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def login(port: int, email: str, password: str, login_path: str) -> dict:
    """Sign in through the real login form; returns the session cookies."""
    status, headers, html = request(port, "GET", login_path)
    jar = cookies_from(headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if status != 200 or not token:
        raise RuntimeError(f"login page gave {status} without a CSRF token")
    body = urlencode({"csrfmiddlewaretoken": token.group(1), "username": email, "password": password})
    status, headers, _ = request(port, "POST", login_path, body, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={jar['csrftoken']}",
        "Referer": f"http://127.0.0.1:{port}{login_path}",
    })
    jar.update(cookies_from(headers))
    if status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"signing in as {email} failed (HTTP {status})")
    return jar
