"""The admin dashboard's SLA panels and the Django admin for policies, per role."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tickets.models import SLAPolicy, Status, Ticket
from tickets.sla_dashboard import period_report
from tickets.tests.sla_helpers import H, make_calendar, make_policy, sla_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _role_groups(users):
    """The admin role's group carries the Django-admin permissions (as on a migrated database)."""
    from accounts.roles import role_groups_ensure, user_groups_sync

    role_groups_ensure()
    for user in users.values():
        user_groups_sync(user)


@pytest.fixture
def board(users):
    """A late new ticket, one at risk, one escalated, and resolutions in the last 30 days."""
    make_policy(response=60, resolution=8 * 60)
    now = timezone.now()
    customer, tech = users["customer"], users["technician"]
    late = sla_ticket(requester=customer, created=now - 3 * H, title="Late radiator")
    risky = sla_ticket(requester=customer, created=now - 6 * H, title="Risky boiler", status=Status.IN_PROGRESS,
                       assignee=tech)
    Ticket.objects.filter(pk=risky.pk).update(escalation_level=1, escalated_at=now)
    for n, hours in enumerate([2, 5, 12]):  # two within 8h, one late
        done = sla_ticket(requester=customer, created=now - timedelta(days=n + 1), title=f"Done {n}",
                          status=Status.RESOLVED, assignee=tech)
        Ticket.objects.filter(pk=done.pk).update(resolved_at=done.created_at + hours * H)
    return {"late": late, "risky": risky, "now": now}


def test_period_report_medians_and_compliance(board):
    report = period_report(Ticket.objects.all(), board["now"])
    assert report["resolution"] == {"n": 3, "median": "5h 00m", "p90": "12h 00m"}
    assert report["resolution_compliance"] == 67 and report["resolution_sla_n"] == 3
    assert sum(bar["total"] for bar in report["bars"]) == 3 and len(report["bars"]) == 30


@pytest.mark.parametrize("minutes", [[], [30], [30, 90], [10, 20, 30, 40, 50, 70, 80, 90, 100, 200, 300]])
def test_period_report_response_times_and_compliance(board, minutes, django_assert_num_queries):
    """First responses: counts, compliance (due in 60 minutes) and nearest-rank median and 90th
    percentile come from one ranked query, equal to the Python definition, for any number of rows."""
    import math

    from tickets.sla import humanize_span

    now = board["now"]
    Ticket.objects.update(responded_at=None)
    for n, m in enumerate(minutes):
        t = sla_ticket(requester=board["late"].requester, created=now - timedelta(days=2, minutes=n),
                       title=f"Answered {n}")
        Ticket.objects.filter(pk=t.pk).update(responded_at=t.created_at + timedelta(minutes=m))
    with django_assert_num_queries(3):  # responses ranked with their counts, resolutions by day, ranked
        report = period_report(Ticket.objects.all(), now)
    spans = sorted(timedelta(minutes=m) for m in minutes)

    def rank(pct):
        return humanize_span(spans[max(1, math.ceil(pct / 100 * len(spans))) - 1])

    expected = {"n": len(spans), "median": rank(50), "p90": rank(90)} if spans else {"n": 0, "median": "–", "p90": "–"}
    assert report["response"] == expected
    met = sum(m <= 60 for m in minutes)
    assert report["response_sla_n"] == len(minutes)
    assert report["response_compliance"] == (round(100 * met / len(minutes)) if minutes else None)


@pytest.mark.parametrize("role, sees", [("admin", True), ("engineer", False), ("technician", False),
                                        ("customer", False)])
def test_dashboard_panels_by_role(client_for, users, board, role, sees, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        response = client_for(users[role]).get(reverse("dashboard"))
    page = response.content.decode()
    assert response.status_code == 200
    assert ('id="sla-dashboard"' in page) is sees
    if sees:
        breached = page.split('id="sla-breached"')[1].split("</section>")[0]
        at_risk = page.split('id="sla-at-risk"')[1].split("</section>")[0]
        escalated = page.split('id="sla-escalated"')[1].split("</section>")[0]
        assert "Late radiator" in breached and "Risky boiler" not in breached
        assert "Risky boiler" in at_risk and "Risky boiler" in escalated
        assert "<svg" in page and "67%" in page and "cdn" not in page.lower()


@pytest.mark.parametrize("role, status", [("admin", 200), ("engineer", 302), ("technician", 302),
                                          ("customer", 302)])
def test_policy_admin_per_role(client_for, users, role, status):
    make_policy()
    response = client_for(users[role]).get(reverse("admin:tickets_slapolicy_changelist"))
    assert response.status_code == status


def test_admin_creates_a_policy_with_a_calendar_and_recomputes_open_tickets(client_for, users):
    calendar = make_calendar()
    ticket = sla_ticket(requester=users["customer"], created=timezone.now() - H)
    assert ticket.response_due_at is None
    client = client_for(users["admin"])
    response = client.post(reverse("admin:tickets_slapolicy_add"), {
        "name": "Normal, office hours", "active": "on", "priority": "normal", "category": "", "site": "",
        "response_minutes": "120", "resolution_minutes": "960", "calendar": str(calendar.pk),
        "level2_after_minutes": "240",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = SLAPolicy.objects.get()
    response = client.post(reverse("admin:tickets_slapolicy_changelist"), {
        "action": "recompute_open_tickets", "_selected_action": [policy.pk]})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.sla_policy == policy and ticket.response_due_at is not None


def test_admin_refuses_a_bad_policy_and_keeps_the_input(client_for, users):
    response = client_for(users["admin"]).post(reverse("admin:tickets_slapolicy_add"), {
        "name": "Backwards", "active": "on", "priority": "high", "response_minutes": "600",
        "resolution_minutes": "60", "level2_after_minutes": "240",
    })
    page = response.content.decode()
    assert response.status_code == 200 and "Resolution cannot be due before the response" in page
    assert 'value="Backwards"' in page and not SLAPolicy.objects.exists()


def test_ticket_admin_shows_sla_fields_read_only(client_for, users, board):
    page = client_for(users["admin"]).get(reverse("admin:tickets_ticket_change", args=[board["late"].pk]))
    assert page.status_code == 200
    assert 'name="response_due_at"' not in page.content.decode()


@pytest.mark.parametrize("tz", ["UTC", "America/New_York", "Europe/London"])
def test_period_report_bars_follow_local_days(users, tz, settings):
    """Each resolution is on the bar of its local day (the day boundaries are local midnights, across
    daylight-saving changes); one before the first bar counts in the totals only."""
    from zoneinfo import ZoneInfo

    settings.TIME_ZONE = tz
    zone = ZoneInfo(tz)
    now = timezone.make_aware(timezone.datetime(2026, 11, 20, 12, 0), zone)
    local = [(2026, 11, 19, 23, 30), (2026, 11, 20, 0, 30), (2026, 11, 2, 0, 10), (2026, 11, 1, 23, 50),
             (2026, 10, 21, 23, 0)]  # the last: within 30 days, before the first bar's day
    for n, parts in enumerate(local):
        resolved = timezone.make_aware(timezone.datetime(*parts), zone)
        done = sla_ticket(requester=users["customer"], created=resolved - (n + 1) * H, title=f"Done {n}",
                          status=Status.RESOLVED)
        Ticket.objects.filter(pk=done.pk).update(resolved_at=resolved)
    with timezone.override(zone):
        report = period_report(Ticket.objects.all(), now)
    bars = {bar["day"].isoformat(): bar["total"] for bar in report["bars"] if bar["total"]}
    assert bars == {"2026-11-19": 1, "2026-11-20": 1, "2026-11-02": 1, "2026-11-01": 1}
    assert report["resolution"] == {"n": 5, "median": "3h 00m", "p90": "5h 00m"}
