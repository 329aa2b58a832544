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

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: ``bench`` is importable

# The runner lives in bench/runner/; these names stay importable from here (tests, bench/loadtest.py).
from bench.runner.database import configure_environment, prepare_database  # noqa: E402
from bench.runner.load import parse_wrk, percentile, run_python, run_wrk  # noqa: E402
from bench.runner.main import main, measure, parse_args  # noqa: E402
from bench.runner.paths import DOCS, RESULTS, ROOT, WRK_SCRIPT  # noqa: E402
from bench.runner.results import (  # noqa: E402
    DOC_BEGIN,
    DOC_END,
    machine_info,
    markdown_table,
    ms,
    update_docs,
    write_results,
)
from bench.runner.scenarios import SCENARIOS, SWEEP_COMMANDS, Scenario, count_queries, resolve, timed_sweeps  # noqa: E402
from bench.runner.server import (  # noqa: E402
    Server,
    cookies_from,
    drain,
    free_port,
    login,
    process_tree_rss,
    request,
)

__all__ = [
    "DOCS", "DOC_BEGIN", "DOC_END", "RESULTS", "ROOT", "SCENARIOS", "SWEEP_COMMANDS", "WRK_SCRIPT", "Scenario",
    "Server", "configure_environment", "cookies_from", "count_queries", "drain", "free_port", "login",
    "machine_info", "main", "markdown_table", "measure", "ms", "parse_args", "parse_wrk", "percentile",
    "prepare_database", "process_tree_rss", "request", "resolve", "run_python", "run_wrk", "timed_sweeps",
    "update_docs", "write_results",
]

if __name__ == "__main__":
    sys.exit(main())
