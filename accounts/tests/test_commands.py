import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role

pytestmark = pytest.mark.django_db


def test_sync_role_groups_dry_run_then_fix(user_factory):
    stray = user_factory(Role.ENGINEER)  # factories skip the services: no group yet
    stray.is_staff = True
    stray.save()
    out = io.StringIO()
    call_command("sync_role_groups", "--dry-run", stdout=out)
    assert "would fix " + stray.email in out.getvalue()
    stray.refresh_from_db()
    assert not stray.groups.exists() and stray.is_staff
    call_command("sync_role_groups", stdout=io.StringIO())
    stray.refresh_from_db()
    assert list(stray.groups.values_list("name", flat=True)) == ["Engineers"] and not stray.is_staff
    out = io.StringIO()
    call_command("sync_role_groups", "--dry-run", stdout=out)
    assert "0 of" in out.getvalue()


def test_seed_demo_puts_demo_users_in_their_groups():
    call_command("seed_demo", stdout=io.StringIO())
    from accounts.demo import demo_user

    for role in Role:
        assert list(demo_user(role).groups.values_list("name", flat=True)) == [
            {"admin": "Admins", "engineer": "Engineers", "technician": "Technicians",
             "customer": "Customers"}[role]]


@pytest.mark.parametrize("role", ["admin", "engineer", "technician", "customer"])
def test_dashboard_people_panel_only_for_admins(role, users, client_for, user_factory):
    user_factory(Role.CUSTOMER, confirmed=False)
    html = client_for(users[role]).get(reverse("dashboard")).content.decode()
    assert ("have not confirmed yet" in html or "has not confirmed yet" in html) is (role == "admin")


def test_createsuperuser_makes_a_confirmed_admin_who_can_log_in(monkeypatch, client):
    from accounts.models import User
    from accounts.tests.conftest import log_in

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Sturdy-Lantern-42")
    call_command("createsuperuser", interactive=False, email="Root@Example.com", first_name="Ro",
                 last_name="Ot", stdout=io.StringIO())
    user = User.objects.get(email="root@example.com")
    assert user.role == Role.ADMIN and user.is_superuser and user.email_confirmed_at
    assert log_in(client, "root@example.com", "Sturdy-Lantern-42").status_code == 302
    assert client.get(reverse("accounts:people")).status_code == 200
