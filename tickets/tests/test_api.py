import pytest

from tickets.models import Status, Ticket
from tickets.services import comment_add
from tickets.tests.conftest import make_ticket


@pytest.fixture
def api(client_for):
    def make(user):
        c = client_for(user)
        c.defaults["content_type"] = "application/json"
        return c
    return make


def test_customer_lists_only_own_tickets(api, users, other_customer):
    mine = make_ticket(requester=users["customer"])
    make_ticket(requester=other_customer)
    data = api(users["customer"]).get("/api/v1/tickets/").json()
    assert [t["id"] for t in data["results"]] == [mine.pk]
    assert data["results"][0]["available_actions"] == ["cancel", "close_solved"]


def test_create_and_action_and_conflict(api, users):
    client = api(users["customer"])
    response = client.post("/api/v1/tickets/", {"title": "Lift stuck", "description": "Between floors 2 and 3"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    admin = api(users["admin"])
    ok = admin.post(f"/api/v1/tickets/{pk}/actions/approve/", {"version": 1}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    stale = admin.post(f"/api/v1/tickets/{pk}/actions/reject/", {"version": 1, "comment": "x"},
                       content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    refused = client.post(f"/api/v1/tickets/{pk}/actions/resolve/", {"comment": "done"},
                          content_type="application/json")
    assert refused.status_code == 409
    assert Ticket.objects.get(pk=pk).status == Status.APPROVED
    missing = admin.post(f"/api/v1/tickets/{pk}/actions/assign/", {}, content_type="application/json")
    assert missing.status_code == 400 and "assignee" in missing.json()["errors"]


def test_patch_needs_current_version(api, users):
    ticket = make_ticket(requester=users["customer"])
    client = api(users["customer"])
    assert client.patch(f"/api/v1/tickets/{ticket.pk}/", {"title": "New title", "version": 1},
                        content_type="application/json").status_code == 200
    assert client.patch(f"/api/v1/tickets/{ticket.pk}/", {"title": "Other", "version": 1},
                        content_type="application/json").status_code == 409


def test_internal_notes_never_reach_customers_in_the_api(api, users):
    ticket = make_ticket(requester=users["customer"], status=Status.ASSIGNED, assignee=users["technician"])
    comment_add(actor=users["customer"], ticket=ticket, body="public")
    comment_add(actor=users["technician"], ticket=ticket, body="internal", is_internal=True)
    cust = api(users["customer"])
    assert [c["body"] for c in cust.get(f"/api/v1/tickets/{ticket.pk}/comments/").json()["results"]] == ["public"]
    events = cust.get(f"/api/v1/tickets/{ticket.pk}/events/").json()["results"]
    assert all(not e["changes"].get("internal") for e in events)
    assert cust.post(f"/api/v1/tickets/{ticket.pk}/comments/", {"body": "x", "is_internal": True},
                     content_type="application/json").status_code == 403
    staff = api(users["engineer"]).get(f"/api/v1/tickets/{ticket.pk}/comments/").json()["results"]
    assert [c["body"] for c in staff] == ["public", "internal"]


def test_invisible_ticket_is_404(api, users, other_customer):
    ticket = make_ticket(requester=other_customer)
    assert api(users["customer"]).get(f"/api/v1/tickets/{ticket.pk}/").status_code == 404
    assert api(users["technician"]).post(f"/api/v1/tickets/{ticket.pk}/actions/start/", {},
                                         content_type="application/json").status_code == 404


def test_schema_still_builds(client):
    assert client.get("/api/schema/?format=json").status_code == 200
