"""axe-core on every page of helpdesk/pages.py for every role that may open it, on a desktop and a phone, and on
pages in the states a list of URLs does not reach: empty lists, each ticket status, opened panels and menus."""

import os

import pytest

from helpdesk.pages import ANON, EVERYONE, PAGES
from helpdesk.tests.browser_helpers import axe_violations, context_for, with_axe
from helpdesk.tests.pages_data import seed_everything

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICE_ROLES = {"admin", "engineer"}


def _plan():
    """(role, page, size) to check.

    By default every page is checked once for every role that may open it: the most privileged role (who sees
    the most controls) and the office roles on a desktop, the least privileged one and the field and public
    roles on a phone; a page only one role may open is checked at both sizes, so every page is seen at both.
    FIXDESK_A11Y_FULL=1 checks every page x role at both sizes (about twice as long).
    """
    full = os.environ.get("FIXDESK_A11Y_FULL")
    plan = set()
    for page in PAGES:
        roles = page.roles_allowed()
        if full:
            plan |= {(role, page.name, size) for role in roles for size in ("desktop", "phone")}
            continue
        plan |= {(roles[0], page.name, "desktop"), (roles[-1], page.name, "phone")}
        plan |= {(role, page.name, "desktop" if role in OFFICE_ROLES else "phone") for role in roles[1:-1]}
    return plan


def test_the_default_plan_sees_every_page_for_every_role_and_at_both_sizes(monkeypatch):
    monkeypatch.delenv("FIXDESK_A11Y_FULL", raising=False)
    plan = _plan()
    for page in PAGES:
        assert {r for r, name, _ in plan if name == page.name} == set(page.roles_allowed()), page.name
        assert {s for _, name, s in plan if name == page.name} == {"desktop", "phone"}, page.name


def test_every_page_for_every_role_has_no_axe_violations(browser, live_server):
    from accounts.demo import demo_user

    objects = seed_everything()
    plan = _plan()
    assert {name for _, name, _ in plan} == {p.name for p in PAGES}
    failures = []
    for role in EVERYONE:
        user = None if role == ANON else demo_user(role)
        for size in ("desktop", "phone"):
            items = [p for p in PAGES if (role, p.name, size) in plan]
            if not items:
                continue
            context = with_axe(context_for(browser, live_server, user, phone=size == "phone"))
            pg = context.new_page()
            for page in items:
                url = page.url(objects)
                pg.goto(live_server.url + url)
                failures += axe_violations(pg, f"{role}/{size} {url}")
            context.close()
    assert not failures, f"{len(failures)} axe violations:\n" + "\n".join(failures)


def _ticket_in_each_status():
    """One of the demo customer's tickets per status, an assigned one made from the approved one."""
    from accounts.demo import demo_user
    from tickets import services
    from tickets.models import Ticket

    customer, technician = demo_user("customer"), demo_user("technician")
    mine = Ticket.objects.filter(requester=customer).order_by("pk")
    approved = mine.filter(status="approved").first()
    services.ticket_transition(actor=demo_user("admin"), ticket=approved, action="assign", assignee=technician)
    out = {}
    for status in ("new", "assigned", "in_progress", "on_hold", "resolved", "closed", "rejected", "cancelled"):
        tickets = mine.filter(status=status)
        if status == "resolved":  # the one whose report waits for the customer's signature
            tickets = tickets.filter(reports__status="submitted")
        out[status] = tickets.first()
        assert out[status] is not None, status
    return out


def _open_every_panel(pg):
    """Click every collapse toggle in <main> that is closed (action forms, refuse, filters)."""
    toggles = pg.locator("main [data-bs-toggle=collapse][aria-expanded=false]")
    for i in range(toggles.count()):
        toggle = toggles.nth(i)
        if toggle.is_visible():
            target = toggle.get_attribute("data-bs-target")
            toggle.click()
            pg.locator(f"{target}.show").wait_for()


def test_pages_in_their_states_have_no_axe_violations(browser, live_server):
    """Tickets in every status (panels opened), empty lists, the phone menu and the facilities menu opened."""
    from accounts.demo import demo_user
    from accounts.tests.factories import make_user

    seed_everything()
    tickets = _ticket_in_each_status()
    newcomer, new_tech = make_user("customer", email="newcomer@example.com"), make_user("technician")
    failures = []

    def check(user, size, urls, *, panels=False, then=None):
        context = with_axe(context_for(browser, live_server, user, phone=size == "phone"))
        pg = context.new_page()
        for url in urls:
            pg.goto(live_server.url + url)
            where = f"{user.role}/{size} {url}"
            if panels:  # one run with every panel open: the closed page is what the page list checks
                _open_every_panel(pg)
                where += " (panels open)"
            failures.extend(axe_violations(pg, where))
            if then:
                then(pg)
                failures.extend(axe_violations(pg, where + " (menu open)"))
        context.close()

    ticket_urls = [t.get_absolute_url() for t in tickets.values()]
    check(demo_user("customer"), "phone", ticket_urls, panels=True)
    check(demo_user("admin"), "desktop", ticket_urls, panels=True)
    technician = demo_user("technician")
    check(technician, "phone", [t.get_absolute_url() for t in tickets.values() if t.assignee_id == technician.pk],
          panels=True)
    # Empty lists: somebody new, and searches that find nothing.
    check(newcomer, "phone", ["/", "/tickets/", "/notifications/", "/notifications/messages/"])
    check(new_tech, "phone", ["/", "/tickets/jobs/"])
    check(demo_user("admin"), "desktop", ["/tickets/queue/?q=zzzznothing", "/kb/?q=zzzznothing",
                                          "/facilities/equipment/?q=zzzznothing", "/accounts/people/?q=zzzznothing",
                                          "/tickets/?q=zzzznothing"])
    # Menus opened: the phone's collapsed navigation, the desktop's facilities drop-down.

    def open_phone_menu(pg):
        pg.locator(".navbar-toggler").click()
        pg.locator("#main-nav.show").wait_for()

    def open_facilities_menu(pg):
        pg.locator("header .dropdown-toggle").first.click()
        pg.locator("header .dropdown-menu.show").wait_for()

    check(technician, "phone", ["/tickets/jobs/"], then=open_phone_menu)
    check(demo_user("admin"), "desktop", ["/"], then=open_facilities_menu)
    assert not failures, f"{len(failures)} axe violations:\n" + "\n".join(failures)
