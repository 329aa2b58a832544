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


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_opening_a_notification_and_a_conversation_marks_them_read(browser, live_server, client_for, user_factory,
                                                                    javascript):
    """Opening is a POST (a GET changes nothing), so it must still work from a click, with or without JS."""
    from notifications.models import Message, Notification

    customer, tech, admin = user_factory(Role.CUSTOMER), user_factory(Role.TECHNICIAN), user_factory(Role.ADMIN)
    ticket = helpers.make_ticket(customer, assignee=tech, status=Status.ASSIGNED)
    helpers.comment(ticket, author=admin, body="We are on it.")
    note = Notification.objects.get(recipient=customer)
    message = Message.objects.create(sender=tech, recipient=customer, body="Arriving at ten.")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _log_in(page, live_server, client_for, customer)
        page.goto(f"{live_server.url}/notifications/")
        page.locator(f"#notification-{note.pk}").get_by_role("button", name=note.title).click()
        page.wait_for_url(f"**{ticket.get_absolute_url()}")
        note.refresh_from_db()
        assert note.is_read

        # From the inbox: the row is a form button that marks the thread read and shows it.
        page.goto(f"{live_server.url}/notifications/messages/")
        page.get_by_role("button", name="Arriving at ten.").click()
        expect(page.get_by_text("Arriving at ten.")).to_be_visible()
        expect(page.locator("#conversation-read")).to_have_count(0)
        message.refresh_from_db()
        assert message.read_at is not None

        # Reaching the thread another way (a link, the address bar): htmx marks it read on load;
        # without JavaScript the "Mark as read" button does.
        Message.objects.filter(pk=message.pk).update(read_at=None)
        page.goto(f"{live_server.url}/notifications/messages/with/{tech.pk}/")
        if javascript:
            expect(page.locator("#conversation-read")).to_have_count(0)
        else:
            page.get_by_role("button", name="Mark as read").click()
            page.wait_for_load_state()
        message.refresh_from_db()
        assert message.read_at is not None
    finally:
        context.close()
