"""axe-core on every page of helpdesk/pages.py for every role that may open it, on a desktop and a phone."""

import os

import pytest

from helpdesk.pages import ANON, EVERYONE, PAGES
from helpdesk.tests.browser_helpers import context_for
from helpdesk.tests.pages_data import seed_everything

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _plan():
    """(role, page, size) to check.

    By default each page is checked on a desktop as the most privileged role that may open it (who sees the
    most controls) and on a phone as the least privileged one (for most pages the customer); a page only
    one role may open is checked at both sizes. FIXDESK_A11Y_FULL=1 checks every page x role at both sizes
    (about four times longer).
    """
    full = os.environ.get("FIXDESK_A11Y_FULL")
    plan = set()
    for page in PAGES:
        roles = page.roles_allowed()
        if full:
            plan |= {(role, page.name, size) for role in roles for size in ("desktop", "phone")}
        else:
            plan |= {(roles[0], page.name, "desktop"), (roles[-1], page.name, "phone")}
    return plan


def test_every_page_for_every_role_has_no_axe_violations(browser, live_server):
    from axe_playwright_python.sync_playwright import Axe

    from accounts.demo import demo_user

    objects = seed_everything()
    axe = Axe()
    plan = _plan()
    assert {name for _, name, _ in plan} == {p.name for p in PAGES}
    failures = []
    for role in EVERYONE:
        user = None if role == ANON else demo_user(role)
        for size in ("desktop", "phone"):
            items = [p for p in PAGES if (role, p.name, size) in plan]
            if not items:
                continue
            context = context_for(browser, live_server, user, phone=size == "phone")
            context.add_init_script(axe.axe_script)  # parsed with each page, not sent over for each run
            pg = context.new_page()
            for page in items:
                url = page.url(objects)
                pg.goto(live_server.url + url)
                result = pg.evaluate("axe.run(document, {resultTypes: ['violations']})")
                for v in result["violations"]:
                    targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
                    failures.append(f"{role}/{size} {url} {v['id']} ({v['impact']}): {v['help']} -> {targets}")
            context.close()
    assert not failures, f"{len(failures)} axe violations:\n" + "\n".join(failures)
