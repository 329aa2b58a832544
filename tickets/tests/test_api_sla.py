"""SLA policies and working calendars through the API: admins only (403 for the other roles, 401 for
nobody), the models' rules as 400 field errors, a calendar in use is 409, recomputing open tickets."""

from datetime import date

import pytest

from tickets.models import Holiday, SLAPolicy, WorkingCalendar
from tickets.tests.sla_helpers import make_calendar, make_policy, sla_ticket

pytestmark = pytest.mark.django_db
ROLES = ["admin", "engineer", "technician", "customer"]


@pytest.fixture
def setup(db):
    calendar = make_calendar(holidays=[date(2026, 12, 25)])
    return {"calendar": calendar, "policy": make_policy("high", 30, 240, calendar=calendar)}


def _paths(setup):
    return ["/api/v1/sla-policies/", f"/api/v1/sla-policies/{setup['policy'].pk}/", "/api/v1/working-calendars/",
            f"/api/v1/working-calendars/{setup['calendar'].pk}/"]


@pytest.mark.parametrize("role", ROLES)
def test_reads_are_for_admins(api, users, setup, role):
    for path in _paths(setup):
        assert api(users[role]).get(path).status_code == (200 if role == "admin" else 403), path
    for path in _paths(setup):
        assert api().get(path).status_code == 401


@pytest.mark.parametrize("role", ["engineer", "technician", "customer"])
def test_writes_are_refused_to_others(api, users, setup, role):
    client = api(users[role])
    policy, calendar = setup["policy"], setup["calendar"]
    assert client.post("/api/v1/sla-policies/", {"name": "x", "priority": "low", "response_minutes": 5,
                                                 "resolution_minutes": 10}, format="json").status_code == 403
    assert client.patch(f"/api/v1/sla-policies/{policy.pk}/", {"response_minutes": 1}, format="json").status_code == 403
    assert client.delete(f"/api/v1/sla-policies/{policy.pk}/").status_code == 403
    assert client.post("/api/v1/sla-policies/recompute/", {}, format="json").status_code == 403
    assert client.post("/api/v1/working-calendars/", {"name": "x"}, format="json").status_code == 403
    assert client.delete(f"/api/v1/working-calendars/{calendar.pk}/").status_code == 403
    policy.refresh_from_db()
    assert policy.response_minutes == 30 and SLAPolicy.objects.count() == 1 and WorkingCalendar.objects.count() == 1


def test_admin_creates_changes_and_deletes_a_policy(api, users, setup):
    client = api(users["admin"])
    response = client.post("/api/v1/sla-policies/", {"name": "Normal", "priority": "normal", "response_minutes": 60,
                                                     "resolution_minutes": 480, "calendar": setup["calendar"].pk},
                           format="json")
    assert response.status_code == 201, response.data
    policy = SLAPolicy.objects.get(pk=response.data["id"])
    assert (policy.priority, policy.calendar, policy.active) == ("normal", setup["calendar"], True)
    response = client.patch(f"/api/v1/sla-policies/{policy.pk}/", {"resolution_minutes": 600}, format="json")
    assert response.status_code == 200 and response.data["resolution_minutes"] == 600
    assert client.delete(f"/api/v1/sla-policies/{policy.pk}/").status_code == 204
    assert not SLAPolicy.objects.filter(pk=policy.pk).exists()


def test_the_models_rules_are_400s(api, users, setup):
    client = api(users["admin"])
    # Resolution before response: the model's clean().
    response = client.post("/api/v1/sla-policies/", {"name": "Bad", "priority": "low", "response_minutes": 60,
                                                     "resolution_minutes": 30}, format="json")
    assert response.status_code == 400 and "resolution_minutes" in response.data["errors"]
    # A second active policy for the same priority (no category, no site).
    response = client.post("/api/v1/sla-policies/", {"name": "Twin", "priority": "high", "response_minutes": 10,
                                                     "resolution_minutes": 20}, format="json")
    assert response.status_code == 400 and response.data["errors"]
    assert SLAPolicy.objects.count() == 1
    # An inactive twin is fine.
    response = client.post("/api/v1/sla-policies/", {"name": "Twin", "priority": "high", "response_minutes": 10,
                                                     "resolution_minutes": 20, "active": False}, format="json")
    assert response.status_code == 201


def test_calendars_with_holidays(api, users, setup):
    client = api(users["admin"])
    response = client.post("/api/v1/working-calendars/", {
        "name": "Berlin", "time_zone": "Europe/Berlin", "weekdays": "123456", "day_start": "07:00",
        "day_end": "15:30", "holidays": [{"date": "2026-12-24", "name": "Christmas Eve"}, {"date": "2026-12-31"}]},
        format="json")
    assert response.status_code == 201, response.data
    calendar = WorkingCalendar.objects.get(name="Berlin")
    assert sorted(h.date.isoformat() for h in calendar.holidays.all()) == ["2026-12-24", "2026-12-31"]
    response = client.patch(f"/api/v1/working-calendars/{calendar.pk}/", {"holidays": [{"date": "2027-01-01"}]},
                            format="json")
    assert response.status_code == 200 and [h["date"] for h in response.data["holidays"]] == ["2027-01-01"]
    assert calendar.holidays.count() == 1
    for bad in ({"time_zone": "Mars/Olympus"}, {"weekdays": "189"}, {"day_start": "18:00"},
                {"holidays": [{"date": "2027-01-01"}, {"date": "2027-01-01"}]}):
        response = client.patch(f"/api/v1/working-calendars/{calendar.pk}/", bad, format="json")
        assert response.status_code == 400, (bad, response.data)
    calendar.refresh_from_db()
    assert (calendar.time_zone, calendar.weekdays, calendar.holidays.count()) == ("Europe/Berlin", "123456", 1)


def test_a_calendar_in_use_cannot_be_deleted(api, users, setup):
    client = api(users["admin"])
    response = client.delete(f"/api/v1/working-calendars/{setup['calendar'].pk}/")
    assert response.status_code == 409 and response.data["code"] == "conflict"
    assert WorkingCalendar.objects.filter(pk=setup["calendar"].pk).exists()
    assert Holiday.objects.count() == 1
    setup["policy"].delete()
    assert client.delete(f"/api/v1/working-calendars/{setup['calendar'].pk}/").status_code == 204


def test_recompute_applies_a_new_policy_to_open_tickets(api, users):
    ticket = sla_ticket(requester=users["customer"], priority="urgent")
    assert ticket.sla_policy is None
    client = api(users["admin"])
    client.post("/api/v1/sla-policies/", {"name": "Urgent", "priority": "urgent", "response_minutes": 15,
                                          "resolution_minutes": 120}, format="json")
    ticket.refresh_from_db()
    assert ticket.sla_policy is None  # as in the admin: open tickets keep their deadlines until recomputed
    response = client.post("/api/v1/sla-policies/recompute/", {"priority": "urgent"}, format="json")
    assert response.status_code == 200 and response.data == {"changed": 1}
    ticket.refresh_from_db()
    assert ticket.sla_policy.name == "Urgent" and ticket.response_due_at is not None


def test_lists_hold_their_query_budget(api, users, django_assert_max_num_queries):
    calendars = [make_calendar(name=f"Cal {i}", holidays=[date(2026, 12, 25)]) for i in range(5)]
    for i, priority in enumerate(("low", "normal", "high", "urgent")):
        make_policy(priority, 30, 240, calendar=calendars[i])
    client = api(users["admin"])
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/sla-policies/").data["results"]) == 4
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/working-calendars/").data["results"]) == 5
