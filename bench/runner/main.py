"""The run: options, then every scenario against one gunicorn, then the sweeps and the results."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import sys
import time
from pathlib import Path

from bench.runner.database import configure_environment, prepare_database
from bench.runner.load import run_python, run_wrk
from bench.runner.paths import DOCS, README, RESULTS, ROOT
from bench.runner.results import machine_info, ms, update_docs, write_results
from bench.runner.scenarios import SCENARIOS, Scenario, count_queries, resolve, timed_sweeps
from bench.runner.server import Server, drain, free_port, login, process_tree_rss, request

DESCRIPTION = "Fixdesk benchmark: seed, start gunicorn (production profile), sign in as each role, measure."


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=DESCRIPTION)
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
    parser.add_argument("--no-sweeps", dest="sweeps", action="store_false",
                        help="skip the timed sweep commands (their first run over a big backlog takes minutes)")
    return parser.parse_args(argv)


ALONE_REQUESTS = 11  # more than the workers (2 x cores + 1 on this machine)


def measure(sc: Scenario, *, args, port: int, fixtures: dict, sessions: dict, load, emails: dict) -> dict:
    """One scenario's row: alone, its queries, then the load (``status`` says what went wrong)."""
    row = {"name": sc.name, "role": sc.role, "rps": 0.0}
    path = resolve(sc, fixtures)
    if path is None:
        row["status"] = "skipped: not built yet"
        print(f"{sc.name:<28} skipped: not built yet", flush=True)
        return row
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
        # Alone, one request after another: a GET ALONE_REQUESTS times, so that every worker has
        # warmed up (templates, connections); the fastest is the page's own cost without queueing.
        for _ in range(1 if sc.method != "GET" else ALONE_REQUESTS):
            t0 = time.perf_counter()
            status, _, _ = request(port, sc.method, path, body or None, {**headers, **(
                {"Content-Type": ctype} if ctype else {})}, timeout=120)
            row["alone"] = min(row.get("alone", float("inf")), (time.perf_counter() - t0) * 1e6)
    except (OSError, http.client.HTTPException) as exc:
        row["status"] = f"error: {type(exc).__name__} alone"
        print(f"{sc.name:<28} {row['status']} for {path}", flush=True)
        drain(port)
        return row
    if status >= 400:
        row["status"] = f"error: HTTP {status}"
        print(f"{sc.name:<28} {row['status']} for {path}", flush=True)
        return row
    row["queries"] = count_queries(path, sc, emails.get(sc.role) if sc.role else None)
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
    print(f"{sc.name:<28} alone {ms(row.get('alone')):>7} ms  median {ms(row.get('p50')):>7} ms  "
          f"p95 {ms(row.get('p95')):>7} ms  "
          f"{row['rps']:7.0f} req/s  queries {row['queries']}  {row['status']}", flush=True)
    return row


def main(argv=None) -> int:
    args = parse_args(argv)
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
    port = int(os.environ.get("BENCH_PORT") or 0) or free_port()  # a fixed port where the machine is shared
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
            results.append(measure(sc, args=args, port=port, fixtures=fixtures, sessions=sessions, load=load,
                                   emails=LOGIN_EMAILS))
        memory["after_load"] = process_tree_rss(server.proc.pid)
    only = [p for p in args.only.split(",") if p]
    if args.sweeps and (not only or any(p.startswith("sweep") for p in only)):
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
    table = write_results(results_dir, results, machine)
    print()
    print(table)
    if args.update_docs:
        for path in (DOCS, README):
            update_docs(table, path)
            print(f"table written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
