"""The ticket API's hand-built rendering (``TicketSerializer.to_representation``) equals DRF's generic
rendering of the declared fields, and the list costs the same number of queries whatever its length."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIRequestFactory

from tickets.models import Priority, Status, Ticket
from tickets.serializers import TicketSerializer
from tickets.tests.conftest import make_ticket


def _request(user):
    request = APIRequestFactory().get("/api/v1/tickets/")
    request.user = user
    return request


@pytest.fixture
def varied(users, place):
    """Tickets in every status, with every relation and none, with and without a phone and deadlines."""
    tickets = []
    for i, status in enumerate(Status.values):
        full = i % 2 == 0
        assignee = users["technician"] if full or status in (Status.ASSIGNED, Status.IN_PROGRESS) else None
        extra = {"site": place["site"], "location": place["room"], "equipment": place["equipment"],
                 "category": place["category"], "vehicle": place["vehicle"], "contact_phone": "+447911123456",
                 "affected_item": "Boiler", "priority": Priority.URGENT, "escalation_level": 2,
                 "response_due_at": timezone.now(), "resolution_due_at": timezone.now()} if full else {}
        tickets.append(make_ticket(requester=users["customer"], status=status, assignee=assignee,
                                   title=f"T{i}", **extra))
    return tickets


@pytest.mark.parametrize("role", ["admin", "engineer", "technician", "customer"])
@pytest.mark.parametrize("time_zone", ["UTC", "Europe/London", "America/New_York"])
def test_fast_rendering_equals_drf_rendering(users, varied, role, time_zone, settings):
    settings.TIME_ZONE = time_zone
    user = users[role]
    serializer = TicketSerializer(context={"request": _request(user)})
    rows = Ticket.objects.filter(pk__in=[t.pk for t in varied]).select_related(
        "requester", "assignee", "category", "site", "location", "equipment__model__manufacturer", "vehicle")
    with timezone.override(time_zone):
        for ticket in rows:
            fast = serializer.to_representation(ticket)
            assert fast == serializer.drf_representation(ticket)
            assert list(fast) == list(TicketSerializer.Meta.fields)


def test_list_matches_drf_rendering_of_the_same_rows(api, users, varied):
    admin = users["admin"]
    results = api(admin).get("/api/v1/tickets/").json()["results"]
    serializer = TicketSerializer(context={"request": _request(admin)})
    expected = [serializer.drf_representation(Ticket.objects.get(pk=row["id"])) for row in results]
    # Through JSON: datetimes and phone numbers as the client reads them.
    assert results == json.loads(json.dumps(expected))
    assert {row["contact_phone"] for row in results} == {"", "+44 7911 123456"}
    assert len(results) == len(varied)


@pytest.mark.parametrize("url", ["/api/v1/tickets/", "/api/v1/tickets/?cursor=", "/api/v1/tickets/queue/"])
def test_list_queries_do_not_grow_with_the_rows(api, users, place, url):
    client = api(users["admin"])

    def add(n):
        for i in range(n):
            make_ticket(requester=users["customer"], site=place["site"], location=place["room"],
                        equipment=place["equipment"], category=place["category"], assignee=users["technician"],
                        vehicle=place["vehicle"], status=Status.ASSIGNED, title=f"T{i}")

    add(2)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url).json()["results"]) == 2
    add(28)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()["results"]) == 25
    assert len(many) == len(few)


@pytest.mark.parametrize("role", ["customer", "admin"])
def test_create_answers_what_a_read_of_the_new_ticket_gives(api, users, place, role):
    client = api(users[role])
    body = {"title": "  Lift stuck ", "description": "Between floors 2 and 3", "site": place["site"].pk,
            "location": place["room"].pk, "equipment": place["equipment"].pk, "category": place["category"].pk,
            "contact_phone": "07911 123456", "affected_item": "Lift B"}
    if role == "admin":
        body["requester"] = users["customer"].pk
    created = client.post("/api/v1/tickets/", body, format="json")
    assert created.status_code == 201, created.content
    read = client.get(f"/api/v1/tickets/{created.json()['id']}/")
    assert created.json() == read.json()
    assert created.json()["contact_phone"] == "+44 7911 123456"
    bare = client.post("/api/v1/tickets/", {"title": "Door", "description": "Jammed"}, format="json")
    assert bare.json() == client.get(f"/api/v1/tickets/{bare.json()['id']}/").json()
