"""Load generators: wrk with our Lua report, or a small Python closed loop when wrk is missing."""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import threading
import time

from bench.runner.paths import WRK_SCRIPT


def parse_wrk(output: str) -> dict:
    """The JSON line our Lua ``done()`` prints."""
    for line in output.splitlines():
        if line.startswith("BENCH_JSON "):
            data = json.loads(line[len("BENCH_JSON "):])
            seconds = data["duration_us"] / 1e6
            data["rps"] = data["requests"] / seconds if seconds else 0.0
            return data
    raise ValueError(f"no BENCH_JSON line in wrk output:\n{output}")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def run_wrk(url: str, headers: dict, *, duration: int, connections: int, threads: int,
            method: str = "GET", body: str = "", content_type: str = "") -> dict:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s",
           "-s", str(WRK_SCRIPT)]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    env = {**os.environ, "BENCH_METHOD": method, "BENCH_BODY": body, "BENCH_CONTENT_TYPE": content_type}
    out = subprocess.run(cmd + [url], capture_output=True, text=True, env=env, timeout=duration + 60, check=True)
    return parse_wrk(out.stdout)


def run_python(url: str, headers: dict, *, duration: int, connections: int, threads: int = 0,
               method: str = "GET", body: str = "", content_type: str = "") -> dict:
    """A small closed-loop load generator (keep-alive connections in threads), when wrk is missing."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + duration
    hdrs = dict(headers)
    if content_type:
        hdrs["Content-Type"] = content_type

    def worker():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine, codes = [], {}
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body or None, headers=hdrs)
                resp = conn.getresponse()
                resp.read()
                codes[resp.status] = codes.get(resp.status, 0) + 1
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                codes[0] = codes.get(0, 0) + 1
                continue
            mine.append((time.perf_counter() - t0) * 1e6)
        with lock:
            latencies.extend(mine)
            for k, v in codes.items():
                statuses[k] = statuses.get(k, 0) + v

    started = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(connections)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    seconds = time.monotonic() - started
    return {
        "p50": percentile(latencies, 50), "p95": percentile(latencies, 95), "p99": percentile(latencies, 99),
        "mean": statistics.fmean(latencies) if latencies else 0, "max": max(latencies, default=0),
        "requests": len(latencies), "duration_us": seconds * 1e6, "rps": len(latencies) / seconds,
        "errors_status": sum(v for k, v in statuses.items() if k >= 400 or k == 0),
        "statuses": {str(k): v for k, v in statuses.items()},
    }
