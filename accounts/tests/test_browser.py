"""A real Chromium on a phone-sized screen: sign up, confirm from the e-mail, land logged in, log out, log in."""

import pytest
from django.core import mail

from accounts.models import User
from accounts.tests.conftest import link_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_signup_confirm_login_on_a_phone(live_server, phone_page, screenshot):
    page = phone_page
    mail.outbox.clear()
    page.goto(f"{live_server.url}/accounts/signup/")
    _no_sideways_scroll(page)
    page.get_by_label("E-mail address").fill("pat.phone@example.com")
    page.get_by_label("First name").fill("Pat")
    page.get_by_label("Last name").fill("O'Phone")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Sign up").click()
    # The error is shown, the e-mail and names are kept, the password is not.
    assert page.get_by_text("at least 8 characters").first.is_visible()
    assert page.get_by_label("E-mail address").input_value() == "pat.phone@example.com"
    assert page.get_by_label("Last name").input_value() == "O'Phone"
    assert page.get_by_label("Password").input_value() == ""
    page.get_by_label("Password").fill("Sturdy-Lantern-42")
    page.get_by_role("button", name="Sign up").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    screenshot(page, "accounts-signup-done-phone")

    assert len(mail.outbox) == 1
    link = link_in(mail.outbox[0], "/accounts/confirm/")
    page.goto(live_server.url + link)
    assert User.objects.get(email="pat.phone@example.com").email_confirmed_at is None  # GET alone does nothing
    page.get_by_role("button", name="Confirm and log in").click()
    page.get_by_role("heading", name="Welcome, Pat").wait_for()
    assert page.get_by_text("your e-mail address is confirmed").is_visible()
    _no_sideways_scroll(page)
    screenshot(page, "accounts-confirmed-dashboard-phone")

    # Log out through the collapsed phone menu.
    page.get_by_role("button", name="Toggle navigation").click()
    page.locator("#main-nav.show").wait_for()  # the menu has finished opening: the button stays put
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    page.get_by_text("You have logged out.").wait_for()

    page.get_by_label("E-mail address").fill("PAT.PHONE@example.com")
    page.get_by_label("Password").fill("Sturdy-Lantern-42")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Welcome, Pat").wait_for()


def test_accounts_pages_have_no_accessibility_violations(live_server, phone_page, user_factory, settings):
    from axe_playwright_python.sync_playwright import Axe

    from accounts.models import Organization, Role

    settings.FIXDESK_DEMO = True
    admin = user_factory(Role.ADMIN)
    org = Organization.objects.create(name="Harbour Ltd")
    axe, page = Axe(), phone_page

    def check(path):
        page.goto(live_server.url + path)
        result = axe.run(page)
        assert result.violations_count == 0, f"{path}: {result.generate_report()}"

    for path in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/accounts/confirm/resend/"]:
        check(path)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail address").fill(admin.email)
    page.get_by_label("Password").fill("Corr3ct-Horse-Battery")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=f"Welcome, {admin.first_name}").wait_for()
    for path in ["/accounts/people/", f"/accounts/people/{admin.pk}/", "/accounts/people/invite/",
                 "/accounts/profile/", "/accounts/profile/email/", "/accounts/password/change/",
                 "/accounts/organisations/", f"/accounts/organisations/{org.pk}/"]:
        check(path)
