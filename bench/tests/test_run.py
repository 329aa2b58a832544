"""The benchmark runner's parts: URL resolution (unbuilt pages skipped), parsing, the table, the load."""

import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bench import run
from bench.run import Scenario

ROOT = Path(__file__).resolve().parents[2]


def test_unbuilt_pages_resolve_to_none_and_built_ones_to_their_path():
    fixtures = {"deep_page": 3000, "long_ticket": 42}
    assert run.resolve(Scenario("x", None, "nowhere:page"), fixtures) is None
    assert run.resolve(Scenario("floor", None, "healthz"), fixtures) == "/healthz"
    # An alternative URL name is tried when the first does not resolve.
    assert run.resolve(Scenario("x", None, "nowhere:page", alternatives=("accounts:login",)), fixtures) == \
        "/accounts/login/"
    assert run.resolve(Scenario("x", None, "healthz", query={"page": "deep", "q": "a b"}), fixtures) == \
        "/healthz?page=3000&q=a+b"
    # A scenario that needs a ticket the database does not have is skipped too.
    assert run.resolve(Scenario("x", "admin", "healthz", args="long_ticket"), {"long_ticket": None}) is None


def test_every_scenario_names_a_role_the_seed_signs_in():
    from bench.seed import LOGIN_EMAILS

    assert run.SCENARIOS[0].url_name == "healthz"  # the floor comes first: the ratios need it
    assert {s.role for s in run.SCENARIOS} - {None} <= set(LOGIN_EMAILS)
    assert len({s.name for s in run.SCENARIOS}) == len(run.SCENARIOS)


def test_parse_wrk():
    out = ("Running 1s test @ http://127.0.0.1:1/healthz\n  2 threads and 8 connections\n"
           'BENCH_JSON {"p50": 1500, "p95": 4000, "p99": 9000, "mean": 1800.5, "max": 12000, "requests": 500, '
           '"duration_us": 2000000, "errors_connect": 0, "errors_read": 0, "errors_write": 0, '
           '"errors_timeout": 0, "errors_status": 2, "statuses": {"200": 498, "500": 2}}\n')
    data = run.parse_wrk(out)
    assert data["rps"] == 250 and data["p95"] == 4000 and data["statuses"]["500"] == 2
    with pytest.raises(ValueError):
        run.parse_wrk("wrk: connection refused")


def test_percentile():
    values = list(range(1, 101))
    assert run.percentile(values, 50) == pytest.approx(50.5)
    assert run.percentile(values, 95) == pytest.approx(95.05)
    assert run.percentile([], 95) == 0


MACHINE = {"when": "2026-11-26 12:00 UTC", "tickets": 100000, "database": "sqlite 3.40", "cpu": "Xeon", "cores": 2,
           "memory_gb": 24, "workers": 5, "tool": "wrk", "connections": 8, "duration": 10, "notes": ["RSS note"]}


def test_markdown_table_ratios_and_skips():
    results = [
        {"name": "floor (healthz)", "role": None, "alone": 1000, "p50": 2000, "p95": 5000, "rps": 900, "queries": 0,
         "status": "ok"},
        {"name": "signed-in layout (password form)", "role": "admin", "alone": 2000, "p50": 3500, "p95": 6000,
         "rps": 500, "queries": 2, "status": "ok"},
        {"name": "queue", "role": "admin", "alone": 4000, "p50": 7000, "p95": 9000, "rps": 200, "queries": 6,
         "status": "ok"},
        {"name": "jobs", "role": "technician", "rps": 0, "status": "skipped: not built yet"},
    ]
    table = run.markdown_table(results, MACHINE)
    assert "| floor (healthz) | anonymous | 1.0 | 2.0 | 5.0 | 900 | 1.0 |  | 0 | ok |" in table
    assert "| signed-in layout (password form) | admin | 2.0 | 3.5 | 6.0 | 500 | 1.8 | 1.0 | 2 | ok |" in table
    assert "| queue | admin | 4.0 | 7.0 | 9.0 | 200 | 3.5 | 2.0 | 6 | ok |" in table
    assert "| jobs | technician |  |  |  |  |  |  |  | skipped: not built yet |" in table
    assert "100,000 tickets on sqlite 3.40" in table and "RSS note" in table
    assert "load average" not in table
    assert "load average 3.5 before, 7.0 after" in run.markdown_table(
        results, {**MACHINE, "load_before": 3.5, "load_after": 7.0})


def test_update_docs_replaces_only_the_marked_table(tmp_path):
    doc = tmp_path / "bench.md"
    doc.write_text(f"# Bench\nintro\n{run.DOC_BEGIN}\nold table\n{run.DOC_END}\nafter\n")
    run.update_docs("| new |\n", doc)
    assert doc.read_text() == f"# Bench\nintro\n{run.DOC_BEGIN}\n| new |\n{run.DOC_END}\nafter\n"


def test_python_load_generator_counts_statuses_against_a_real_server():
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            status = 500 if self.path == "/boom" else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        ok = run.run_python(f"http://127.0.0.1:{port}/fine", {}, duration=1, connections=2)
        assert ok["requests"] > 10 and ok["errors_status"] == 0 and ok["p50"] <= ok["p95"]
        bad = run.run_python(f"http://127.0.0.1:{port}/boom", {}, duration=1, connections=1)
        assert bad["errors_status"] == bad["requests"] > 0
    finally:
        server.shutdown()


def test_rss_of_a_process_tree():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        mem = run.process_tree_rss(os.getpid())
        assert mem["master_mb"] > 5 and len(mem["workers_mb"]) >= 1
    finally:
        child.kill()
        child.wait()


@pytest.mark.integration
def test_end_to_end_on_a_small_database(tmp_path):
    """Seeds 40 tickets, starts gunicorn, signs in as every role, measures two pages, writes results."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}", "MEDIA_ROOT": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [sys.executable, "bench/run.py", "--tickets", "40", "--duration", "1", "--warmup", "0", "--workers", "1",
         "--only", "floor,dashboard (admin),queue, first", "--tool", "python", "--connections", "2",
         "--results", str(tmp_path / "results")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert "signed in as bench-customer@bench.fixdesk.test" in out.stdout
    assert "| floor (healthz) | anonymous |" in out.stdout
    assert "| dashboard (admin) | admin |" in out.stdout
    assert "error" not in out.stdout.split("| scenario |")[1]
    assert (tmp_path / "results" / "latest.json").exists() and (tmp_path / "results" / "latest.md").exists()


@pytest.mark.django_db
def test_sweeps_are_timed_once_built_and_skipped_before():
    from django.core.management import get_commands

    rows = run.timed_sweeps()
    assert [r["name"] for r in rows] == [f"sweep: {name}" for name in run.SWEEP_COMMANDS]
    for name, row in zip(run.SWEEP_COMMANDS, rows, strict=True):
        if name in get_commands():
            # What the command printed last says how much the sweep did.
            assert row["status"] == "ok (one run: escalated 0 ticket(s))" and row["p50"] > 0
        else:
            assert row["status"] == "skipped: not built yet"


def test_run_py_is_the_entry_point_of_the_runner_package(tmp_path):
    from bench.runner import main as runner_main
    from bench.runner.results import write_results

    assert run.main is runner_main.main and run.Scenario is runner_main.Scenario
    # A scenario whose URL does not resolve is a "skipped" row, without touching the server.
    row = run.measure(Scenario("x", None, "nowhere:page"), args=None, port=0, fixtures={}, sessions={},
                      load=None, emails={})
    assert row == {"name": "x", "role": None, "rps": 0.0, "status": "skipped: not built yet"}
    table = write_results(tmp_path, [row], MACHINE)
    assert "| x | anonymous |" in table and (tmp_path / "latest.md").read_text() == table
    assert len(list(tmp_path.glob("*.json"))) == 2
