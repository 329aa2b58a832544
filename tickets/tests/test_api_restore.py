"""Soft delete and restore through the API: admins restore (409 when not deleted), nobody else sees
deleted tickets (404) or may restore them (403 on a ticket they can see)."""

import pytest

from tickets import services
from tickets.models import Status, Ticket
from tickets.tests.conftest import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(users):
    gone = make_ticket(requester=users["customer"], assignee=users["technician"], status=Status.ASSIGNED)
    services.ticket_delete(actor=users["admin"], ticket=gone)
    kept = make_ticket(requester=users["customer"], assignee=users["technician"], status=Status.ASSIGNED)
    return {"gone": gone, "kept": kept}


def test_admin_restores_a_deleted_ticket(api, users, tickets):
    admin = api(users["admin"])
    assert [t["id"] for t in admin.get("/api/v1/tickets/deleted/").data["results"]] == [tickets["gone"].pk]
    assert admin.get(f"/api/v1/tickets/{tickets['gone'].pk}/").status_code == 404
    response = admin.post(f"/api/v1/tickets/{tickets['gone'].pk}/restore/")
    assert response.status_code == 200 and response.data["id"] == tickets["gone"].pk
    gone = Ticket.objects.get(pk=tickets["gone"].pk)
    assert gone.deleted_at is None and gone.deleted_by is None
    assert gone.events.filter(action="restore", actor=users["admin"]).exists()  # the service's audit row
    assert api(users["customer"]).get(f"/api/v1/tickets/{gone.pk}/").status_code == 200  # visible again
    assert admin.get("/api/v1/tickets/deleted/").data["results"] == []


def test_restoring_a_ticket_that_is_not_deleted_is_409(api, users, tickets):
    response = api(users["admin"]).post(f"/api/v1/tickets/{tickets['kept'].pk}/restore/")
    assert response.status_code == 409 and response.data["code"] == "conflict"
    assert tickets["kept"].events.filter(action="restore").count() == 0
    assert api(users["admin"]).post("/api/v1/tickets/999999/restore/").status_code == 404


@pytest.mark.parametrize("role", ["engineer", "technician", "customer"])
def test_others_cannot_restore_or_list(api, users, tickets, role):
    client = api(users[role])
    assert client.post(f"/api/v1/tickets/{tickets['gone'].pk}/restore/").status_code == 404  # existence hidden
    assert client.post(f"/api/v1/tickets/{tickets['kept'].pk}/restore/").status_code == 403
    assert client.get("/api/v1/tickets/deleted/").status_code == 403
    assert Ticket.objects.get(pk=tickets["gone"].pk).deleted_at is not None


def test_anonymous(api, tickets):
    assert api().post(f"/api/v1/tickets/{tickets['gone'].pk}/restore/").status_code == 401
    assert api().get("/api/v1/tickets/deleted/").status_code == 401


def test_deleted_list_holds_its_query_budget(api, users, django_assert_max_num_queries):
    for _ in range(6):
        ticket = make_ticket(requester=users["customer"], assignee=users["technician"], status=Status.ASSIGNED)
        services.ticket_delete(actor=users["admin"], ticket=ticket)
    with django_assert_max_num_queries(12):
        assert api(users["admin"]).get("/api/v1/tickets/deleted/").data["count"] == 6
