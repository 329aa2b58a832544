"""Reliability figures, uncached, per grouping and filter: best of N, wall and process CPU time.

    DATABASE_URL=sqlite:///bench/data/bench-100000.sqlite3 DEBUG=0 SECRET_KEY=x \\
        python bench/knowledge_reliability.py 5            # repeats
    REFERENCE=1 python bench/knowledge_reliability.py 3    # also the pure-Python reference (before)

CPU time counts SQLite's work (it runs in this process) and not the waiting for a busy machine's
cores; PostgreSQL's work happens in the server, so compare wall times there.
"""

import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")


def _best(fn, repeat: int) -> tuple[float, float, object]:
    wall = cpu = float("inf")
    result = None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        wall, cpu = min(wall, time.perf_counter() - w), min(cpu, time.process_time() - c)
    return wall * 1000, cpu * 1000, result


def main(argv=None) -> int:
    import django

    django.setup()
    from django.utils import timezone

    from facilities.models import Site
    from knowledge import reliability

    argv = argv if argv is not None else sys.argv[1:]
    repeat = int(argv[0]) if argv else 3
    today = timezone.localdate()
    site = Site.objects.order_by("pk").first()
    cases = [(grouping, {}) for grouping in reliability.GROUPINGS] + [
        ("model", {"start": today - timedelta(days=365), "end": today}),
        ("model", {"site": site}),
        ("model", {"category": "HVAC"}),
    ]
    print("| grouping | filters | groups | failures | wall ms | CPU ms |" +
          (" reference wall ms | reference CPU ms |" if os.environ.get("REFERENCE") else ""))
    for grouping, filters in cases:
        wall, cpu, rows = _best(lambda g=grouping, f=filters: reliability.reliability(
            grouping=g, use_cache=False, **f), repeat)
        shown = ", ".join(f"{k}={getattr(v, 'name', v)}" for k, v in filters.items()) or "-"
        line = f"| {grouping} | {shown} | {len(rows)} | {sum(r.failures for r in rows)} | {wall:.0f} | {cpu:.0f} |"
        if os.environ.get("REFERENCE"):
            from knowledge.tests import reliability_reference as ref

            rwall, rcpu, _rows = _best(lambda g=grouping, f=filters: ref.summarise(ref.collect_failures(**f), g),
                                       repeat)
            line += f" {rwall:.0f} | {rcpu:.0f} |"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
