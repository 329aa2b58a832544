"""Two people act on the same ticket at the same moment over HTTP (real concurrent transactions
on PostgreSQL, one connection per thread): one wins, the other gets 409 Conflict, and the history
shows exactly the winner's change. The service-level race is tickets/tests/test_concurrency.py."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from tickets.models import Status
from tickets.tests.conftest import make_ticket

pytestmark = pytest.mark.django_db(transaction=True)


def _race(users, ticket, requests):
    barrier = threading.Barrier(len(requests))
    results = {}

    def act(key, role, action, data):
        client = Client()
        client.force_login(users[role], backend="accounts.backends.EmailBackend")
        try:
            barrier.wait()
            response = client.post(reverse(f"api:ticket-action-{action}", args=[ticket.pk]), data,
                                   content_type="application/json")
            results[key] = response.status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(key, *req)) for key, req in requests.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.parametrize("with_version", [True, False])
def test_simultaneous_approve_and_reject_over_the_api(users, with_version):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent writers with row locks")
    ticket = make_ticket(requester=users["customer"])
    extra = {"version": 1} if with_version else {}
    results = _race(users, ticket, {
        "approve": ("admin", "approve", {"comment": "go", **extra}),
        "reject": ("engineer", "reject", {"comment": "Duplicate of another request", **extra}),
    })
    assert sorted(results.values()) == [200, 409], results
    winner = "approve" if results["approve"] == 200 else "reject"
    ticket.refresh_from_db()
    assert ticket.status == (Status.APPROVED if winner == "approve" else Status.REJECTED)
    assert ticket.version == 2
    history = list(ticket.events.exclude(action="create").values_list("action", "from_status", "to_status"))
    assert history == [(winner, Status.NEW, ticket.status)], history


def test_many_engineers_taking_one_job_only_one_gets_it(users, user_factory):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent writers with row locks")
    from accounts.models import Role

    techs = {f"eng{i}": user_factory(Role.ENGINEER) for i in range(4)}
    ticket = make_ticket(requester=users["customer"], status=Status.APPROVED)
    all_users = {**users, **techs}
    results = _race(all_users, ticket, {name: (name, "take", {}) for name in techs})
    assert sorted(results.values()) == [200, 409, 409, 409], results
    ticket.refresh_from_db()
    winner = next(name for name, code in results.items() if code == 200)
    assert ticket.assignee == techs[winner] and ticket.status == Status.ASSIGNED
    assert list(ticket.events.exclude(action="create").values_list("action", "actor")) == [("take", techs[winner].pk)]
