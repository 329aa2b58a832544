"""Access-control matrix: every page of helpdesk/pages.py x every role gets the expected answer."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from helpdesk.pages import ANON, EVERYONE, LOGIN, NOT_PAGES, PAGES, ROLES
from helpdesk.tests.pages_data import demo_module  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def _client(role):
    from django.test import Client

    from accounts.demo import demo_user

    c = Client()
    if role != ANON:
        c.force_login(demo_user(role), backend="accounts.backends.EmailBackend")
    return c


@pytest.mark.parametrize("role", EVERYONE)
def test_every_page_answers_each_role_as_expected(demo_module, role):  # noqa: F811
    client = _client(role)
    wrong = []
    for page in PAGES:
        url = page.url(demo_module)
        response = client.get(url)
        expected = page.status_for(role)
        if expected == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
        elif isinstance(expected, str):  # a redirect elsewhere
            ok = response.status_code == 302 and response["Location"] == expected
        else:
            ok = response.status_code == expected
        if not ok:
            wrong.append(f"{page.name} {url}: expected {expected}, got {response.status_code} "
                         f"{response.get('Location', '')}")
        if response.status_code == 200:
            assert response["Content-Type"].startswith("text/html"), page.name
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_every_role_sees_at_least_its_own_pages():
    """The list is not degenerate: each role has pages it may open and pages it may not."""
    for role in ROLES:
        allowed = [p for p in PAGES if p.status_for(role) == 200]
        assert len(allowed) >= 10, role
    assert any(p.status_for("customer") in (403, 404) for p in PAGES)
    assert [p.name for p in PAGES if p.status_for("admin") == 403] == ["tickets:report_create"]  # the assignee's


def _names(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in ("admin", "api") or str(entry.pattern).startswith(("admin/", "api/")):
                continue
            yield from _names(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def test_every_html_route_is_listed():
    """A new URL must be added to helpdesk/pages.py (a page) or to NOT_PAGES (an action, file, fragment)."""
    listed = {p.name for p in PAGES} | NOT_PAGES
    missing = sorted(set(_names(get_resolver())) - listed)
    assert not missing, f"add these to helpdesk/pages.py: {missing}"
