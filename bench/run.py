"""Fixdesk benchmark: seed, start gunicorn (production profile), sign in as each role, measure.

    python bench/run.py                      # SQLite, 100,000 tickets, bench/data/bench-100000.sqlite3
    DATABASE_URL=postgres://... python bench/run.py --tickets 100000
    python bench/run.py --tickets 20000 --duration 5 --only floor,login

Every scenario is measured with wrk (``apt-get install wrk``; a Python load generator is the
fallback) at the same concurrency against the same server, next to a trivial view (``/healthz``,
the floor), so each median can be read as a ratio of the floor. A scenario whose URL does not
resolve yet is reported as "skipped: not built yet". Results go to ``bench/results/`` as JSON and
markdown; ``--update-docs`` writes the table into docs/bench.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOCS = ROOT / "docs" / "bench.md"
WRK_SCRIPT = ROOT / "bench" / "wrk_report.lua"
DOC_BEGIN, DOC_END = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"


@dataclass
class Scenario:
    """One measured request: who sends it, to which URL (by name), with what."""

    name: str
    role: str | None  # None: anonymous
    url_name: str
    args: tuple | str = ()  # a string names a fixture filled in at run time ("long_ticket")
    query: dict = field(default_factory=dict)
    method: str = "GET"
    body: dict | None = None
    api: bool = False  # signs in with the role's API token instead of the session cookie
    alternatives: tuple = ()  # other URL names tried when the first does not resolve


SCENARIOS = [
    Scenario("floor (healthz)", None, "healthz"),
    Scenario("login page", None, "accounts:login"),
    Scenario("dashboard (admin)", "admin", "dashboard"),
    Scenario("dashboard (customer)", "customer", "dashboard"),
    Scenario("queue, first page", "admin", "tickets:queue"),
    Scenario("queue, deep page", "admin", "tickets:queue", query={"page": "deep"}),
    Scenario("queue, filtered", "admin", "tickets:queue", query={"status": "in_progress", "priority": "high"}),
    Scenario("queue, searched", "admin", "tickets:queue", query={"q": "leak"}),
    Scenario("all tickets, deep page", "admin", "tickets:list", query={"page": "deep"}),
    Scenario("all tickets, deep cursor", "admin", "tickets:list", query={"cursor": "deep"}),
    Scenario("my tickets (customer)", "customer", "tickets:list"),
    Scenario("my jobs (technician)", "technician", "tickets:jobs"),
    Scenario("ticket, long history", "admin", "tickets:detail", args="long_ticket"),
    Scenario("API ticket list", "admin", "api:ticket-list", api=True, alternatives=("api:tickets-list",)),
    Scenario("API ticket list, deep cursor", "admin", "api:ticket-list", api=True, query={"cursor": "deep"},
             alternatives=("api:tickets-list",)),
    Scenario("API ticket create", "customer", "api:ticket-list", api=True, method="POST",
             alternatives=("api:tickets-list",),
             body={"title": "Bench: radiator cold", "description": "Created by the benchmark.",
                   "priority": "normal"}),
    Scenario("knowledge search", "engineer", "knowledge:search", query={"q": "pump"},
             alternatives=("knowledge:list",)),
]
SWEEP_COMMANDS = ("escalate_tickets",)


# --- results --------------------------------------------------------------------------------

def ms(us: float | None) -> str:
    return "" if us is None else f"{us / 1000:.1f}"


def markdown_table(results: list[dict], machine: dict) -> str:
    """The results as a markdown table, with the machine line above it."""
    floor = next((r for r in results if r["name"].startswith("floor") and r.get("p50")), None)
    lines = [
        f"{machine['when']} · {machine['tickets']:,} tickets on {machine['database']} · "
        f"{machine['cpu']} ({machine['cores']} cores, {machine['memory_gb']} GB) · "
        f"gunicorn {machine['workers']} workers · {machine['tool']} {machine['connections']} connections, "
        f"{machine['duration']} s each"
        + (f" · load average {machine['load_before']:.1f} before, {machine['load_after']:.1f} after"
           if "load_before" in machine else ""),
        "",
        "| scenario | role | alone ms | median ms | p95 ms | req/s | x floor | queries | status |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        ratio = f"{r['p50'] / floor['p50']:.1f}" if floor and r.get("p50") else ""
        queries = "" if r.get("queries") is None else r["queries"]
        rps = f"{r['rps']:.0f}" if r.get("p50") is not None else ""
        lines.append(
            f"| {r['name']} | {r.get('role') or 'anonymous'} | {ms(r.get('alone'))} | {ms(r.get('p50'))} | "
            f"{ms(r.get('p95'))} | {rps} | {ratio} | {queries} | {r['status']} |"
        )
    for extra in machine.get("notes", []):
        lines += ["", extra]
    return "\n".join(lines) + "\n"


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


def update_docs(table: str, path: Path = DOCS) -> None:
    """Replace the table between the markers in docs/bench.md."""
    text = path.read_text()
    if DOC_BEGIN not in text:
        text += f"\n{DOC_BEGIN}\n{DOC_END}\n"
    head, rest = text.split(DOC_BEGIN, 1)
    _, tail = rest.split(DOC_END, 1)
    path.write_text(f"{head}{DOC_BEGIN}\n{table}{DOC_END}{tail}")


# --- load generators ---------------------------------------------------------------------

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


# --- the server --------------------------------------------------------------------------

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


# --- the run ---------------------------------------------------------------------------------

def configure_environment(args) -> None:
    """The production profile, with what a benchmark needs on loopback."""
    db = os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'bench' / 'data' / f'bench-{args.tickets}.sqlite3'}"
    os.environ["DATABASE_URL"] = db
    if db.startswith("sqlite:///"):
        Path(db[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    defaults = {
        "DEBUG": "0", "SECRET_KEY": "bench-only-not-secret", "HTTPS": "0", "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "LOG_LEVEL": "WARNING",
        # The API's per-user throttle would turn the benchmark into a 429 counter.
        "API_THROTTLE_USER": "100000000/min", "API_THROTTLE_ANON": "100000000/min",
    }
    for k, v in defaults.items():
        os.environ.setdefault(k, v)
    os.environ["DJANGO_SETTINGS_MODULE"] = "helpdesk.settings"
    sys.path.insert(0, str(ROOT))


def prepare_database(args) -> dict:
    """Migrate, seed up to ``--tickets``, collect static files; returns the fixtures scenarios need."""
    from django.core.management import call_command

    from accounts.models import User
    from bench.seed import LOGIN_EMAILS, LONG_HISTORY_TITLE
    from tickets.models import Ticket

    call_command("migrate", interactive=False, verbosity=0)
    have = Ticket.objects.count()
    if args.seed and have < args.tickets:
        print(f"seeding {args.tickets - have:,} tickets (have {have:,}) ...", flush=True)
        call_command("bench_seed", tickets=args.tickets - have, stdout=sys.stdout)
    call_command("collectstatic", interactive=False, verbosity=0)
    long_ticket = Ticket.objects.filter(title=LONG_HISTORY_TITLE).order_by("pk").values_list("pk", flat=True).first()
    tokens = {}
    try:
        from rest_framework.authtoken.models import Token

        for role, email in LOGIN_EMAILS.items():
            tokens[role] = Token.objects.get_or_create(user=User.objects.get(email=email))[0].key
    except (ImportError, LookupError):
        pass
    deep_cursor = ""
    try:  # the cursor of the row three quarters down the admin's list (the deep page's first row)
        from tickets import selectors
        from tickets.pagination import encode_cursor

        admin = User.objects.get(email=LOGIN_EMAILS["admin"])
        qs = selectors.ticket_list(user=admin)
        count = Ticket.objects.count()
        row = qs[max(0, count * 3 // 4 - 1)]
        deep_cursor = encode_cursor(row, qs)
    except (ImportError, LookupError, IndexError, Ticket.DoesNotExist):
        pass
    return {"long_ticket": long_ticket, "tickets": Ticket.objects.count(), "tokens": tokens,
            "deep_cursor": deep_cursor}


def resolve(scenario: Scenario, fixtures: dict) -> str | None:
    """The scenario's path, or None when no URL name of it resolves yet (NoReverseMatch)."""
    from django.urls import NoReverseMatch, reverse

    args = scenario.args
    if isinstance(args, str):
        args = (fixtures[args],) if fixtures.get(args) else ()
        if not args:
            return None
    for name in (scenario.url_name, *scenario.alternatives):
        try:
            path = reverse(name, args=args)
        except NoReverseMatch:
            continue
        query = dict(scenario.query)
        if query.get("page") == "deep":
            query["page"] = str(fixtures["deep_page"])
        if query.get("cursor") == "deep":
            query["cursor"] = fixtures.get("deep_cursor") or ""
        return path + (f"?{urlencode(query)}" if query else "")
    return None


def count_queries(path: str, scenario: Scenario, user_email: str | None) -> int | None:
    """Queries the view runs for this request, counted in-process with Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    if scenario.method != "GET":
        return None
    client = Client()
    if user_email:
        client.force_login(User.objects.get(email=user_email))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    if response.status_code != 200:
        return None
    # Session and user lookups of the test client's own sign-in are part of any real request too.
    return len(ctx.captured_queries)


def timed_sweeps() -> list[dict]:
    from django.core.management import call_command, get_commands

    out = []
    for name in SWEEP_COMMANDS:
        if name not in get_commands():
            out.append({"name": f"sweep: {name}", "role": "operator", "status": "skipped: not built yet",
                        "rps": 0})
            continue
        with open(os.devnull, "w") as devnull:
            t0 = time.perf_counter()
            call_command(name, stdout=devnull)
            took = (time.perf_counter() - t0) * 1e6
        out.append({"name": f"sweep: {name}", "role": "operator", "p50": took, "p95": took, "rps": 0,
                    "status": "ok (one run)"})
    return out


def machine_info(args, tool: str, fixtures: dict) -> dict:
    from django.db import connection

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        mem = 0
    vendor = connection.vendor
    if vendor == "sqlite":
        version = ".".join(map(str, connection.Database.sqlite_version_info))
    else:
        with connection.cursor() as cursor:
            number = cursor.connection.info.server_version  # 150020 -> 15.20
        version = f"{number // 10000}.{number % 100}"
    return {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "cpu": cpu, "cores": os.cpu_count(),
        "memory_gb": round(mem), "python": platform.python_version(), "database": f"{vendor} {version}",
        "tickets": fixtures["tickets"], "workers": args.workers, "tool": tool, "connections": args.connections,
        "duration": args.duration,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=int(os.environ.get("N", 100_000)))
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per scenario")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of discarded load before each")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int,
                        default=int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1))
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--only", default="", help="comma-separated scenario name prefixes")
    parser.add_argument("--no-seed", dest="seed", action="store_false", help="use the database as it is")
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for the JSON and markdown results")
    parser.add_argument("--update-docs", action="store_true", help="write the table into docs/bench.md")
    args = parser.parse_args(argv)

    configure_environment(args)
    import django

    django.setup()
    from django.urls import reverse

    from bench.seed import BENCH_PASSWORD, LOGIN_EMAILS

    fixtures = prepare_database(args)
    # A deep page: three quarters down the list of all tickets, at 25 a page.
    fixtures["deep_page"] = max(1, fixtures["tickets"] * 3 // 4 // 25)
    tool = "wrk" if args.tool == "wrk" or (args.tool == "auto" and shutil.which("wrk")) else "python"
    load = run_wrk if tool == "wrk" else run_python
    results_dir = args.results
    results_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    wanted = [s for s in SCENARIOS if not args.only or any(s.name.startswith(p) for p in args.only.split(","))]
    results: list[dict] = []
    memory = {}
    load_before = os.getloadavg()[0]
    with Server(port, args.workers, results_dir / "gunicorn.log") as server:
        login_path = reverse("accounts:login")
        sessions = {}
        for role, email in LOGIN_EMAILS.items():
            sessions[role] = login(port, email, BENCH_PASSWORD, login_path)
            print(f"signed in as {email}", flush=True)
        memory["after_start"] = process_tree_rss(server.proc.pid)
        for sc in wanted:
            row = {"name": sc.name, "role": sc.role, "rps": 0.0}
            path = resolve(sc, fixtures)
            if path is None:
                row["status"] = "skipped: not built yet"
                results.append(row)
                print(f"{sc.name:<28} skipped: not built yet", flush=True)
                continue
            headers = {"Accept": "application/json"} if sc.api else {}
            if sc.role and sc.api and fixtures["tokens"].get(sc.role):
                headers["Authorization"] = f"Token {fixtures['tokens'][sc.role]}"
            elif sc.role:
                jar = sessions[sc.role]
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
                headers["X-CSRFToken"] = jar.get("csrftoken", "")
            body = json.dumps(sc.body) if sc.body else ""
            ctype = "application/json" if sc.body else ""
            row["path"] = path
            try:
                # Twice alone: the first warms the worker; the second is the page's cost without queueing.
                for _ in range(1 if sc.method != "GET" else 2):
                    t0 = time.perf_counter()
                    status, _, _ = request(port, sc.method, path, body or None, {**headers, **(
                        {"Content-Type": ctype} if ctype else {})}, timeout=120)
                    row["alone"] = (time.perf_counter() - t0) * 1e6
            except (OSError, http.client.HTTPException) as exc:
                row["status"] = f"error: {type(exc).__name__} alone"
                results.append(row)
                print(f"{sc.name:<28} {row['status']} for {path}", flush=True)
                drain(port)
                continue
            if status >= 400:
                row["status"] = f"error: HTTP {status}"
                results.append(row)
                print(f"{sc.name:<28} {row['status']} for {path}", flush=True)
                continue
            row["queries"] = count_queries(path, sc, LOGIN_EMAILS.get(sc.role) if sc.role else None)
            url = f"http://127.0.0.1:{port}{path}"
            kw = {"duration": args.duration, "connections": args.connections, "threads": args.threads,
                  "method": sc.method, "body": body, "content_type": ctype}
            if args.warmup:
                load(url, headers, **{**kw, "duration": args.warmup})
            data = load(url, headers, **kw)
            drain(port)  # requests still queued when the load stopped must not slow the next scenario
            bad = data.get("errors_status", 0) + sum(data.get(k, 0) for k in ("errors_connect", "errors_read",
                                                                              "errors_timeout"))
            row["statuses"] = data.get("statuses", {})
            if not data["requests"]:
                row["status"] = f"too slow: no request finished in {args.duration} s under load"
            else:
                row.update({k: data[k] for k in ("p50", "p95", "p99", "rps", "requests")})
                row["status"] = "ok" if not bad else f"{bad} errors of {data['requests']}"
            results.append(row)
            print(f"{sc.name:<28} median {ms(row.get('p50')):>7} ms  p95 {ms(row.get('p95')):>7} ms  "
                  f"{row['rps']:7.0f} req/s  queries {row['queries']}  {row['status']}", flush=True)
        memory["after_load"] = process_tree_rss(server.proc.pid)
    results += timed_sweeps()

    machine = machine_info(args, tool, fixtures)
    machine["memory"] = memory
    # The 1-minute load average: on a shared machine it says how far to trust the absolute figures.
    machine["load_before"], machine["load_after"] = load_before, os.getloadavg()[0]
    machine["notes"] = [
        f"Memory (RSS): master {memory['after_load']['master_mb']} MB, workers "
        f"{', '.join(str(w) for w in memory['after_load']['workers_mb'])} MB after the load "
        f"(total {memory['after_load']['total_mb']} MB; {memory['after_start']['total_mb']} MB after start).",
    ]
    table = markdown_table(results, machine)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    payload = json.dumps({"machine": machine, "results": results}, indent=2)
    for name in (f"{stamp}.json", "latest.json"):
        (results_dir / name).write_text(payload)
    (results_dir / "latest.md").write_text(table)
    print()
    print(table)
    if args.update_docs:
        update_docs(table)
        print(f"table written to {DOCS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
