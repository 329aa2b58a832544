"""Pages in-process, best wall time and query count, for a before/after of two checkouts.

    WT=/path/to/checkout DATABASE_URL=sqlite:///$PWD/bench/data/bench-100000.sqlite3 DEBUG=0 SECRET_KEY=x \\
        ALLOWED_HOSTS=testserver python bench/inprocess.py     # N=15 repeats, OUT=file.json, ONLY=part of a URL

Runs the code of the checkout ``WT`` (default: this one) against the database of ``DATABASE_URL``
with the Django test client signed in as the ``bench_seed`` accounts, so one database can be timed
under two versions of the code in the same minutes (docs/bench.md, Round 5).
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = os.environ.get("WT") or str(Path(__file__).resolve().parent.parent)


def pages(long_ticket: int) -> list[tuple[str | None, str]]:
    return [
        (None, "/healthz"), (None, "/accounts/login/"), ("admin", "/accounts/password/change/"),
        ("admin", "/"), ("engineer", "/"), ("customer", "/"),
        ("admin", "/tickets/queue/"), ("admin", "/tickets/queue/?q=leak"), ("admin", "/tickets/queue/?q=the"),
        ("admin", "/tickets/queue/?q=Recurring+fault"), ("admin", "/tickets/?page=200"),
        ("customer", "/tickets/"), ("technician", "/tickets/jobs/"), ("admin", f"/tickets/{long_ticket}/"),
        ("customer", "/tickets/new/"), ("admin", "/api/v1/tickets/"), ("admin", "/api/v1/tickets/?q=leak"),
        ("engineer", "/kb/?q=pump"), ("engineer", "/kb/reliability/"),
    ]


def main() -> int:
    sys.path.insert(0, ROOT)
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench.seed import LONG_HISTORY_TITLE
    from tickets.models import Ticket

    repeat, only = int(os.environ.get("N", 15)), os.environ.get("ONLY", "")
    long_ticket = Ticket.objects.filter(title=LONG_HISTORY_TITLE).order_by("pk").values_list("pk", flat=True).first()
    clients, out = {}, {}
    for role, url in pages(long_ticket):
        if only not in url:
            continue
        if role not in clients:
            clients[role] = Client()
            if role:
                clients[role].force_login(User.objects.get(email=f"bench-{role}@bench.fixdesk.test"))
        client = clients[role]
        for _ in range(3):
            client.get(url)
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url)
            best = min(best, time.perf_counter() - started)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        who = role or "anonymous"
        out[f"{who} {url}"] = (round(best * 1000, 1), len(ctx.captured_queries), response.status_code)
        print(f"{who:10} {url:40} {best * 1000:7.1f} ms {len(ctx.captured_queries):3} q {response.status_code}",
              flush=True)
    if os.environ.get("OUT"):
        Path(os.environ["OUT"]).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
