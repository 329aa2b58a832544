"""Field staff on a phone (no sideways scrolling, 44 px touch targets) and keyboard-only use."""

import pytest

from helpdesk.tests.browser_helpers import context_for, no_sideways_scroll, small_touch_targets, tab_to
from helpdesk.tests.pages_data import seed_everything

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_a_phone(pg, where):
    assert no_sideways_scroll(pg), f"{where}: scrolls sideways"
    small = small_touch_targets(pg)
    assert not small, f"{where}: touch targets under 44px: {small}"


def test_technician_works_a_job_on_a_phone_and_by_keyboard(browser, live_server, screenshot):
    from accounts.demo import demo_user
    from tickets import services
    from tickets.models import Category, Ticket

    objects = seed_everything()
    ticket = Ticket.objects.get(pk=objects["ticket"])
    context = context_for(browser, live_server, demo_user("technician"), phone=True)
    pg = context.new_page()

    pg.goto(live_server.url + "/tickets/jobs/")
    _fits_a_phone(pg, "job list")
    pg.get_by_role("link", name=ticket.title).first.click()
    pg.wait_for_url(f"**{ticket.get_absolute_url()}")
    _fits_a_phone(pg, "ticket page")
    screenshot(pg, "field-ticket-phone")

    # Put on hold, then resume: each action's form opens in place and fits the screen.
    pg.locator("button[data-bs-target='#action-hold']").click()
    pg.locator("#action-hold textarea[name=comment]").fill("Waiting for a spare tube.")
    _fits_a_phone(pg, "hold form")
    pg.locator("#action-hold button[type=submit]").click()
    pg.locator(".alert-success").wait_for()
    ticket.refresh_from_db()
    assert ticket.status == "on_hold"
    pg.get_by_role("button", name="Resume work").click()  # no comment needed: one tap
    pg.locator(".alert-success").wait_for()
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"
    _fits_a_phone(pg, "ticket page after resume")

    # The resolve form, offered where the category needs no service report (opened, not sent).
    Ticket.objects.filter(pk=ticket.pk).update(category=Category.objects.filter(needs_service_report=False).first())
    pg.reload()
    pg.locator("button[data-bs-target='#action-resolve']").click()
    pg.locator("#action-resolve.show").wait_for()
    _fits_a_phone(pg, "resolve form")

    # Start a newly assigned job: one tap, on the job list's ticket page.
    job = Ticket.objects.filter(requester=demo_user("customer"), status="approved").order_by("pk").first()
    services.ticket_transition(actor=demo_user("admin"), ticket=job, action="assign", assignee=demo_user("technician"))
    pg.goto(live_server.url + job.get_absolute_url())
    _fits_a_phone(pg, "assigned job")
    pg.get_by_role("button", name="Start work").click()
    pg.locator(".alert-success").wait_for()
    job.refresh_from_db()
    assert job.status == "in_progress"
    _fits_a_phone(pg, "started job")

    # The service-report form.
    pg.goto(live_server.url + f"/tickets/{ticket.pk}/reports/new/")
    _fits_a_phone(pg, "service-report form")
    screenshot(pg, "field-report-form-phone")
    context.close()

    # Keyboard only, on a desktop: skip link first, then the actions, each stop with a visible focus ring.
    context = context_for(browser, live_server, demo_user("technician"))
    pg = context.new_page()
    pg.goto(live_server.url + ticket.get_absolute_url())
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.classList.contains('skip-link')")
    assert pg.locator(".skip-link").is_visible()
    pg.keyboard.press("Enter")  # skip the navigation
    tab_to(pg, "document.activeElement.dataset.bsTarget === '#action-hold'")
    pg.keyboard.press("Enter")
    pg.locator("#action-hold.show").wait_for()
    tab_to(pg, "document.activeElement.name === 'comment' && !!document.activeElement.closest('#action-hold')")
    pg.keyboard.type("Parts on order, by keyboard.")
    tab_to(pg, "document.activeElement.type === 'submit' && !!document.activeElement.closest('#action-hold')")
    pg.keyboard.press("Enter")
    pg.locator(".alert-success").wait_for()
    ticket.refresh_from_db()
    assert ticket.status == "on_hold"
    assert "by keyboard" in str(ticket.events.last().changes) or \
        ticket.comments.filter(body__icontains="by keyboard").exists()
    context.close()


def test_customer_reports_and_reads_notifications_on_a_phone(browser, live_server, screenshot):
    """The customer's side at 390x844: the report form (with its pickers and suggestions filled) and the
    notification and message pages."""
    from accounts.demo import demo_user
    from knowledge.models import Article

    objects = seed_everything()
    context = context_for(browser, live_server, demo_user("customer"), phone=True)
    pg = context.new_page()
    pg.goto(live_server.url + "/tickets/new/")
    _fits_a_phone(pg, "report form")
    article = Article.objects.filter(status="published", visibility="customers").order_by("pk").first()
    pg.fill("input[name=title]", article.title)
    pg.locator("#kb-suggestions a").first.wait_for()
    pg.locator("select[name=site]").select_option(index=1)
    pg.wait_for_function("document.querySelectorAll('#id_location option').length > 1")
    _fits_a_phone(pg, "report form with suggestions")
    screenshot(pg, "field-report-problem-phone")
    for url in ("/notifications/", "/notifications/settings/", "/notifications/messages/",
                "/notifications/messages/new/", f"/notifications/messages/with/{objects['admin_user']}/"):
        pg.goto(live_server.url + url)
        _fits_a_phone(pg, url)
    context.close()
