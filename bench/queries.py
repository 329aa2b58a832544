"""The queries the ticket pages need, timed at scale, with and without candidate indexes.

    python bench/queries.py --tickets 100000            # SQLite bench database (run.py's)
    DATABASE_URL=postgres://... python bench/queries.py  # PostgreSQL

Each query is what a list page, a deep page, a count, a filter, a search, "My tickets", the
assignee's jobs, the escalation sweep or the dashboard asks of the database. It is timed (best
of several runs) on the database as it is, then again after creating the candidate indexes
below inside the same run, which are dropped again at the end unless ``--keep``: the model
migrations that own these tables decide, this script only measures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = 25

# name -> (SQLite DDL, PostgreSQL DDL); partial indexes keep soft-deleted rows out.
CANDIDATES = {
    "ticket_live_created_idx": (
        "CREATE INDEX ticket_live_created_idx ON tickets_ticket (created_at DESC, id DESC) "
        "WHERE deleted_at IS NULL",
        "CREATE INDEX ticket_live_created_idx ON tickets_ticket (created_at DESC, id DESC) "
        "WHERE deleted_at IS NULL",
    ),
    "ticket_live_status_created_idx": (
        "CREATE INDEX ticket_live_status_created_idx ON tickets_ticket (status, created_at DESC, id DESC) "
        "WHERE deleted_at IS NULL",
        "CREATE INDEX ticket_live_status_created_idx ON tickets_ticket (status, created_at DESC, id DESC) "
        "WHERE deleted_at IS NULL",
    ),
    "ticket_escalation_idx": (
        "CREATE INDEX ticket_escalation_idx ON tickets_ticket (status, escalation_level, created_at) "
        "WHERE deleted_at IS NULL",
        "CREATE INDEX ticket_escalation_idx ON tickets_ticket (status, escalation_level, created_at) "
        "WHERE deleted_at IS NULL",
    ),
    "ticket_site_status_idx": (
        "CREATE INDEX ticket_site_status_idx ON tickets_ticket (site_id, status, created_at DESC)",
        "CREATE INDEX ticket_site_status_idx ON tickets_ticket (site_id, status, created_at DESC)",
    ),
    # What tickets/0012_search_index creates (tickets/search.py): the expressions icontains compares.
    **{name: (None,  # SQLite: LIKE '%x%' cannot use a b-tree; the migration's FTS5 trigram table serves it
              f'CREATE INDEX {name} ON tickets_ticket USING gin ((UPPER("{column}"::text)) gin_trgm_ops)')
       for name, column in (("ticket_title_trgm_idx", "title"), ("ticket_description_trgm_idx", "description"))},
}


def queries(now: datetime, customer_id: int, technician_id: int, site_id: int) -> dict:
    """name -> a callable running the query the page needs (forcing evaluation)."""
    from django.db.models import Count, Q

    from tickets.models import OPEN_STATUSES, Ticket

    live = Ticket.objects.filter(deleted_at__isnull=True)
    open_live = live.filter(status__in=OPEN_STATUSES)
    listing = ("requester", "assignee", "site", "category")
    total = live.count()
    deep = (total * 3 // 4) // PAGE * PAGE

    return {
        "queue page 1 (open, newest first)": lambda: list(open_live.select_related(*listing)[:PAGE]),
        "queue count (open)": lambda: open_live.count(),
        "all tickets page 1": lambda: list(live.select_related(*listing)[:PAGE]),
        f"all tickets deep page (offset {deep:,})": lambda: list(live.select_related(*listing)[deep:deep + PAGE]),
        "all tickets deep page, keyset": lambda: list(
            live.filter(created_at__lt=now - timedelta(days=800)).select_related(*listing)[:PAGE]),
        "all tickets count": lambda: live.count(),
        "filtered: in progress + high": lambda: list(
            live.filter(status="in_progress", priority="high").select_related(*listing)[:PAGE]),
        "filtered: site + open": lambda: list(open_live.filter(site_id=site_id).select_related(*listing)[:PAGE]),
        "search 'leak' (icontains title/description)": lambda: list(
            live.filter(Q(title__icontains="leak") | Q(description__icontains="leak")).select_related(*listing)[:PAGE]),
        "search count": lambda: live.filter(Q(title__icontains="leak") | Q(description__icontains="leak")).count(),
        "my tickets (customer) page 1": lambda: list(
            live.filter(requester_id=customer_id).select_related(*listing)[:PAGE]),
        "my tickets count": lambda: live.filter(requester_id=customer_id).count(),
        "jobs (technician)": lambda: list(live.filter(assignee_id=technician_id, status__in=OPEN_STATUSES)
                                          .select_related(*listing)[:50]),
        # tickets/escalation.py: one range scan on the partial index ticket_escalate_at_idx
        "escalation candidates": lambda: list(live.filter(escalate_at__lte=now).order_by("escalate_at", "pk")
                                              .values_list("pk", flat=True)),
        "dashboard: counts by status": lambda: list(live.values("status").annotate(n=Count("id"))),
        "dashboard: open by priority": lambda: list(open_live.values("priority").annotate(n=Count("id"))),
    }


def best_of(fn, repeat: int) -> float:
    fn()  # warm the cache: we measure the query, not the disk
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="time the ticket pages' queries with and without indexes")
    parser.add_argument("--tickets", type=int, default=int(os.environ.get("N", 100_000)))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="leave the candidate indexes in place")
    args = parser.parse_args(argv)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'data' / f'bench-{args.tickets}.sqlite3'}")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("DEBUG", "0")
    os.environ["DJANGO_SETTINGS_MODULE"] = "helpdesk.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from accounts.models import User
    from bench.seed import LOGIN_EMAILS
    from tickets.models import Ticket

    pg = connection.vendor == "postgresql"
    customer = User.objects.get(email=LOGIN_EMAILS["customer"]).pk
    technician = User.objects.get(email=LOGIN_EMAILS["technician"]).pk
    site = Ticket.objects.values_list("site_id", flat=True).first()
    qs = queries(datetime.now(UTC), customer, technician, site)

    before = {name: best_of(fn, args.repeat) for name, fn in qs.items()}
    created = []
    with connection.cursor() as cursor:
        if pg:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, (lite, post) in CANDIDATES.items():
            ddl = post if pg else lite
            # An index a migration already made is measured as it is, and never dropped here.
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s" if pg else
                           "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = %s", [name])
            if ddl and not cursor.fetchone():
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
                cursor.execute(ddl)
                created.append(name)
        cursor.execute("ANALYZE")
    after = {name: best_of(fn, args.repeat) for name, fn in qs.items()}
    if not args.keep:
        with connection.cursor() as cursor:
            for name in created:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")

    db = f"{connection.vendor}, {Ticket.objects.count():,} tickets"
    lines = [f"Query timings on {db} (best of {args.repeat}, ms), before and after the candidate indexes "
             f"({', '.join(created)}):", "", "| query | now ms | with indexes ms |", "|---|---:|---:|"]
    lines += [f"| {name} | {before[name]:.1f} | {after[name]:.1f} |" for name in qs]
    table = "\n".join(lines) + "\n"
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"queries-{connection.vendor}.md").write_text(table)
    (out / f"queries-{connection.vendor}.json").write_text(json.dumps({"before": before, "after": after}, indent=2))
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
