"""One page in-process: time (best of N), query count, SQL time, and the slowest queries.

    DATABASE_URL=sqlite:///bench/data/bench-100000.sqlite3 DEBUG=0 SECRET_KEY=x \\
        python bench/page_profile.py admin / 3            # role (bench account), URL, repeats
    SHOWQ=5 python bench/page_profile.py admin /tickets/queue/    # and the 5 slowest queries
    PLAN=20 python bench/page_profile.py admin /          # EXPLAIN QUERY PLAN of queries >= 20 ms (SQLite)
    WARM=12 python bench/page_profile.py admin /api/v1/tickets/ 7  # 12 untimed requests first
                                                          # (PG_PREPARE_THRESHOLD: statements prepared)

Signs in as ``bench-<role>@bench.fixdesk.test`` (``bench_seed``) with the Django test client, so
middleware, context processors and templates all run; needs ``collectstatic`` with DEBUG=0.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")


def main(argv=None) -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    argv = argv if argv is not None else sys.argv[1:]
    role, url = argv[0], argv[1]
    repeat = int(argv[2]) if len(argv) > 2 else 3
    client = Client()
    client.force_login(User.objects.get(email=f"bench-{role}@bench.fixdesk.test"))
    for _ in range(int(os.environ.get("WARM", 0))):
        client.get(url)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        best = min(best, time.perf_counter() - started)
    queries = ctx.captured_queries
    print(f"{url} {role} {response.status_code} best {best * 1000:.1f} ms {len(queries)} queries "
          f"sql {sum(float(q['time']) for q in queries) * 1000:.1f} ms")
    for q in sorted(queries, key=lambda q: -float(q["time"]))[: int(os.environ.get("SHOWQ", 0))]:
        print(f"  {float(q['time']) * 1000:7.1f}  {q['sql'][:400]}")
    if os.environ.get("PLAN") and connection.vendor == "sqlite":
        for q in queries:
            if float(q["time"]) * 1000 >= float(os.environ["PLAN"]):
                print(f"---- {float(q['time']) * 1000:.1f} ms {q['sql'][:300]}")
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN QUERY PLAN " + q["sql"])
                    for row in cursor.fetchall():
                        print("   ", row[-1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
