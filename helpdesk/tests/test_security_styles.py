"""CSP without 'unsafe-inline' for styles: the header says ``style-src 'self'`` on every page of our
own, and no page any role can open carries a ``style=`` attribute or a ``<style>`` element (which the
browser would refuse). The one scoped exception is third-party HTML under /api/ (API docs)."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from helpdesk.pages import EVERYONE, PAGES
from helpdesk.tests.pages_data import demo_module  # noqa: F401 - fixture
from helpdesk.tests.routes import all_routes
from helpdesk.tests.test_access_matrix import EXPECT, ROLE_ORDER, _kw
from helpdesk.tests.test_pages_matrix import _client
from helpdesk.tests.test_security_headers import _csp


class InlineStyles(HTMLParser):
    """Real elements and attributes (escaped text that merely mentions style= is not a finding)."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')


def inline_styles(html: str) -> list[str]:
    parser = InlineStyles()
    parser.feed(html)
    parser.close()
    return parser.found


def _exempt(path: str) -> bool:
    return path.startswith(tuple(settings.FIXDESK_CSP_INLINE_STYLE_PREFIXES))


def test_the_checker_finds_attributes_and_elements_not_text():
    assert inline_styles('<p style="color:red">x</p><style>p{}</style>') == ['<p style="color:red">', "<style>"]
    assert inline_styles("<p>&lt;p style=&quot;x&quot;&gt; &lt;style&gt;</p><svg><rect fill='red'/></svg>") == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["dashboard", "tickets:list", "notifications:list", "accounts:profile",
                                  "admin:index"])
def test_style_src_is_self_only(client_for, admin, name):
    response = client_for(admin).get(reverse(name))
    assert response.status_code == 200
    assert _csp(response)["style-src"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["api-docs", "api-redoc"])
def test_only_the_third_party_api_docs_allow_inline_styles(client_for, customer, name):
    response = client_for(customer).get(reverse(name))
    assert response.status_code == 200 and _exempt(response.request["PATH_INFO"])
    csp = _csp(response)
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["script-src"] == ["'self'"]  # scripts stay strict there too


@pytest.mark.parametrize("role", EVERYONE)
def test_no_page_of_the_page_list_has_inline_styles(demo_module, role):  # noqa: F811
    """Every page of helpdesk/pages.py, on the demo data, as anonymous and each role."""
    client = _client(role)
    offenders, seen = {}, 0
    for page in PAGES:
        response = client.get(page.url(demo_module), follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        seen += 1
        assert "unsafe-inline" not in response["Content-Security-Policy"], page.name
        found = inline_styles(response.content.decode())
        if found:
            offenders[page.name] = found[:3]
    assert seen >= 5
    assert not offenders, offenders


@pytest.mark.django_db
def test_no_route_of_the_resolver_has_inline_styles(world):
    """Every HTML route the access matrix opens as each role, on the world with photos, reports,
    notifications and messages (objects the page list's demo data may lack)."""
    offenders = {}
    for role in ROLE_ORDER[1:]:
        client = Client()
        client.force_login(world.users[role], backend="accounts.backends.EmailBackend")
        for route in all_routes():
            if EXPECT[route.name][ROLE_ORDER.index(role)] != 200:
                continue
            url = reverse(route.name, kwargs=_kw(route, world, "mine"))
            if _exempt(url):
                continue
            response = client.get(url)
            if "text/html" not in response.get("Content-Type", ""):
                continue
            found = inline_styles(response.content.decode())
            if found:
                offenders[(route.name, role)] = found[:3]
    assert not offenders, offenders


@pytest.mark.django_db
def test_admin_pages_have_no_inline_styles(client_for, admin, world):
    """The Django admin runs under the same strict policy (its templates use classes and CSSOM)."""
    admin.is_superuser = True  # every model's pages, whatever the role groups hold
    admin.save()
    client = client_for(admin)
    urls = [reverse("admin:index"), reverse("admin:tickets_ticket_changelist"),
            reverse("admin:tickets_ticket_change", args=[world.mine.pk]),
            reverse("admin:accounts_user_change", args=[world.customer.pk]),
            reverse("admin:notifications_delivery_changelist")]
    offenders = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found = inline_styles(response.content.decode())
        if found:
            offenders[url] = found[:3]
    assert not offenders, offenders
