"""Real Chromium: an admin on a phone sees the SLA dashboard and filters the queue to breached tickets."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tickets.models import Status
from tickets.tests.sla_helpers import H, make_policy, sla_ticket
from tickets.tests.test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_on_a_phone_sees_deadlines_and_filters_breached(phone_page, live_server, users, password,
                                                             screenshot):
    make_policy(response=60, resolution=8 * 60)
    now = timezone.now()
    sla_ticket(requester=users["customer"], created=now - 3 * H, title="Late radiator")
    sla_ticket(requester=users["customer"], created=now - 6 * H, title="Risky boiler",
               status=Status.IN_PROGRESS, assignee=users["technician"])
    sla_ticket(requester=users["customer"], created=now, title="Fresh door")
    pg = phone_page
    login(pg, live_server, users["admin"], password)
    assert pg.locator("#sla-dashboard svg").count() >= 2
    assert "Late radiator" in pg.locator("#sla-breached").inner_text()
    assert "Risky boiler" in pg.locator("#sla-at-risk").inner_text()
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(pg, "sla-dashboard-phone")

    pg.goto(live_server.url + reverse("tickets:queue"))
    pg.select_option("#id_sla", "breached")
    pg.click("form[role=search] button[type=submit]")
    pg.wait_for_url("**sla=breached**")
    rows = pg.locator("table tbody").inner_text()
    assert "Late radiator" in rows and "Fresh door" not in rows and "Risky boiler" not in rows
    assert pg.locator("[data-sla=overdue]").first.is_visible()
    screenshot(pg, "sla-queue-breached-phone")
