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
