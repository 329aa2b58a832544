"""SLA policies, due times, pauses on hold, what the pages show and the list filters."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from facilities.models import Site
from tickets import sla
from tickets.models import Category, Status, Ticket
from tickets.services import ticket_create, ticket_transition, ticket_update
from tickets.tests.sla_helpers import T0, H, make_calendar, make_policy, move, sla_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def repair():
    return Category.objects.create(name="Repair")


@pytest.fixture
def site():
    return Site.objects.create(name="Head Office")


@pytest.mark.parametrize("with_category, with_site, expected", [
    (False, False, "plain"), (True, False, "category"), (False, True, "site"), (True, True, "both"),
])
def test_the_most_specific_policy_wins(repair, site, with_category, with_site, expected):
    make_policy(name="plain")
    make_policy(name="category", category=repair)
    make_policy(name="site", site=site)
    make_policy(name="both", category=repair, site=site)
    make_policy(name="other priority", priority="urgent", category=repair, site=site)
    found = sla.policy_for(priority="normal", category_id=repair.pk if with_category else None,
                           site_id=site.pk if with_site else None)
    assert found.name == expected


def test_inactive_policies_and_other_priorities_do_not_match():
    make_policy(priority="normal", active=False)
    make_policy(priority="high")
    assert sla.policy_for(priority="normal", category_id=None, site_id=None) is None


def test_one_active_policy_per_combination(repair):
    make_policy(category=repair)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_policy(name="again", category=repair)
    make_policy(name="inactive copy", category=repair, active=False)  # allowed


@pytest.mark.parametrize("response, resolution", [(120, 60)])
def test_policy_validation_explains(response, resolution):
    policy = make_policy(response=10, resolution=20)
    policy.response_minutes, policy.resolution_minutes = response, resolution
    with pytest.raises(ValidationError) as exc:
        policy.full_clean()
    assert "resolution_minutes" in exc.value.message_dict


def test_create_sets_due_times_around_the_clock(customer):
    make_policy(response=60, resolution=8 * 60)
    ticket = ticket_create(actor=customer, title="Broken door", description="Will not close.")
    ticket.refresh_from_db()
    assert ticket.response_due_at == ticket.created_at + H
    assert ticket.resolution_due_at == ticket.created_at + 8 * H
    assert ticket.escalate_at == ticket.response_due_at


def test_no_policy_no_deadline(customer):
    ticket = ticket_create(actor=customer, title="Broken door", description="Will not close.")
    ticket.refresh_from_db()
    assert ticket.sla_policy is None and ticket.response_due_at is None and ticket.escalate_at is None


def test_business_hours_due_times_skip_night_weekend_and_holiday(customer):
    calendar = make_calendar(holidays=[date(2026, 11, 30)])  # the Monday after
    make_policy(response=60, resolution=9 * 60, calendar=calendar)
    friday_evening = T0 + timedelta(days=4, hours=7)  # Friday 16:00 UTC
    ticket = sla_ticket(requester=customer, created=friday_evening)
    assert ticket.response_due_at == T0 + timedelta(days=4, hours=8)  # Friday 17:00
    # one hour Friday, Monday is a holiday, eight hours Tuesday
    assert ticket.resolution_due_at == T0 + timedelta(days=8, hours=7)  # Tuesday 16:00


@pytest.mark.parametrize("field, value, response_hours", [
    ("priority", "urgent", 0.5), ("category", "cat", 2), ("site", "site", 3),
])
def test_changing_priority_category_or_site_recomputes(admin, customer, repair, site, field, value,
                                                       response_hours):
    make_policy(priority="normal", response=60, resolution=600)
    make_policy(priority="urgent", response=30, resolution=120)
    make_policy(priority="normal", category=repair, response=120, resolution=600)
    make_policy(priority="normal", site=site, response=180, resolution=600)
    ticket = ticket_create(actor=customer, title="Broken door", description="Will not close.")
    new = {"urgent": "urgent", "cat": repair, "site": site}[value]
    ticket = ticket_update(actor=admin, ticket=ticket, version=None, **{field: new})
    ticket.refresh_from_db()
    assert ticket.response_due_at == ticket.created_at + timedelta(hours=response_hours)
    assert ticket.escalate_at == ticket.response_due_at


def test_hold_pauses_and_resume_moves_the_deadline_by_the_held_time(customer, technician):
    make_policy(response=60, resolution=8 * 60)
    ticket = sla_ticket(requester=customer)
    move(ticket, Status.ASSIGNED, T0 + 0.5 * H, action="assign")
    assert ticket.responded_at == T0 + 0.5 * H and ticket.escalate_at == T0 + 8 * H
    move(ticket, Status.IN_PROGRESS, T0 + H)
    move(ticket, Status.ON_HOLD, T0 + 2 * H, action="hold")
    assert ticket.sla_paused_at == T0 + 2 * H and ticket.escalate_at is None
    move(ticket, Status.IN_PROGRESS, T0 + 5 * H, action="resume")
    assert ticket.sla_paused_seconds == 3 * 3600 and ticket.sla_paused_at is None
    assert ticket.resolution_due_at == T0 + 11 * H
    # a second hold adds up exactly, to the second
    move(ticket, Status.ON_HOLD, T0 + 6 * H, action="hold")
    move(ticket, Status.IN_PROGRESS, T0 + 6 * H + timedelta(minutes=30, seconds=7), action="resume")
    assert ticket.sla_paused_seconds == 3 * 3600 + 30 * 60 + 7
    assert ticket.resolution_due_at == T0 + 11.5 * H + timedelta(seconds=7)
    assert ticket.escalate_at == ticket.resolution_due_at
    # a priority change later keeps the paused time
    ticket.priority = "normal"
    sla.sla_refresh(ticket=ticket, now=T0 + 7 * H)
    assert ticket.resolution_due_at == T0 + 11.5 * H + timedelta(seconds=7)


def test_hold_over_a_night_counts_only_working_time(customer):
    make_policy(response=60, resolution=9 * 60, calendar=make_calendar())
    ticket = sla_ticket(requester=customer)  # Monday 09:00, due Tuesday 09:00
    move(ticket, Status.ASSIGNED, T0 + H, action="assign")
    move(ticket, Status.IN_PROGRESS, T0 + H)
    move(ticket, Status.ON_HOLD, T0 + 7 * H, action="hold")  # Monday 16:00
    move(ticket, Status.IN_PROGRESS, T0 + 25 * H, action="resume")  # Tuesday 10:00: 1h + 2h working
    assert ticket.sla_paused_seconds == 3 * 3600
    assert ticket.resolution_due_at == T0 + 27 * H  # Tuesday 12:00


def test_ticket_transition_keeps_the_clock(admin, customer, technician):
    make_policy(response=60, resolution=8 * 60)
    ticket = ticket_create(actor=customer, title="Broken door", description="Will not close.")
    ticket = ticket_transition(actor=admin, ticket=ticket, action="assign", assignee=technician)
    assert ticket.responded_at is not None
    ticket = ticket_transition(actor=technician, ticket=ticket, action="start")
    ticket = ticket_transition(actor=technician, ticket=ticket, action="hold", comment="Waiting for a part")
    ticket.refresh_from_db()
    assert ticket.sla_paused_at is not None and ticket.escalate_at is None
    ticket = ticket_transition(actor=technician, ticket=ticket, action="resume")
    ticket.refresh_from_db()
    assert ticket.sla_paused_at is None and ticket.escalate_at == ticket.resolution_due_at
    assert ticket.resolution_due_at >= ticket.created_at + 8 * H


@pytest.mark.parametrize("minutes_after, status, state", [
    (30, Status.NEW, "ok"),
    (59, Status.NEW, "due_soon"),
    (61, Status.NEW, "overdue"),
    (61, Status.ON_HOLD, "paused"),
])
def test_sla_state(customer, settings, minutes_after, status, state):
    settings.FIXDESK_SLA_DUE_SOON_HOURS = 0.1  # six minutes
    make_policy(response=60, resolution=8 * 60)
    ticket = sla_ticket(requester=customer, status=status)
    found = sla.sla_state(ticket, T0 + timedelta(minutes=minutes_after))
    assert found.state == state
    assert found.kind == ("resolution" if status == Status.ON_HOLD else "response")


@pytest.mark.parametrize("resolved_after, state", [(7, "met"), (9, "missed")])
def test_resolved_tickets_show_met_or_missed(customer, technician, resolved_after, state):
    make_policy(response=60, resolution=8 * 60)
    ticket = sla_ticket(requester=customer, status=Status.IN_PROGRESS, assignee=technician)
    ticket.resolved_at = T0 + resolved_after * H
    move(ticket, Status.RESOLVED, ticket.resolved_at, action="resolve")
    assert sla.sla_state(ticket, T0 + 20 * H).state == state


def test_filters_breached_and_due_soon(customer, technician):
    make_policy(response=60, resolution=8 * 60)
    late_response = sla_ticket(requester=customer, created=T0 - 2 * H)
    soon = sla_ticket(requester=customer, created=T0 - 5 * H, status=Status.IN_PROGRESS, assignee=technician)
    fine = sla_ticket(requester=customer, created=T0, status=Status.IN_PROGRESS, assignee=technician)
    held = sla_ticket(requester=customer, created=T0 - 20 * H, status=Status.IN_PROGRESS, assignee=technician)
    move(held, Status.ON_HOLD, T0 - 19 * H)
    qs = Ticket.objects.all()
    assert set(sla.sla_filter(qs, "breached", T0)) == {late_response}
    assert set(sla.sla_filter(qs, "due_soon", T0)) == {soon}
    assert fine not in sla.sla_filter(qs, "due_soon", T0)


@pytest.mark.parametrize("role", ["admin", "engineer"])
def test_queue_filter_and_badges(client_for, users, role, django_assert_max_num_queries):
    make_policy(response=60, resolution=8 * 60)
    now = timezone.now()
    late = sla_ticket(requester=users["customer"], created=now - 2 * H, title="Late one")
    sla_ticket(requester=users["customer"], created=now, title="Fresh one")
    client = client_for(users[role])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("tickets:queue") + "?sla=breached")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Late one" in page and "Fresh one" not in page
    assert 'data-sla="overdue"' in page and "Response overdue by 1h" in page
    detail = client.get(late.get_absolute_url()).content.decode()
    assert 'id="ticket-sla"' in detail and "Response due" in detail


@pytest.mark.parametrize("role", ["customer", "technician", "admin", "engineer"])
def test_list_filter_for_every_role(client_for, users, role):
    make_policy(response=60, resolution=8 * 60)
    now = timezone.now()
    # responded to (assigned), the resolution is what is due
    mine = {"requester": users["customer"], "assignee": users["technician"], "status": Status.ASSIGNED}
    sla_ticket(created=now - 7.5 * H, title="Due soon", **mine)
    sla_ticket(created=now, title="Plenty of time", **mine)
    response = client_for(users[role]).get(reverse("tickets:list") + "?sla=due_soon")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Due soon" in page and "Plenty of time" not in page
    bad = client_for(users[role]).get(reverse("tickets:list") + "?sla=nonsense")
    assert bad.status_code == 200  # an unknown filter value is ignored, never a 500


@pytest.mark.parametrize("role", ["customer", "engineer", "admin"])
def test_api_filters_by_deadline_and_shows_due_times(client_for, users, role):
    make_policy(response=60, resolution=8 * 60)
    now = timezone.now()
    late = sla_ticket(requester=users["customer"], created=now - 2 * H, title="Late one")
    sla_ticket(requester=users["customer"], created=now, title="Fresh one")
    data = client_for(users[role]).get("/api/v1/tickets/?sla=breached").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [row["id"] for row in rows] == [late.pk]
    assert rows[0]["response_due_at"] and rows[0]["responded_at"] is None


def test_queue_sorts_by_the_nearest_resolution_deadline(client_for, users):
    make_policy(response=60, resolution=8 * 60)
    now = timezone.now()
    sla_ticket(requester=users["customer"], created=now - H, title="Second due")
    sla_ticket(requester=users["customer"], created=now - 3 * H, title="First due")
    sla_ticket(requester=users["customer"], created=now - 5 * H, title="No policy", priority="low")
    page = client_for(users["admin"]).get(reverse("tickets:queue") + "?sort=due").content.decode()
    assert page.index("First due") < page.index("Second due") < page.index("No policy")


def test_due_soon_window_follows_the_setting(client_for, users, settings):
    settings.FIXDESK_SLA_DUE_SOON_HOURS = 2
    page = client_for(users["admin"]).get(reverse("tickets:queue")).content.decode()
    assert "Due within 2 hours" in page
