"""Time one escalation sweep over many open tickets (issue 7: "stays fast with hundreds of
thousands of open tickets").

    python bench/sweep.py                          # SQLite file bench/data/sweep-100000.sqlite3
    python bench/sweep.py --tickets 20000
    DATABASE_URL=postgres://.../fixdesk_sweep python bench/sweep.py

Builds (once) a database of ``--tickets`` open tickets under a 24x7 policy, ``--due`` of them
past their deadline, plus a finished history of 2,000 tickets (enough for unusual-delay
thresholds). Then times: the candidate query (one range scan on ``ticket_escalate_at_idx``),
the unusual-delay step, a dry run, the real sweep (escalating the due tickets) and an
immediate second sweep (nothing left to do). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(fn):
    t0 = time.perf_counter()
    value = fn()
    return value, (time.perf_counter() - t0) * 1000


def build(n: int, due: int, now: datetime) -> None:
    from accounts.models import Role, User
    from tickets.models import Category, SLAPolicy, Status, Ticket, TicketEvent

    if Ticket.objects.filter(status=Status.IN_PROGRESS).count() >= n:
        return
    customer, _ = User.objects.get_or_create(email="sweep-customer@bench.test", defaults={
        "first_name": "Bench", "last_name": "Customer", "role": Role.CUSTOMER})
    tech, _ = User.objects.get_or_create(email="sweep-tech@bench.test", defaults={
        "first_name": "Bench", "last_name": "Tech", "role": Role.TECHNICIAN})
    category, _ = Category.objects.get_or_create(name="Bench repair")
    policy, _ = SLAPolicy.objects.get_or_create(priority="normal", category=None, site=None, active=True, defaults={
        "name": "bench", "response_minutes": 60, "resolution_minutes": 8 * 60})
    batch = []
    for i in range(n):
        late = i < due
        created = now - timedelta(hours=9 if late else 1, minutes=i % 50)
        batch.append(Ticket(
            title=f"Bench ticket {i}", description="bench", requester=customer, assignee=tech, category=category,
            status=Status.IN_PROGRESS, priority="normal", sla_policy=policy, status_changed_at=created,
            assigned_at=created, responded_at=created, response_due_at=created + timedelta(hours=1),
            resolution_due_at=created + timedelta(hours=8), escalate_at=created + timedelta(hours=8),
        ))
        if len(batch) == 5000:
            Ticket.objects.bulk_create(batch)
            batch = []
            print(f"  {i + 1}/{n} open tickets", file=sys.stderr)
    Ticket.objects.bulk_create(batch)
    Ticket.objects.filter(title__startswith="Bench ticket").update(created_at=now - timedelta(hours=2))
    history = Ticket.objects.bulk_create([
        Ticket(title=f"History {i}", description="bench", requester=customer, category=category,
               status=Status.CLOSED, status_changed_at=now - timedelta(days=10)) for i in range(2000)])
    events = []
    for ticket in history:
        events += [TicketEvent(ticket=ticket, action="create", to_status=Status.IN_PROGRESS, ticket_version=1),
                   TicketEvent(ticket=ticket, action="resolve", from_status=Status.IN_PROGRESS,
                               to_status=Status.RESOLVED, ticket_version=2)]
    TicketEvent.objects.bulk_create(events)
    # created_at is auto_now_add: the history's one-day stays in progress are set afterwards
    TicketEvent.objects.filter(ticket__in=history, action="create").update(created_at=now - timedelta(days=20))
    TicketEvent.objects.filter(ticket__in=history, action="resolve").update(created_at=now - timedelta(days=19))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="time one escalation sweep over many open tickets")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=500, help="how many of them are past their deadline")
    args = parser.parse_args(argv)
    (ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'data' / f'sweep-{args.tickets}.sqlite3'}")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("DEBUG", "0")
    os.environ["DJANGO_SETTINGS_MODULE"] = "helpdesk.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tickets.escalation import due_for_escalation, escalation_sweep, unusually_delayed
    from tickets.models import Ticket

    call_command("migrate", verbosity=0)
    now = datetime.now(UTC).replace(microsecond=0)
    build(args.tickets, args.due, now)
    Ticket.objects.filter(title__startswith="Bench ticket").update(escalation_level=0, escalated_at=None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    open_count = Ticket.objects.filter(status="in_progress").count()
    rows = []
    found, ms = timed(lambda: due_for_escalation(now=now))
    rows.append(("candidate query (escalate_at index)", ms, f"{len(found)} due"))
    delayed, ms = timed(lambda: unusually_delayed(now=now))
    rows.append(("unusual-delay step (thresholds + query)", ms, f"{len(delayed)} delayed"))
    dry, ms = timed(lambda: escalation_sweep(now=now, dry_run=True))
    rows.append(("dry run", ms, f"{dry.count} would escalate"))
    real, ms = timed(lambda: escalation_sweep(now=now))
    rows.append(("sweep (escalates, events, notifications)", ms, f"{real.count} escalated"))
    again, ms = timed(lambda: escalation_sweep(now=now))
    rows.append(("second sweep at once", ms, f"{again.count} escalated"))
    sql, params = Ticket.objects.filter(escalate_at__lte=now, deleted_at__isnull=True).values_list(
        "pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql, params)
        plan = " / ".join(str(r[-1]) for r in cursor.fetchall())
    print(f"\nOne escalation sweep, {connection.vendor}, {open_count:,} open tickets, {args.due} due\n")
    print("| step | ms | result |\n|---|---:|---|")
    for name, ms, what in rows:
        print(f"| {name} | {ms:,.0f} | {what} |")
    print(f"\ncandidate query plan: {plan}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
