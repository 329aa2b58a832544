"""The dashboards' bounded reads (docs/bench.md, issue 11): the lists built from a few index
ranges return exactly the rows the plain whole-backlog queries return, and on SQLite each
candidate query is served by its partial index (no sort of the backlog)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from tickets import selectors
from tickets.dashboard import _jobs_to_take
from tickets.models import Priority, Status, Ticket
from tickets.sla import sla_filter
from tickets.sla_dashboard import ticket_lists
from tickets.tests.conftest import make_ticket

pytestmark = pytest.mark.django_db

H = timedelta(hours=1)


def _deadline(t, now):
    far = now + timedelta(days=10_000)
    pending = t.response_due_at if t.responded_at is None and t.response_due_at else far
    return min(pending, t.resolution_due_at or far), t.pk


@pytest.fixture
def backlog(users):
    """30 running tickets with response and resolution deadlines spread around now, some
    responded, some on hold or closed (never listed), so each list has more rows than it shows."""
    now = timezone.now()
    statuses = [Status.NEW, Status.APPROVED, Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD, Status.CLOSED]
    for n in range(36):
        status = statuses[n % len(statuses)]
        t = make_ticket(requester=users["customer"], status=status,
                        assignee=users["technician"] if status not in (Status.NEW, Status.APPROVED) else None)
        Ticket.objects.filter(pk=t.pk).update(
            response_due_at=now + (n % 7 - 4) * H, resolution_due_at=now + (n % 11 - 6) * H + n * timedelta(minutes=1),
            responded_at=now - H if n % 3 == 0 else None)
    return now


def test_deadline_lists_match_the_whole_backlog_query(users, backlog):
    now = backlog
    visible = selectors.tickets_visible_to(users["admin"])
    lists = ticket_lists(visible, now, 8)
    breached, at_risk = lists["breached"], lists["at_risk"]
    expected_breached = sorted(sla_filter(visible, "breached", now), key=lambda t: _deadline(t, now))[:8]
    expected_at_risk = sorted(sla_filter(visible, "due_soon", now), key=lambda t: _deadline(t, now))[:8]
    assert len(expected_breached) == 8 and len(expected_at_risk) >= 1  # the fixture has more than a list shows
    assert [t.pk for t in breached] == [t.pk for t in expected_breached]
    assert [t.pk for t in at_risk] == [t.pk for t in expected_at_risk]


def test_jobs_to_take_are_the_most_urgent_then_oldest(users):
    now = timezone.now()
    for n in range(24):
        t = make_ticket(requester=users["customer"], status=[Status.NEW, Status.APPROVED, Status.ASSIGNED][n % 3],
                        priority=Priority.values[n % 4],
                        assignee=users["technician"] if n % 3 == 2 else None)
        Ticket.objects.filter(pk=t.pk).update(created_at=now - n * H)
    visible = selectors.tickets_visible_to(users["engineer"])
    rank = {p: i for i, p in enumerate(reversed(Priority.values))}  # urgent 0 ... low 3
    expected = sorted(visible.filter(status__in=(Status.NEW, Status.APPROVED), assignee__isnull=True),
                      key=lambda t: (rank[t.priority], t.created_at))[:5]
    assert [t.pk for t in _jobs_to_take(visible)] == [t.pk for t in expected]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan wording")
def test_sqlite_reads_the_partial_indexes(users, backlog):
    from django.db.models import Q

    admin = users["admin"]
    visible = selectors.tickets_visible_to(admin)
    assert admin.role == Role.ADMIN
    from tickets.sla import RUNNING, status_in

    running = visible.filter(status_in(RUNNING))
    plans = {
        "ticket_run_response_due_idx": running.filter(responded_at__isnull=True, response_due_at__lt=backlog)
        .order_by("response_due_at").values("pk")[:8],
        "ticket_run_resolve_due_idx": running.filter(resolution_due_at__lt=backlog)
        .order_by("resolution_due_at").values("pk")[:8],
        "ticket_escalated_open_idx": visible.filter(status_in((*RUNNING, Status.ON_HOLD)), escalation_level__gt=0)
        .order_by("-escalation_level", "-escalated_at")[:8],
        "ticket_to_take_idx": visible.filter(Q(assignee__isnull=True), status=Status.NEW, priority="high")
        .order_by("created_at").values("pk")[:5],
    }
    with connection.cursor() as cursor:
        # With statistics, as on a database that has seen ANALYZE (bench_seed, docs/deploy.md);
        # without them SQLite guesses and may prefer an index on status alone.
        cursor.execute("ANALYZE")
    for index, qs in plans.items():
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " / ".join(row[-1] for row in cursor.fetchall())
        assert index in plan, plan
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_panel_lists_are_their_own_queries_rows_read_by_id(users, backlog, django_assert_num_queries):
    """The admin's ticket lists (approval, escalated, jobs, deadlines) come from one ids query and
    one rows query, each list exactly as its own query orders it, rows loading what a panel shows."""
    from tickets.sla_dashboard import escalated_tickets

    now = backlog
    visible = selectors.tickets_visible_to(users["admin"])
    for n, t in enumerate(visible.filter(status__in=(Status.NEW, Status.ASSIGNED)).order_by("id")[:12]):
        Ticket.objects.filter(pk=t.pk).update(escalation_level=1 + n % 3, escalated_at=now - n * H)
    others = {"approval": visible.filter(status=Status.NEW).order_by("created_at")[:5],
              "escalated": escalated_tickets(visible)[:8],
              "jobs": selectors.jobs_for(users["technician"])[:5]}
    with django_assert_num_queries(2):
        lists = ticket_lists(visible, now, 8, others)
    for name, qs in others.items():
        assert len(qs) >= 5 and [t.pk for t in lists[name]] == [t.pk for t in qs], name
    assert [t.pk for t in lists["breached"]] == [t.pk for t in ticket_lists(visible, now, 8)["breached"]]
    row = lists["approval"][0]
    assert {"description", "requester_id", "site_id", "location_id", "category_id"} <= row.get_deferred_fields()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_postgresql_takes_jobs_to_take_candidates_as_a_join_not_a_filter_on_every_ticket(users):
    """As eight ``pk IN`` joined by ``OR``, PostgreSQL tested every ticket against eight hashed
    subqueries (a ``Filter`` of ``hashed SubPlan``s, 44 ms at 100,000 tickets); one ``IN`` over
    the candidates' union is a semi-join it can drive from the few candidates."""
    from django.test.utils import CaptureQueriesContext

    for n in range(12):
        make_ticket(requester=users["customer"], status=Status.NEW, priority=Priority.values[n % 4])
    visible = selectors.tickets_visible_to(users["engineer"])
    with CaptureQueriesContext(connection) as ctx:
        assert len(_jobs_to_take(visible)) == 5
    (query,) = ctx.captured_queries
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {query['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "SubPlan" not in plan, plan
    assert "Semi Join" in plan or "Unique" in plan or "HashAggregate" in plan, plan
