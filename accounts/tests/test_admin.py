"""The Django admin works for admins through their role group, and goes through the services."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Organization, Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def group_admin(user_factory):
    """An admin who is not a superuser: everything they may do comes from the Admins group."""
    other = user_factory(Role.CUSTOMER)
    boss = user_factory(Role.ADMIN, is_superuser=True)
    services.user_change_role(actor=boss, user=other, role=Role.ADMIN)
    other.refresh_from_db()
    assert not other.is_superuser and other.is_staff
    return other


@pytest.mark.parametrize("url_name", ["admin:accounts_user_changelist", "admin:accounts_user_add",
                                      "admin:accounts_organization_changelist", "admin:accounts_organization_add",
                                      "admin:auth_group_changelist"])
def test_admin_pages_open_for_a_group_admin(url_name, group_admin, client_for):
    response = client_for(group_admin).get(reverse(url_name))
    if url_name.startswith("admin:auth_"):
        assert response.status_code == 403  # groups are managed by roles, not by hand
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", ["engineer", "technician", "customer"])
def test_no_django_admin_for_other_roles(role, users, client_for):
    response = client_for(users[role]).get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_adding_a_user_in_the_admin_invites_them(group_admin, client_for, outbox,
                                                 django_capture_on_commit_callbacks):
    org = Organization.objects.create(name="Harbour Ltd")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(group_admin).post(reverse("admin:accounts_user_add"), {
            "email": "New.Eng@Example.com", "first_name": "Nia", "last_name": "Eng", "role": Role.ENGINEER,
            "phone": "+447911123456", "organization": org.pk,
        })
    assert response.status_code == 302
    user = User.objects.get(email="new.eng@example.com")
    assert user.role == Role.ENGINEER and not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == ["Engineers"]
    assert outbox[0].to == ["new.eng@example.com"] and "/accounts/invite/" in outbox[0].body


def test_adding_field_staff_without_phone_in_the_admin_shows_an_error(group_admin, client_for):
    response = client_for(group_admin).post(reverse("admin:accounts_user_add"), {
        "email": "x@example.com", "first_name": "X", "last_name": "Y", "role": Role.TECHNICIAN})
    assert response.status_code == 200 and "need a phone number" in response.content.decode()


def _change_data(user, **overrides):
    data = {
        "email": user.email, "first_name": user.first_name, "last_name": user.last_name,
        "phone": user.phone.as_e164 if user.phone else "", "organization": "", "time_zone": "",
        "role": user.role, "is_active": "on" if user.is_active else "", "email_confirmed_at_0": "",
        "email_confirmed_at_1": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != "" or k in ("phone", "organization", "time_zone")}


def test_role_change_in_the_admin_keeps_the_group_in_step(group_admin, customer, client_for):
    response = client_for(group_admin).post(reverse("admin:accounts_user_change", args=[customer.pk]),
                                            _change_data(customer, role=Role.ADMIN))
    assert response.status_code == 302, response.content.decode()[:3000]
    customer.refresh_from_db()
    assert customer.role == Role.ADMIN and customer.is_staff
    assert list(customer.groups.values_list("name", flat=True)) == ["Admins"]


def test_own_role_is_read_only_in_the_admin(group_admin, client_for):
    client = client_for(group_admin)
    url = reverse("admin:accounts_user_change", args=[group_admin.pk])
    assert 'name="role"' not in client.get(url).content.decode()
    client.post(url, _change_data(group_admin, role=Role.CUSTOMER, is_active=""))
    group_admin.refresh_from_db()
    assert group_admin.role == Role.ADMIN and group_admin.is_active


def test_deactivate_action_in_the_admin_spares_oneself(group_admin, customer, client_for):
    client_for(group_admin).post(reverse("admin:accounts_user_changelist"), {
        "action": "deactivate_users", "_selected_action": [customer.pk, group_admin.pk]})
    customer.refresh_from_db()
    group_admin.refresh_from_db()
    assert not customer.is_active and group_admin.is_active
