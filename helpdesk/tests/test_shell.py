import pytest
from django.urls import reverse

from conftest import ROLES

pytestmark = pytest.mark.django_db


def test_dashboard_requires_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_greets_each_role(role, users, client_for):
    user = users[role]
    response = client_for(user).get(reverse("dashboard"))
    assert response.status_code == 200
    assert f"Welcome, {user.first_name}" in response.content.decode()


def test_unknown_page_is_the_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_static_assets_come_from_packages_not_a_cdn(client, admin, client_for):
    html = client_for(admin).get(reverse("dashboard")).content.decode()
    assert "/static/bootstrap/css/bootstrap.min.css" in html
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "cdn" not in html.lower()
    from django.contrib.staticfiles import finders

    assert finders.find("bootstrap/css/bootstrap.min.css")
    assert finders.find("django_htmx/htmx-2.min.js")


def test_seed_demo_is_idempotent(db):
    from django.core.management import call_command

    from accounts.models import User

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    count = User.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert User.objects.count() == count
    assert set(User.objects.values_list("role", flat=True)) == set(ROLES)


# The menu fragment is cached per process by role and language (templates/base.html) --------

def _csrf_of(response):
    import re

    return re.search(r'action="/accounts/logout/".*?name="csrfmiddlewaretoken" value="([^"]+)"',
                     response.content.decode(), re.S).group(1)


def _menu_of(response):
    html = response.content.decode()
    return html[html.index("<nav"):html.index("</nav>")].replace(_csrf_of(response), "TOKEN")


@pytest.mark.parametrize("role", ROLES)
def test_cached_menu_is_each_roles_own_and_the_logout_form_each_sessions(role, users, client_for):
    from django.core.cache import caches
    from django.test import Client

    from conftest import make_user

    local = caches["local"]
    local.clear()
    own = _menu_of(client_for(users[role]).get(reverse("accounts:profile")))  # rendered, not cached
    assert 'href="/tickets/new/"' in own or role == "technician"
    local.clear()
    # Every other role's menu is rendered (and cached) first: none of them is what this role gets.
    menus = {other: _menu_of(client_for(users[other]).get(reverse("accounts:profile")))
             for other in ROLES if other != role}
    assert len(local._cache) == len(menus) and own not in menus.values()
    # A second person of this role is served the cached menu, with a log-out form carrying the
    # CSRF token of their own session, which the log-out accepts.
    first = client_for(users[role]).get(reverse("accounts:profile"))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user(users[role].role))
    second = strict.get(reverse("accounts:profile"))
    assert len(local._cache) == len(ROLES)
    assert _menu_of(first) == _menu_of(second) == own
    token = _csrf_of(second)
    assert token != _csrf_of(first)
    assert strict.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert strict.get(reverse("dashboard")).status_code == 302  # signed out
