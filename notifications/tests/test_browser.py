"""In a real Chromium: the bell's count changes when another person acts on the ticket."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from notifications.tests import helpers
from tickets.models import Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, client_for, user):
    client = client_for(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_bell_count_changes_when_someone_else_acts(request, viewport, live_server, client_for, user_factory,
                                                   settings, screenshot):
    settings.NOTIFICATIONS_POLL_SECONDS = 1
    page = request.getfixturevalue(viewport)
    customer, tech, admin = user_factory(Role.CUSTOMER), user_factory(Role.TECHNICIAN), user_factory(Role.ADMIN)
    ticket = helpers.make_ticket(customer, assignee=tech, status=Status.ASSIGNED)
    _log_in(page, live_server, client_for, customer)
    page.goto(f"{live_server.url}/notifications/")
    bell = page.locator("#nav-bell a")
    expect(bell).to_have_attribute("data-unread", "0", timeout=15_000)  # htmx loaded the count
    expect(page.get_by_text("No notifications yet.")).to_be_visible()

    helpers.transition(ticket, "start", actor=tech, to_status=Status.IN_PROGRESS)  # another user acts
    count = page.get_by_test_id("bell-count" if viewport == "page" else "bell-count-phone")
    expect(count).to_have_text("1", timeout=15_000)
    expect(count).to_be_visible()  # on a phone too, without opening the menu
    helpers.comment(ticket, author=admin, body="We are on it.")
    expect(count).to_have_text("2", timeout=15_000)
    screenshot(page, f"notifications-bell-{viewport}")

    page.goto(f"{live_server.url}/notifications/")
    expect(page.get_by_text("We are on it.")).to_be_visible()
    page.get_by_role("button", name="Mark all 2 as read").click()
    expect(page.locator("#nav-bell a")).to_have_attribute("data-unread", "0", timeout=15_000)
