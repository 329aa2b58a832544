"""Two people act on one ticket at the same moment: the row lock lets exactly one win."""

import threading

import pytest
from django.db import connection, connections

from tickets.errors import TicketError
from tickets.models import Status, Ticket
from tickets.services import ticket_transition
from tickets.tests.conftest import make_ticket


@pytest.mark.django_db(transaction=True)
def test_simultaneous_approve_and_reject_one_wins(users):
    if connection.vendor != "postgresql":
        pytest.skip("needs a server database where threads have their own connections")
    ticket = make_ticket(requester=users["customer"])
    barrier = threading.Barrier(2)
    results = {}

    def act(action):
        try:
            barrier.wait()
            ticket_transition(actor=users["admin"], ticket=Ticket(pk=ticket.pk), action=action,
                              comment="simultaneous", version=1)
            results[action] = "ok"
        except TicketError as exc:
            results[action] = exc.message
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(a,)) for a in ("approve", "reject")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()).count("ok") == 1, results
    ticket.refresh_from_db()
    assert ticket.status in (Status.APPROVED, Status.REJECTED) and ticket.version == 2
    assert ticket.events.exclude(action="create").count() == 1
