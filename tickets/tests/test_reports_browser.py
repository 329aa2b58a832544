"""Real Chromium: the technician writes the service report on a phone, the customer signs it, the admin closes."""

import pytest
from django.urls import reverse

from tickets.models import ReportSignOff, ReportStatus, ServiceReport, Status, Ticket
from tickets.tests.conftest import image_bytes
from tickets.tests.report_helpers import codes, ensure_codes, make_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(pg, live_server, user, password):
    pg.goto(live_server.url + reverse("accounts:login"))
    pg.fill("input[name=username]", user.email)
    pg.fill("input[name=password]", password)
    pg.click("main button[type=submit]")
    pg.wait_for_url(live_server.url + "/")


def fits_phone(pg) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_technician_reports_on_phone_customer_signs_admin_closes(phone_page, browser, live_server, users, password,
                                                                tmp_path, screenshot):
    ensure_codes()  # transactional tests flush the codes the data migration added
    job = make_job(requester=users["customer"], assignee=users["technician"])
    c = codes()
    photo = tmp_path / "pump.jpg"
    photo.write_bytes(image_bytes("JPEG", size=(800, 600)))
    pg = phone_page

    login(pg, live_server, users["technician"], password)
    pg.goto(live_server.url + job.get_absolute_url())
    pg.click("#write-report")
    pg.wait_for_selector("#report-form")
    assert pg.input_value("#id_travel_distance_km") != ""  # prefilled from the route estimate
    assert fits_phone(pg)
    pg.select_option("#id_symptom", str(c["symptom"].pk))
    pg.fill("#id_symptom_text", "Grinding noise at start-up")
    pg.select_option("#id_cause", str(c["cause"].pk))
    pg.select_option("#id_action", str(c["action"].pk))
    pg.fill("#id_action_text", "Replaced the pump bearing, ran it for 30 minutes.")
    pg.fill("#id_parts-0-part_number", "BRG-6204")
    pg.fill("#id_parts-0-description", "Ball bearing")
    pg.fill("#id_parts-0-quantity", "2")
    pg.set_input_files("#id_photos", str(photo))
    submit = pg.locator("button[name=submit]")
    assert submit.bounding_box()["height"] >= 44
    screenshot(pg, "reports-technician-form-phone")
    submit.click()
    pg.wait_for_selector("#report-status")
    assert "Submitted" in pg.inner_text("#report-status")
    assert fits_phone(pg)
    screenshot(pg, "reports-technician-submitted")
    report = ServiceReport.objects.get(ticket=job)
    assert report.status == ReportStatus.SUBMITTED and report.parts.count() == 1 and report.photos.count() == 1
    assert Ticket.objects.get(pk=job.pk).status == Status.RESOLVED
    pg.context.clear_cookies()

    # The customer signs on the same phone: the wrong password first.
    login(pg, live_server, users["customer"], password)
    pg.goto(live_server.url + job.get_absolute_url())
    pg.click("#sign-prompt a")
    pg.wait_for_selector("#sign-form")
    pg.fill("#id_signer_name", "Cara Customer")
    pg.fill("#id_password", "wrong-password")
    pg.check("#id_agree")
    pg.click("#sign-form button[type=submit]")
    pg.wait_for_selector("text=That password is not right")
    assert not ReportSignOff.objects.exists()
    assert pg.input_value("#id_password") == ""  # never echoed back
    pg.fill("#id_password", password)
    pg.check("#id_agree")
    pg.click("#sign-form button[type=submit]")
    pg.wait_for_selector(".alert-success")
    assert "Signed" in pg.inner_text("#report-status")
    assert "Cara Customer" in pg.inner_text("#signature")
    assert fits_phone(pg)
    screenshot(pg, "reports-customer-signed")
    signoff = ReportSignOff.objects.get()
    assert signoff.signer_name == "Cara Customer" and signoff.user_agent and signoff.ip_address

    # The admin closes ("processes") the job on a desktop and opens the printable page.
    admin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(admin, live_server, users["admin"], password)
    admin.goto(live_server.url + job.get_absolute_url())
    admin.click("button[data-bs-target='#action-close']")
    admin.wait_for_selector("#action-close.collapse.show")  # opened, not mid-animation
    with admin.expect_navigation():
        admin.click("#action-close button[type=submit]")
    admin.wait_for_selector(".alert-success")
    assert Ticket.objects.get(pk=job.pk).status == Status.CLOSED
    admin.goto(live_server.url + reverse("tickets:report_print", args=[job.pk, report.pk]))
    assert signoff.content_digest in admin.inner_text(".signature")
    screenshot(admin, "reports-printable")
    admin.context.close()
