"""Every allow-listed ticket-list sort at scale: time and plan of its first page, a cursor page
deep in the list, and the numbered deep page (``?page=3000``), on the configured database.

    DATABASE_URL=sqlite:///$PWD/bench/data/bench-100000.sqlite3 python bench/sort_plans.py
    DATABASE_URL=postgres://... python bench/sort_plans.py [--plans] [--only priority,-due]

The queries are the ones the list pages and the API build (``selectors.ticket_list`` as the
bench admin, all statuses and the queue's "open"), so a plan shown here is the page's plan.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")


def best_ms(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def plan(qs) -> str:
    from django.db import connection

    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return "\n".join("    " + row[-1] for row in cursor.fetchall())
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql, params)
        return "\n".join("    " + row[0] for row in cursor.fetchall())


def main(argv=None) -> int:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", action="store_true")
    parser.add_argument("--only", default="")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--page", type=int, default=3000)
    args = parser.parse_args(argv)
    django.setup()
    from accounts.models import User
    from tickets import selectors
    from tickets.pagination import (
        CappedPaginator,
        _after,
        _after_parts,
        _order_of,
        decode_cursor,
        encode_cursor,
        keyset_page,
    )

    admin = User.objects.get(email="bench-admin@bench.fixdesk.test")
    sorts = [s for s in selectors.SORTS if not args.only or s in args.only.split(",")]
    print(f"{'sort':10} {'list':6} {'first':>8} {'cursor':>8} {'deep page':>10}")
    for sort in sorts:
        for label, filters in (("all", {}), ("open", {"status": "open"})):
            qs = selectors.ticket_list(user=admin, filters=filters, sort=sort)
            first = best_ms(lambda qs=qs: list(qs[:26]), args.repeat)
            # a cursor 3,000 pages down: the row the numbered deep page starts at
            number = args.page if label == "all" else args.page // 2  # open: about half the rows
            paginator = CappedPaginator(qs, 25)
            deep = best_ms(lambda p=paginator, n=number: p.page(n), args.repeat)
            row = paginator.page(number).object_list[0]
            data = decode_cursor(encode_cursor(row, qs))
            token = encode_cursor(row, qs)
            cursor = best_ms(lambda qs=qs, t=token: keyset_page(qs, 25, t), args.repeat)
            print(f"{sort:10} {label:6} {first:8.1f} {cursor:8.1f} {deep:10.1f}")
            if args.plans:
                order = _order_of(qs)
                _cond, ordering = _after(order, data["k"], data["i"], False)
                ids = qs.order_by(*ordering).values_list("pk", flat=True)
                print("  first page:\n" + plan(qs[:26]))
                for part, q in zip(("tie", "rest"), _after_parts(order, data["k"], data["i"], False), strict=True):
                    if q is not None:
                        print(f"  cursor page, ids ({part}):\n" + plan(ids.filter(q)[:26]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
