"""The reliability page served from the shared cache, in-process: best of N wall ms per state.

    DATABASE_URL=sqlite:///bench/data/bench-100000.sqlite3 DEBUG=0 SECRET_KEY=x \\
        python bench/reliability_freshness.py 7 [URL ...]

- ``first``: nothing stored for the filter set (computed in the request, then stored);
- ``stored``: the stored figures, fresh;
- ``stale``: a ticket changed since they were stored (``invalidate()`` before each request): the
  stored figures are served and one recompute is queued (the first request queues it, the lock
  keeps the others from queueing again); the queued task is removed at the end;
- ``task``: the background recompute itself (``refresh_task``), what a worker spends;
- and what a ticket change costs the figures: ``invalidate()`` (one write to the shared cache).

Signs in as the bench engineer (``bench_seed``), like bench/page_profile.py.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

URLS = ["/kb/reliability/", "/kb/reliability/?group=equipment", "/kb/reliability/?group=site&category=HVAC"]


def _best(fn, repeat: int, before=None) -> float:
    best = float("inf")
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def main(argv=None) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django_q.models import OrmQ

    from accounts.models import User
    from knowledge import reliability
    from knowledge.forms import ReliabilityFilterForm

    argv = argv if argv is not None else sys.argv[1:]
    repeat = int(argv[0]) if argv else 5
    urls = argv[1:] or URLS
    settings.RELIABILITY_REFRESH_SECONDS = 0
    queued_before = set(OrmQ.objects.values_list("pk", flat=True))
    client = Client()
    client.force_login(User.objects.get(email="bench-engineer@bench.fixdesk.test"))
    shared = reliability.shared_cache()
    print(f"shared cache: {shared.__class__.__name__}; best of {repeat}, wall ms")
    for url in urls:
        query = dict(part.split("=", 1) for part in url.partition("?")[2].split("&") if part)
        form = ReliabilityFilterForm(query or None)
        filters = form.filters() if query else {"grouping": "model", "start": None, "end": None, "site": None,
                                                 "category": ""}
        filters["site"] = getattr(filters["site"], "pk", filters["site"])
        key = reliability._entry_key(**filters)

        def get(url=url):
            assert client.get(url).status_code == 200

        first = _best(get, repeat, before=lambda key=key: shared.delete(key))
        stored = _best(get, repeat)
        stale = _best(get, repeat, before=reliability.invalidate)
        task = _best(lambda filters=filters: reliability.refresh_task(**filters), max(1, repeat // 2))
        print(f"{url}: first {first:.1f}  stored {stored:.1f}  stale {stale:.1f}  task {task:.1f}")
    print(f"invalidate() (per ticket change): {_best(reliability.invalidate, repeat * 10):.2f}")
    OrmQ.objects.exclude(pk__in=queued_before).delete()  # the recomputes this run queued
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
