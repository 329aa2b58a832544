import pytest
from django.urls import reverse

from tickets.models import Status, Ticket, TicketEvent
from tickets.tests.conftest import make_ticket


@pytest.fixture
def admin_client_for(client_for, users):
    users["admin"].is_superuser = True
    users["admin"].save()
    return client_for(users["admin"])


def test_changelist_filters_search_and_detail(admin_client_for, users):
    ticket = make_ticket(requester=users["customer"], title="Flooded basement")
    client = admin_client_for
    url = reverse("admin:tickets_ticket_changelist")
    assert "Flooded basement" in client.get(url, {"q": ticket.reference}).content.decode()
    assert client.get(url, {"status__exact": "new", "deleted": "no"}).status_code == 200
    assert client.get(reverse("admin:tickets_ticket_change", args=[ticket.pk])).status_code == 200


def test_admin_actions_use_the_services(admin_client_for, users):
    new = make_ticket(requester=users["customer"])
    closed = make_ticket(requester=users["customer"], status=Status.CLOSED)
    url = reverse("admin:tickets_ticket_changelist")
    admin_client_for.post(url, {"action": "approve", "_selected_action": [new.pk, closed.pk]})
    new.refresh_from_db()
    closed.refresh_from_db()
    assert new.status == Status.APPROVED and closed.status == Status.CLOSED
    assert TicketEvent.objects.filter(ticket=new, action="approve", actor=users["admin"]).exists()
    admin_client_for.post(url, {"action": "assign", "_selected_action": [new.pk],
                                "assignee": users["technician"].pk})
    new.refresh_from_db()
    assert new.assignee == users["technician"] and new.status == Status.ASSIGNED


def test_restore_soft_deleted(admin_client_for, users):
    from tickets.services import ticket_delete

    ticket = make_ticket(requester=users["customer"])
    ticket_delete(actor=users["admin"], ticket=ticket)
    admin_client_for.post(reverse("admin:tickets_ticket_changelist"),
                          {"action": "restore", "_selected_action": [ticket.pk]})
    assert Ticket.objects.get(pk=ticket.pk).deleted_at is None


def test_events_are_read_only(admin_client_for, users):
    ticket = make_ticket(requester=users["customer"])
    event = ticket.events.get()
    change = admin_client_for.get(reverse("admin:tickets_ticketevent_change", args=[event.pk]))
    assert change.status_code == 200 and 'name="action"' not in change.content.decode()
    assert admin_client_for.get(reverse("admin:tickets_ticketevent_add")).status_code == 403
    assert admin_client_for.post(reverse("admin:tickets_ticketevent_delete", args=[event.pk]),
                                 {"post": "yes"}).status_code == 403
    assert TicketEvent.objects.filter(pk=event.pk).exists()


def test_admin_edit_writes_an_event(admin_client_for, users):
    ticket = make_ticket(requester=users["customer"])
    url = reverse("admin:tickets_ticket_change", args=[ticket.pk])
    data = {
        "title": "Renamed", "description": ticket.description, "priority": "urgent", "category": "", "site": "",
        "location": "", "equipment": "", "affected_item": "", "contact_phone": "",
        "photos-TOTAL_FORMS": 0, "photos-INITIAL_FORMS": 0, "comments-TOTAL_FORMS": 0, "comments-INITIAL_FORMS": 0,
        "events-TOTAL_FORMS": 1, "events-INITIAL_FORMS": 1,
        "events-0-id": ticket.events.get().pk, "events-0-ticket": ticket.pk,
    }
    response = admin_client_for.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    ticket.refresh_from_db()
    assert ticket.title == "Renamed" and ticket.version == 2
    assert ticket.events.filter(action="update", actor=users["admin"]).exists()
