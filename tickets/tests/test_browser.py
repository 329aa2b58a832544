"""Real Chromium journeys: a customer on a phone reports a case with a photo; staff work it."""

import pytest
from django.urls import reverse

from tickets.models import Status, Ticket
from tickets.tests.conftest import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(pg, live_server, user, password):
    pg.goto(live_server.url + reverse("accounts:login"))
    pg.fill("input[name=username]", user.email)
    pg.fill("input[name=password]", password)
    pg.click("main button[type=submit]")
    pg.wait_for_url(live_server.url + "/")


def logout(pg):
    pg.context.clear_cookies()


def test_customer_reports_on_phone_and_follows_each_status(phone_page, live_server, users, password, tmp_path,
                                                         screenshot):
    pg = phone_page
    photo = tmp_path / "leak.jpg"
    photo.write_bytes(image_bytes("JPEG", size=(800, 600)))

    login(pg, live_server, users["customer"], password)
    pg.goto(live_server.url + reverse("tickets:create"))
    pg.fill("#id_title", "Water under the sink")
    pg.fill("#id_description", "The pipe under the kitchen sink is leaking.")
    pg.set_input_files("#id_photos", str(photo))
    # Fits a phone: no horizontal scrolling.
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(pg, "tickets-create-form")
    pg.click("button:has-text('Send report')")
    pg.wait_for_selector("#ticket-status")
    ticket = Ticket.objects.get(title="Water under the sink")
    assert "New" in pg.inner_text("#ticket-status")
    thumb = pg.locator("#photos img").first
    thumb.wait_for()
    # The thumbnail loads lazily: on a phone it may be below the fold until scrolled to.
    thumb.scroll_into_view_if_needed()
    pg.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    screenshot(pg, "tickets-customer-reported")

    def customer_sees(label):
        pg.goto(live_server.url + ticket.get_absolute_url())
        assert label in pg.inner_text("#ticket-status")

    # The admin approves and assigns on a desktop page.
    admin = pg.context.browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(admin, live_server, users["admin"], password)
    admin.goto(live_server.url + ticket.get_absolute_url())
    admin.click("button[data-bs-target='#action-approve']")
    admin.wait_for_selector("#action-approve.collapse.show")  # opened, not mid-animation
    admin.fill("#action-approve textarea[name=comment]", "Approved, plumber on the way.")
    with admin.expect_navigation():
        admin.click("#action-approve button[type=submit]")
    admin.wait_for_selector(".alert-success")
    customer_sees("Approved")
    admin.click("button[data-bs-target='#action-assign']")
    admin.wait_for_selector("#action-assign.collapse.show")  # opened, not mid-animation
    admin.select_option("#action-assign select[name=assignee]", str(users["technician"].pk))
    with admin.expect_navigation():  # the approve page's success alert is still showing until then
        admin.click("#action-assign button[type=submit]")
    admin.wait_for_selector(".alert-success")
    customer_sees("Opened")
    admin.context.close()
    logout(pg)

    # The technician starts the job from "My jobs" on the phone and resolves it.
    login(pg, live_server, users["technician"], password)
    pg.goto(live_server.url + reverse("tickets:jobs"))
    start = pg.locator("button:has-text('Start work')")
    assert start.bounding_box()["height"] >= 44  # a big touch target
    screenshot(pg, "tickets-technician-jobs")
    pg.click("button:has-text('Start work')")
    pg.wait_for_selector(".alert-success")
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    pg.goto(live_server.url + ticket.get_absolute_url())
    pg.click("button[data-bs-target='#action-resolve']")
    pg.fill("#action-resolve textarea[name=comment]", "Replaced the washer; no more leak.")
    pg.click("#action-resolve button[type=submit]")
    pg.wait_for_selector(".alert-success")
    logout(pg)

    login(pg, live_server, users["customer"], password)
    customer_sees("Resolved")
    assert "Replaced the washer" in pg.inner_text("#timeline")
    screenshot(pg, "tickets-customer-resolved")


def test_show_earlier_activity_with_the_keyboard(page, live_server, users, password, settings):
    from tickets.tests.conftest import make_ticket
    from tickets.tests.test_timeline import _history

    settings.FIXDESK_TIMELINE_PAGE_SIZE = 6
    ticket = make_ticket(requester=users["customer"])
    _history(ticket, users, 8)  # 17 entries: three pages of six
    login(page, live_server, users["customer"], password)
    page.goto(live_server.url + ticket.get_absolute_url())
    url = page.url
    assert "Note-0001" not in page.inner_text("#timeline")
    for _ in range(2):
        page.focus("[data-timeline-earlier]")
        page.keyboard.press("Enter")
        page.wait_for_selector("#timeline li[tabindex='-1']:focus")  # focus on the first entry loaded
    text = page.inner_text("#timeline")
    assert "Note-0001" in text and "reported the ticket" in text and "SECRET" not in text
    assert page.locator("[data-timeline-earlier]").count() == 0 and page.url == url  # in place, all loaded
    assert "earlier entries shown" in page.inner_text("#timeline-status")


def test_timeline_pages_have_no_axe_violations(browser, live_server, users, settings):
    from helpdesk.tests.browser_helpers import axe_violations, context_for, with_axe
    from tickets.tests.conftest import make_ticket
    from tickets.tests.test_timeline import _history

    settings.FIXDESK_TIMELINE_PAGE_SIZE = 4
    ticket = make_ticket(requester=users["customer"])
    _history(ticket, users, 5)
    failures = []
    for role, phone in (("admin", False), ("customer", True)):
        pg = with_axe(context_for(browser, live_server, users[role], phone=phone)).new_page()
        pg.goto(live_server.url + ticket.get_absolute_url())
        pg.click("[data-timeline-earlier]")
        pg.wait_for_selector("#timeline li[tabindex='-1']:focus")
        failures += axe_violations(pg, f"{role} ticket page, earlier entries loaded")
        pg.goto(live_server.url + reverse("tickets:timeline", args=[ticket.pk]))
        pg.click("[data-timeline-earlier]")  # htmx on the timeline page as well
        pg.wait_for_selector("#timeline li[tabindex='-1']:focus")
        failures += axe_violations(pg, f"{role} timeline page")
        pg.context.close()
    assert not failures, "\n".join(failures)
