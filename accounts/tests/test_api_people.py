"""People management and sign-up in the API: the same services, permissions and e-mails as the pages."""

import pytest
from django.core import mail
from django.core.cache import cache

from accounts.models import Organization, Role, User

pytestmark = pytest.mark.django_db

ROLES = ["admin", "engineer", "technician", "customer"]


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/api/v1/users/", "/api/v1/users/{me}/", "/api/v1/organizations/"])
def test_people_management_is_for_admins(api, users, role, path):
    response = api(users[role]).get(path.format(me=users[role].pk))
    assert response.status_code == (200 if role == "admin" else 403)


def test_anonymous_callers_get_401(api, users):
    assert api().get("/api/v1/users/").status_code == 401
    assert api().post("/api/v1/users/", {"email": "x@example.com"}).status_code == 401


def test_list_search_and_filters(api, users):
    admin = api(users["admin"])
    field = admin.get("/api/v1/users/?who=field").json()["results"]
    assert {u["role"] for u in field} == {"engineer", "technician"}
    found = admin.get(f"/api/v1/users/?q={users['customer'].last_name}").json()["results"]
    assert users["customer"].pk in [u["id"] for u in found]
    assert admin.get("/api/v1/users/?who=wizards").status_code == 400


def test_invite_sends_the_invitation_and_sets_no_password(api, users, django_capture_on_commit_callbacks):
    org = Organization.objects.create(name="Acme")
    with django_capture_on_commit_callbacks(execute=True):
        response = api(users["admin"]).post("/api/v1/users/", {
            "email": "New.Person@Example.com", "first_name": "New", "last_name": "Person", "role": "customer",
            "organization": org.pk, "password": "chosen-by-admin", "is_active": False})
    assert response.status_code == 201, response.content
    person = User.objects.get(email="new.person@example.com")
    assert not person.has_usable_password() and person.is_active and person.organization == org
    assert [m.to for m in mail.outbox] == [["new.person@example.com"]]
    assert response.json()["email_confirmed"] is False


def test_invite_checks_like_the_web(api, users):
    admin = api(users["admin"])
    dup = admin.post("/api/v1/users/", {"email": users["customer"].email, "first_name": "A", "last_name": "B"})
    assert dup.status_code == 400 and "email" in dup.json()["errors"]
    phoneless = admin.post("/api/v1/users/", {"email": "t@example.com", "first_name": "A", "last_name": "B",
                                              "role": "technician"})
    assert phoneless.status_code == 400 and "phone" in phoneless.json()["errors"]
    assert api(users["engineer"]).post("/api/v1/users/", {"email": "e@example.com", "first_name": "A",
                                                          "last_name": "B"}).status_code == 403


def test_patch_changes_details_but_never_role_or_active_flag(api, users):
    target = users["customer"]
    response = api(users["admin"]).patch(f"/api/v1/users/{target.pk}/", {
        "first_name": "Carla", "role": "admin", "is_active": False, "email": "evil@example.com"})
    assert response.status_code == 200
    target.refresh_from_db()
    assert (target.first_name, target.role, target.is_active) == ("Carla", Role.CUSTOMER, True)
    assert target.email != "evil@example.com"
    bad = api(users["admin"]).patch(f"/api/v1/users/{target.pk}/", {"time_zone": "Mars/Olympus"})
    assert bad.status_code == 400 and "time_zone" in bad.json()["errors"]


def test_role_changes_through_its_own_endpoint(api, users):
    admin = api(users["admin"])
    response = admin.post(f"/api/v1/users/{users['engineer'].pk}/role/", {"role": "technician"})
    assert response.status_code == 200 and response.json()["role"] == "technician"
    assert admin.post(f"/api/v1/users/{users['admin'].pk}/role/", {"role": "customer"}).status_code == 403
    assert admin.post(f"/api/v1/users/{users['customer'].pk}/role/", {"role": "king"}).status_code == 400
    assert api(users["engineer"]).post(f"/api/v1/users/{users['customer'].pk}/role/",
                                       {"role": "admin"}).status_code == 403
    users["customer"].refresh_from_db()
    assert users["customer"].role == Role.CUSTOMER


def test_deactivate_and_reactivate(api, users):
    admin = api(users["admin"])
    target = users["technician"]
    assert admin.post(f"/api/v1/users/{target.pk}/deactivate/").json()["is_active"] is False
    assert admin.post(f"/api/v1/users/{target.pk}/deactivate/").status_code == 409
    assert admin.post(f"/api/v1/users/{users['admin'].pk}/deactivate/").status_code == 403
    assert admin.post(f"/api/v1/users/{target.pk}/reactivate/").json()["is_active"] is True
    assert admin.post(f"/api/v1/users/{target.pk}/reactivate/").status_code == 409


def test_resend_invitation_only_to_unconfirmed(api, users, user_factory):
    admin = api(users["admin"])
    pending = user_factory(confirmed=False)
    assert admin.post(f"/api/v1/users/{pending.pk}/resend-invitation/").status_code == 202
    assert admin.post(f"/api/v1/users/{users['customer'].pk}/resend-invitation/").status_code == 409


def test_unknown_person_is_404(api, users):
    assert api(users["admin"]).get("/api/v1/users/999999/").status_code == 404
    assert api(users["admin"]).get("/api/v1/users/abc/").status_code == 404


def test_organisations(api, users):
    admin = api(users["admin"])
    created = admin.post("/api/v1/organizations/", {"name": "Acme  Ltd", "members_see_all_tickets": True})
    assert created.status_code == 201 and created.json()["name"] == "Acme Ltd"
    dup = admin.post("/api/v1/organizations/", {"name": "acme ltd"})
    assert dup.status_code == 400 and "name" in dup.json()["errors"]
    changed = admin.patch(f"/api/v1/organizations/{created.json()['id']}/", {"members_see_all_tickets": False})
    assert changed.status_code == 200 and changed.json()["members_see_all_tickets"] is False
    assert api(users["customer"]).post("/api/v1/organizations/", {"name": "Mine"}).status_code == 403


def test_signup_uses_the_web_rules_and_reveals_no_address(api, customer, django_capture_on_commit_callbacks):
    client = api()
    weak = client.post("/api/v1/auth/signup/", {"email": "n@example.com", "first_name": "Nora", "last_name": "N",
                                                "password": "12345678"})
    assert weak.status_code == 400 and "password" in weak.json()["errors"]
    with django_capture_on_commit_callbacks(execute=True):
        new = client.post("/api/v1/auth/signup/", {"email": "nora@example.com", "first_name": "Nora",
                                                   "last_name": "North", "password": "a-long-Passphrase-42"})
    assert new.status_code == 202
    user = User.objects.get(email="nora@example.com")
    assert user.role == Role.CUSTOMER and user.email_confirmed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        existing = client.post("/api/v1/auth/signup/", {"email": customer.email, "first_name": "X",
                                                        "last_name": "Y", "password": "a-long-Passphrase-42"})
    assert existing.status_code == 202 and existing.json() == new.json()
    assert len(mail.outbox) == 2  # a confirmation, and an "you already have an account" note
