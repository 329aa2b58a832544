"""In a real Chromium, the Content-Security-Policy blocks nothing Fixdesk itself needs (no
"Refused to ..." violation on the main pages, htmx and Bootstrap work), and it does block a
script an attacker planted."""

import pytest
from django.urls import reverse

from tickets import services as ticket_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(pg):
    violations = []
    pg.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    pg.on("pageerror", lambda exc: violations.append(str(exc)))
    return violations


def test_pages_work_under_the_csp_and_injected_script_is_blocked(page, live_server, users, password):
    pg = page
    violations = _watch(pg)
    ticket = ticket_services.ticket_create(actor=users["customer"], title="Lamp broken",
                                           description="<script>window.pwned = 1</script>")
    pg.goto(live_server.url + reverse("accounts:login"))
    pg.fill("input[name=username]", users["admin"].email)
    pg.fill("input[name=password]", password)
    pg.click("main button[type=submit]")
    pg.wait_for_url(live_server.url + "/")
    for name, args in (("dashboard", []), ("tickets:queue", []), ("tickets:detail", [ticket.pk]),
                       ("facilities:index", []), ("knowledge:list", []), ("notifications:list", []),
                       ("api-docs", [])):
        pg.goto(live_server.url + reverse(name, args=args))
        pg.wait_for_load_state("networkidle")
    assert not violations, violations
    pg.goto(live_server.url + reverse("tickets:detail", args=[ticket.pk]))
    assert pg.evaluate("typeof window.htmx") == "object"
    assert pg.evaluate("typeof window.bootstrap") == "object"
    assert pg.evaluate("window.pwned === undefined")
    # Even if escaping failed, an inline script would be refused by the policy.
    pg.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.pwned = 2';
                            document.body.appendChild(s); }""")
    assert pg.evaluate("window.pwned === undefined")
