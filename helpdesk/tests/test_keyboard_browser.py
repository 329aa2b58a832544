"""Keyboard only: the main journeys are done with Tab, Enter, Space, arrows and Escape, never the mouse. Every Tab
stop shows a focus ring and follows the page order (helpers.tab_to); the skip link comes first and lands in
<main>; the drop-down menu opens with the keyboard and gives the focus back to its button on Escape; htmx swaps
(the bell's refresh) keep the focus where it was."""

import pytest

from helpdesk.tests.browser_helpers import context_for, focused, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _is(selector: str) -> str:
    """JS predicate: the focused element matches the CSS selector."""
    return f"document.activeElement && document.activeElement.matches({selector!r})"


def _press(pg, key, *, navigates=False):
    if navigates:
        with pg.expect_navigation():
            pg.keyboard.press(key)
    else:
        pg.keyboard.press(key)


def test_sign_in_and_report_a_problem_by_keyboard(browser, live_server):
    from accounts.demo import DEMO_PASSWORD, demo_user
    from helpdesk.tests.pages_data import seed_everything
    from knowledge.models import Article
    from tickets.models import Ticket

    seed_everything()
    customer = demo_user("customer")
    article = Article.objects.filter(status="published", visibility="customers").order_by("pk").first()
    context = context_for(browser, live_server)
    pg = context.new_page()

    # Sign in: the skip link first, then into the form.
    pg.goto(live_server.url + "/accounts/login/")
    pg.keyboard.press("Tab")
    assert pg.evaluate(_is(".skip-link")) and pg.locator(".skip-link").is_visible()
    pg.keyboard.press("Enter")
    assert pg.evaluate("location.hash") == "#main"
    pg.keyboard.press("Tab")  # the skip link worked: the next stop is in <main>, past the navigation
    assert pg.evaluate("!!document.activeElement.closest('main')"), focused(pg)
    if not pg.evaluate(_is("input[name=username]")):
        tab_to(pg, _is("input[name=username]"))
    pg.keyboard.type(customer.email)
    tab_to(pg, _is("input[name=password]"))
    pg.keyboard.type(DEMO_PASSWORD)
    _press(pg, "Enter", navigates=True)
    assert pg.url.split("#")[0] == live_server.url + "/", pg.url  # the dashboard

    # To "Report a problem" through the navigation (from the top: the redirect kept the skip link's #main).
    pg.goto(live_server.url + "/")
    tab_to(pg, _is("header a[href='/tickets/new/']"))
    _press(pg, "Enter", navigates=True)
    tab_to(pg, _is("input[name=title]"))
    pg.keyboard.type(article.title)
    tab_to(pg, _is("textarea[name=description]"))
    pg.keyboard.type("Typed without a mouse.")
    # The knowledge suggestions arrive in a live region, next in the tab order.
    pg.locator("#kb-suggestions[aria-live] a").first.wait_for()
    tab_to(pg, "!!document.activeElement.closest('#kb-suggestions')")
    # The htmx pickers: choosing a site with the arrow keys fills the locations.
    tab_to(pg, _is("select[name=site]"))
    pg.keyboard.press("ArrowDown")
    # Wait for the chosen site's locations (each path starts with the site's name), not merely for
    # a list: a small estate's form already lists every location before the picker answers.
    pg.wait_for_function("""() => {
        const site = document.querySelector('#id_site');
        const name = site.options[site.selectedIndex].text;
        const options = [...document.querySelectorAll('#id_location option')].filter(o => o.value);
        return site.value && options.length > 0 && options.every(o => o.text.startsWith(name));
    }""")
    tab_to(pg, _is("select[name=location]"))
    pg.keyboard.press("ArrowDown")
    tab_to(pg, _is("button[type=submit]"))
    _press(pg, "Enter", navigates=True)
    ticket = Ticket.objects.filter(requester=customer).order_by("-pk").first()
    assert ticket.title == article.title and ticket.site_id and ticket.location_id
    assert pg.url.endswith(ticket.get_absolute_url())

    # The notifications bell: focus survives its htmx refresh, Enter opens the list, all read by keyboard.
    from notifications.models import Notification

    Notification.objects.create(recipient=customer, ticket=ticket, event="created", title="Keyboard note", body="")
    pg.goto(live_server.url + "/")
    pg.locator("#nav-bell [data-unread]").wait_for()  # the first load swapped in
    tab_to(pg, _is("#nav-bell-link"))
    pg.evaluate("window.__oldBell = document.querySelector('#nav-bell-link')")
    pg.evaluate("htmx.ajax('GET', '/notifications/bell/', {target: '#nav-bell', swap: 'outerHTML'})")
    pg.wait_for_function("document.querySelector('#nav-bell-link') !== window.__oldBell")  # swapped
    assert pg.evaluate(_is("#nav-bell-link")), f"focus lost by the bell's refresh: {focused(pg)}"
    _press(pg, "Enter", navigates=True)
    assert "/notifications/" in pg.url
    tab_to(pg, "document.activeElement.type === 'submit' && !!document.activeElement.closest("
               "'form[action$=\"/read-all/\"]')")
    _press(pg, "Enter", navigates=True)
    assert not Notification.objects.filter(recipient=customer, read_at__isnull=True).exists()
    context.close()


def test_office_and_field_work_by_keyboard(browser, live_server):
    from accounts.demo import demo_user
    from helpdesk.tests.pages_data import seed_everything
    from tickets import services
    from tickets.models import Ticket

    objects = seed_everything()
    admin, customer = demo_user("admin"), demo_user("customer")
    for n in range(26):  # more than a page of new tickets
        services.ticket_create(actor=customer, title=f"Keyboard queue {n}", description="Paging.")
    context = context_for(browser, live_server, admin)
    pg = context.new_page()

    # The facilities drop-down: Enter opens it, arrows move in it, Escape closes it and gives the focus back.
    pg.goto(live_server.url + "/")
    tab_to(pg, _is("header .dropdown-toggle"))
    pg.keyboard.press("Enter")
    pg.locator("header .dropdown-menu.show").wait_for()
    pg.keyboard.press("ArrowDown")
    assert pg.evaluate(_is(".dropdown-menu.show .dropdown-item")), focused(pg)
    pg.keyboard.press("Escape")
    assert not pg.locator("header .dropdown-menu.show").count()
    assert pg.evaluate(_is("header .dropdown-toggle")), f"focus not returned to the menu button: {focused(pg)}"

    # The queue: filter by status, select a row, go to the next page.
    pg.goto(live_server.url + "/tickets/queue/")
    tab_to(pg, _is("select[name=status]"))
    pg.keyboard.type("New")  # type-ahead picks the option
    assert pg.input_value("select[name=status]") == "new"
    tab_to(pg, _is("form[role=search] button[type=submit]"))
    _press(pg, "Enter", navigates=True)
    assert "status=new" in pg.url
    tab_to(pg, _is("input[name=tickets]"))
    pg.keyboard.press("Space")
    assert pg.evaluate("document.activeElement.checked")
    tab_to(pg, _is("a[rel=next]"))
    _press(pg, "Enter", navigates=True)
    assert "page=2" in pg.url and "status=new" in pg.url

    # Assign a new ticket with a van: open the panel, pick with the arrows, send.
    ticket = Ticket.objects.filter(status="new", title="Keyboard queue 0").get()
    pg.goto(live_server.url + ticket.get_absolute_url())
    tab_to(pg, _is("[data-bs-target='#action-assign']"))
    pg.keyboard.press("Enter")
    pg.locator("#action-assign.show").wait_for()
    tab_to(pg, _is("#action-assign select[name=assignee]"))
    pg.keyboard.press("ArrowDown")
    tab_to(pg, _is("#action-assign select[name=vehicle]"))
    pg.keyboard.press("ArrowDown")
    tab_to(pg, _is("#action-assign button[type=submit]"))
    _press(pg, "Enter", navigates=True)
    ticket.refresh_from_db()
    assert ticket.status == "assigned" and ticket.assignee_id and ticket.vehicle_id, (ticket.status, focused(pg))

    # People: search, open a person, change their details.
    pg.goto(live_server.url + "/accounts/people/")
    tab_to(pg, _is("input[name=q]"))
    pg.keyboard.type(customer.last_name)
    _press(pg, "Enter", navigates=True)
    tab_to(pg, _is(f"main a[href='/accounts/people/{customer.pk}/']"))
    _press(pg, "Enter", navigates=True)
    tab_to(pg, _is("input[name=first_name]"))
    pg.keyboard.press("ControlOrMeta+a")
    pg.keyboard.type("Keyboarded")
    tab_to(pg, "document.activeElement.type === 'submit' && !!document.activeElement.closest("
               f"'form[action=\"/accounts/people/{customer.pk}/\"]')")
    _press(pg, "Enter", navigates=True)
    customer.refresh_from_db()
    assert customer.first_name == "Keyboarded"
    context.close()

    # The technician's service report: times prefilled, labour typed, codes picked with the arrows.
    ticket = Ticket.objects.get(pk=objects["ticket"])
    context = context_for(browser, live_server, demo_user("technician"))
    pg = context.new_page()
    pg.goto(live_server.url + f"{ticket.get_absolute_url()}reports/new/")
    tab_to(pg, _is("input[name=labour_minutes]"))
    pg.keyboard.press("ControlOrMeta+a")
    pg.keyboard.type("45")
    for name in ("symptom", "cause", "action"):
        tab_to(pg, _is(f"select[name={name}]"))
        pg.keyboard.press("ArrowDown")
    tab_to(pg, _is("button[name=submit]"))
    _press(pg, "Enter", navigates=True)
    ticket.refresh_from_db()
    assert ticket.status == "resolved", focused(pg)
    assert ticket.reports.filter(status="submitted", labour_minutes=45).exists()
    context.close()
