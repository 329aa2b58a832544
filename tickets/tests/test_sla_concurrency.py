"""Two sweeps at the same moment (the schedule and an operator's command): each level exactly once."""

import threading

import pytest
from django.db import connection, connections

from notifications.models import Notification
from tickets.escalation import due_for_escalation, escalation_sweep
from tickets.models import Status, TicketEvent
from tickets.tests.sla_helpers import T0, H, make_policy, sla_ticket

N = 25


def _race(now):
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        try:
            barrier.wait()
            results.append(escalation_sweep(now=now))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_sweeps_escalate_each_level_once(users):
    if connection.vendor != "postgresql":
        pytest.skip("needs a server database where threads have their own connections")
    make_policy(response=60, resolution=8 * 60, level2_after_minutes=60)
    tickets = [sla_ticket(requester=users["customer"], status=Status.IN_PROGRESS, assignee=users["technician"])
               for _ in range(N)]
    # both sweeps see every ticket as a candidate: the race is real, only the row lock decides
    assert len(due_for_escalation(now=T0 + 8 * H)) == N

    first = _race(T0 + 8 * H)
    assert sum(r.count for r in first) == N and sum(r.skipped for r in first) == N
    second = _race(T0 + 9 * H)
    assert sum(r.count for r in second) == N

    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.escalation_level == 2 and ticket.priority == "high"
        levels = [e.changes["level"] for e in TicketEvent.objects.filter(ticket=ticket, action="escalate")]
        assert sorted(levels) == [1, 2]
        # admins hear once per level
        assert Notification.objects.filter(ticket=ticket, event="escalated", recipient=users["admin"]).count() == 2
