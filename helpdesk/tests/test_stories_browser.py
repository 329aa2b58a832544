"""Every story of the product walked in a real browser, the way a user would, with a screenshot per step.

Screenshots go to screenshots/stories-NN-<step>-{desktop,phone}.png (git-ignored; CI leaves them in place).
Users switch through the demo login buttons, as someone trying Fixdesk would.
"""

import itertools
import re

import pytest
from django.core import mail

from helpdesk.tests.browser_helpers import DESKTOP, PHONE, no_sideways_scroll
from helpdesk.tests.pages_data import seed_everything
from tickets.tests.conftest import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Walk:
    """One desktop page; each step is shot at desktop and phone sizes (and must fit the phone)."""

    def __init__(self, page, live_server, screenshot):
        self.pg, self.url, self._shot, self._n = page, live_server.url, screenshot, itertools.count(1)

    def go(self, path):
        self.pg.goto(self.url + path)

    def step(self, name):
        n = next(self._n)
        self._shot(self.pg, f"stories-{n:02d}-{name}-desktop")
        self.pg.set_viewport_size(PHONE)
        assert no_sideways_scroll(self.pg), f"{name}: scrolls sideways on a phone"
        self._shot(self.pg, f"stories-{n:02d}-{name}-phone")
        self.pg.set_viewport_size(DESKTOP)

    def demo_login(self, role):
        self.pg.context.clear_cookies()
        self.go("/accounts/login/")
        self.pg.locator(f"button[data-demo-role={role}]").click()
        self.pg.get_by_text("You are trying Fixdesk as the demo").wait_for()

    def act(self, ticket, action, comment="", **selects):
        """Open an action's form on the ticket page, fill it and send it; wait for the confirmation."""
        self.go(ticket.get_absolute_url())
        opener = self.pg.locator(f"button[data-bs-target='#action-{action}']")
        if opener.count():
            opener.click()
            form = self.pg.locator(f"#action-{action}")
            self.pg.locator(f"#action-{action}.show").wait_for()  # opened, not still sliding open
            for name, value in selects.items():
                select = form.locator(f"select[name={name}]")
                if value is None:  # the first real choice offered
                    value = select.locator("option:not([value=''])").first.get_attribute("value")
                select.select_option(str(value))
            if comment:
                form.locator("textarea[name=comment]").fill(comment)
            form.locator("button[type=submit]").click()
        else:  # one-tap actions (start, resume)
            self.pg.locator(f"button[name=do][value={action}]").first.click()
        self.pg.locator(".alert-success").first.wait_for()
        ticket.refresh_from_db()


def test_every_story_end_to_end(browser, live_server, screenshot, tmp_path, settings, capsys):
    from accounts.demo import demo_user
    from accounts.models import User
    from notifications import tasks
    from notifications.models import Delivery
    from tickets.models import ReportStatus, Status, Ticket
    from tickets.tests.report_helpers import codes

    seed_everything()
    settings.SMS_BACKEND = "notifications.sms.backends.console.SmsBackend"
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(15_000)
    w = Walk(context.new_page(), live_server, screenshot)
    pg = w.pg

    # Sign up and confirm from the e-mail.
    mail.outbox.clear()
    w.go("/accounts/signup/")
    pg.get_by_label("E-mail address").fill("robin.new@example.com")
    pg.get_by_label("First name").fill("Robin")
    pg.get_by_label("Last name").fill("Newcomer")
    pg.get_by_label("Password").fill("Sturdy-Lantern-42")
    w.step("signup-form")
    pg.get_by_role("button", name="Sign up").click()
    pg.get_by_role("heading", name="Check your inbox").wait_for()
    link = re.search(r"https?://[^/\s]+(/accounts/confirm/\S+)", mail.outbox[-1].body).group(1)
    w.go(link)
    pg.get_by_role("button", name="Confirm and log in").click()
    pg.get_by_role("heading", name="Welcome, Robin").wait_for()
    assert User.objects.get(email="robin.new@example.com").email_confirmed_at is not None
    w.step("signed-up-dashboard")

    # Log in as the demo customer and report a fault with a photo.
    w.demo_login("customer")
    w.step("demo-customer-dashboard")
    photo = tmp_path / "lamp.jpg"
    photo.write_bytes(image_bytes("JPEG", size=(800, 600)))
    w.go("/tickets/new/")
    pg.fill("#id_title", "Lamp post outside entrance is dark")
    pg.fill("#id_description", "The lamp by the front steps has been out since Monday.")
    pg.set_input_files("#id_photos", str(photo))
    w.step("report-with-photo")
    pg.get_by_role("button", name="Send report").click()
    pg.locator("#ticket-status").wait_for()
    ticket = Ticket.objects.get(title="Lamp post outside entrance is dark")
    assert ticket.photos.count() == 1
    w.step("reported")

    # The admin rejects one request and approves the other, each with a comment.
    w.demo_login("admin")
    purple = Ticket.objects.get(title="Leaking radiator in meeting room")
    w.act(purple, "reject", "A duplicate of the plumber's visit booked for Friday.")
    assert purple.status == Status.REJECTED
    w.step("rejected-with-comment")
    w.act(ticket, "approve", "Approved: electrician this week.")
    assert ticket.status == Status.APPROVED

    # ... and assigns it to the technician with a van: the SMS appears in the console backend's output.
    technician = demo_user("technician")
    w.act(ticket, "assign", "Take the long ladder.", assignee=technician.pk, vehicle=None)  # a free van
    assert ticket.assignee == technician and ticket.vehicle is not None
    w.step("assigned-with-vehicle")
    capsys.readouterr()
    for delivery in Delivery.objects.filter(channel="sms", recipient=technician, status="pending"):
        tasks.send_delivery(delivery.pk)
    out = capsys.readouterr().out
    assert any(line.startswith(f"SMS to {technician.phone.as_e164}") and ticket.reference in line
               for line in out.splitlines()), out

    # The technician starts, holds, resumes and reports (which resolves the job).
    w.demo_login("technician")
    w.go("/tickets/jobs/")
    w.step("technician-jobs")
    w.act(ticket, "start")
    assert ticket.status == Status.IN_PROGRESS
    w.act(ticket, "hold", "Waiting for a replacement lamp.")
    assert ticket.status == Status.ON_HOLD
    w.step("on-hold")
    w.act(ticket, "resume")
    assert ticket.status == Status.IN_PROGRESS
    pg.click("#write-report")
    pg.wait_for_selector("#report-form")
    c = codes()
    pg.select_option("#id_symptom", str(c["symptom"].pk))
    pg.select_option("#id_cause", str(c["cause"].pk))
    pg.select_option("#id_action", str(c["action"].pk))
    pg.fill("#id_action_text", "Replaced the lamp and the photocell.")
    w.step("service-report-form")
    pg.locator("button[name=submit]").click()
    pg.wait_for_selector("#report-status")
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    report = ticket.reports.get()
    assert report.status == ReportStatus.SUBMITTED

    # The customer signs the report off, reads the notifications and searches the knowledge base.
    w.demo_login("customer")
    w.go(ticket.get_absolute_url())
    pg.click("#sign-prompt a")
    pg.wait_for_selector("#sign-form")
    pg.fill("#id_signer_name", "Colin Customer")
    pg.fill("#id_password", "fixdesk-demo")
    pg.check("#id_agree")
    w.step("sign-off")
    pg.click("#sign-form button[type=submit]")
    pg.wait_for_selector(".alert-success")
    assert "Signed" in pg.inner_text("#report-status")
    w.go("/notifications/")
    assert pg.locator("main").get_by_text(ticket.reference).count() >= 1
    w.step("notifications")
    pg.get_by_role("button", name=re.compile(r"Mark .* as read")).click()
    pg.locator(".alert-success").first.wait_for()
    w.go("/kb/")
    pg.get_by_role("searchbox").fill("radiator")
    pg.get_by_role("searchbox").press("Enter")
    pg.wait_for_url("**/kb/?*q=radiator*")
    pg.get_by_role("link", name=re.compile("Radiator leaking")).wait_for()
    w.step("knowledge-search")

    # The admin closes the job; the customer reopens it with a reason.
    w.demo_login("admin")
    w.act(ticket, "close")
    assert ticket.status == Status.CLOSED
    w.demo_login("customer")
    w.act(ticket, "reopen", "The lamp went out again last night.")
    assert ticket.status not in (Status.CLOSED, Status.REJECTED)
    w.step("reopened")

    # The engineer answers a ticket with a macro.
    w.demo_login("engineer")
    target = Ticket.objects.filter(status=Status.IN_PROGRESS, assignee=demo_user("engineer")).first()
    w.go(target.get_absolute_url())
    pg.select_option("#macro-pick", label="Acknowledge")
    pg.get_by_role("button", name="Use").click()
    pg.wait_for_selector("text=Sending applies the macro")
    assert target.reference in pg.locator("textarea[name=body]").input_value()
    w.step("macro")
    pg.locator("#comment button[type=submit]").last.click()
    pg.locator(".alert-success").first.wait_for()
    assert target.comments.filter(body__contains=target.reference).exists()
    context.close()
