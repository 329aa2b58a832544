"""Errors are announced: bad input on the main forms brings back the page with an error summary (role=alert,
focused, each error a link that puts the focus in its field), every bad field aria-invalid and described by
its error text, the input kept (never the password), and axe-core finds nothing in that state."""

import pytest

from helpdesk.tests.browser_helpers import axe_violations, context_for, errors_announced, with_axe
from helpdesk.tests.pages_data import seed_everything

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(pg, form_selector, button="button[type=submit]"):
    with pg.expect_navigation():
        pg.locator(f"{form_selector} {button}").first.click()


def _check(pg, where, expect_invalid):
    found = errors_announced(pg)
    assert not found["problems"], f"{where}: {found['problems']}"
    assert set(expect_invalid) <= set(found["invalid"]), f"{where}: bad fields {found['invalid']}"
    assert not axe_violations(pg, where)
    # The summary's first link puts the keyboard in the field it names.
    link = pg.locator("[data-error-summary] a").first
    field_id = link.get_attribute("href")[1:]
    link.focus()
    pg.keyboard.press("Enter")
    assert pg.evaluate("document.activeElement.id") == field_id, f"{where}: the summary link did not focus #{field_id}"


def test_bad_input_on_the_main_forms_is_announced(browser, live_server):
    from accounts.demo import demo_user

    objects = seed_everything()
    ticket_url = f"/tickets/{objects['ticket']}/"

    # Anonymous: sign-up and login.
    context = with_axe(context_for(browser, live_server))
    pg = context.new_page()
    pg.goto(live_server.url + "/accounts/signup/")
    pg.fill("input[name=email]", "not-an-address")
    pg.fill("input[name=first_name]", "Ada")
    pg.fill("input[name=password]", "123")
    _submit(pg, "form:has(input[name=password])")
    _check(pg, "sign-up", ["email", "password"])
    assert pg.input_value("input[name=first_name]") == "Ada"
    assert pg.input_value("input[name=password]") == ""  # never sent back

    pg.goto(live_server.url + "/accounts/login/")
    _submit(pg, "form:has(input[name=password])")
    _check(pg, "login", ["username", "password"])
    context.close()

    # Customer: report a problem, comment, profile.
    context = with_axe(context_for(browser, live_server, demo_user("customer")))
    pg = context.new_page()
    pg.goto(live_server.url + "/tickets/new/")
    pg.fill("input[name=title]", "")
    pg.fill("input[name=contact_phone]", "not a phone")
    _submit(pg, "form:has(input[name=title])")
    _check(pg, "ticket create", ["title", "description", "contact_phone"])
    assert pg.input_value("input[name=contact_phone]") == "not a phone"

    pg.goto(live_server.url + ticket_url)
    _submit(pg, "#comment form[method=post]")
    _check(pg, "comment", ["body"])

    pg.goto(live_server.url + "/accounts/profile/")
    pg.fill("input[name=first_name]", "")
    _submit(pg, "form:has(input[name=first_name])")
    _check(pg, "profile", ["first_name"])
    context.close()

    # Technician: hold without the required comment, an empty service report.
    context = with_axe(context_for(browser, live_server, demo_user("technician")))
    pg = context.new_page()
    pg.goto(live_server.url + ticket_url)
    pg.locator("button[data-bs-target='#action-hold']").click()
    pg.locator("#action-hold.show").wait_for()
    _submit(pg, "#action-hold")
    assert pg.locator("#action-hold.show [data-error-summary]").is_visible()
    _check(pg, "hold without a comment", ["comment"])

    pg.goto(live_server.url + f"{ticket_url}reports/new/")
    pg.fill("input[name=travel_minutes]", "-5")
    _submit(pg, "#report-form", "button[name=submit]")
    _check(pg, "service report", ["travel_minutes"])
    assert pg.input_value("input[name=travel_minutes]") == "-5"
    context.close()

    # Admin: invite somebody with a bad address.
    context = with_axe(context_for(browser, live_server, demo_user("admin")))
    pg = context.new_page()
    pg.goto(live_server.url + "/accounts/people/invite/")
    pg.fill("input[name=email]", "nobody-at-example")
    _submit(pg, "form:has(input[name=email])")
    _check(pg, "invite", ["email"])
    assert pg.input_value("input[name=email]") == "nobody-at-example"
    context.close()
