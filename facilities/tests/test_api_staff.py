"""Maintenance staff through the API: staff read (the staff page's list), admins add (an invitation
e-mail, through accounts.user_invite) and change them through the staff services; other roles 403."""

import pytest
from django.core import mail

from accounts.models import Role
from accounts.tests.factories import make_user
from facilities.models import Site, StaffProfile, Trade

pytestmark = pytest.mark.django_db
ROLES = ["admin", "engineer", "technician", "customer"]
READERS = {"admin", "engineer", "technician"}


@pytest.fixture
def crew(users):
    depot = Site.objects.create(name="Depot")
    plumbing = Trade.objects.create(name="Plumbing")
    profile = StaffProfile.objects.create(user=users["technician"], home_site=depot)
    profile.trades.set([plumbing])
    return {"depot": depot, "plumbing": plumbing}


NEW = {"email": "Tara.Lee@Example.com", "first_name": "Tara", "last_name": "Lee", "phone": "+447911000111",
       "role": "technician", "trades": ["Plumbing", "HVAC"]}


@pytest.mark.parametrize("role", ROLES)
def test_reading_staff(api, users, crew, role, django_assert_max_num_queries):
    client = api(users[role])
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/staff/")
    assert response.status_code == (200 if role in READERS else 403)
    detail = client.get(f"/api/v1/staff/{users['technician'].pk}/")
    assert detail.status_code == (200 if role in READERS else 403)
    if role in READERS:
        row = detail.data
        assert (row["trades"], row["home_site"], row["phone"]) == (["Plumbing"], crew["depot"].pk,
                                                                  str(users["technician"].phone))
        assert {r["id"] for r in response.data["results"]} == {users["engineer"].pk, users["technician"].pk}
        # Customers and admins are not maintenance staff.
        assert client.get(f"/api/v1/staff/{users['customer'].pk}/").status_code == 404
    assert client.get("/api/v1/trades/").status_code == (200 if role in READERS else 403)


def test_anonymous_gets_401(api, crew, users):
    for path in ("/api/v1/staff/", f"/api/v1/staff/{users['technician'].pk}/", "/api/v1/trades/"):
        assert api().get(path).status_code == 401


def test_search(api, users, crew):
    rows = api(users["engineer"]).get("/api/v1/staff/", {"q": "plumb"}).data["results"]
    assert [r["id"] for r in rows] == [users["technician"].pk]


@pytest.mark.parametrize("role", ["engineer", "technician", "customer"])
def test_only_admins_write(api, users, crew, role):
    client = api(users[role])
    assert client.post("/api/v1/staff/", NEW, format="json").status_code == 403
    response = client.patch(f"/api/v1/staff/{users['technician'].pk}/", {"phone": "+447911999999"}, format="json")
    assert response.status_code == 403
    assert not Trade.objects.filter(name="HVAC").exists()
    users["technician"].refresh_from_db()
    assert users["technician"].phone.as_e164 != "+447911999999"


def test_admin_adds_a_technician_by_invitation(api, users, crew, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(users["admin"]).post("/api/v1/staff/", {**NEW, "home_site": crew["depot"].pk,
                                                               "is_active": False, "password": "x"}, format="json")
    assert response.status_code == 201, response.data
    assert response.data["trades"] == ["HVAC", "Plumbing"] and response.data["home_site"] == crew["depot"].pk
    person = StaffProfile.objects.get(user__email="tara.lee@example.com").user
    assert person.role == Role.TECHNICIAN and not person.has_usable_password()  # no password chosen by the admin
    assert Trade.objects.filter(name="HVAC").exists()
    assert [m.to for m in mail.outbox] == [["tara.lee@example.com"]]  # the invitation, like the staff page


def test_bad_input(api, users, crew):
    client = api(users["admin"])
    response = client.post("/api/v1/staff/", {**NEW, "role": "admin", "phone": "not a phone"}, format="json")
    assert response.status_code == 400 and {"role", "phone"} <= set(response.data["errors"])
    response = client.post("/api/v1/staff/", {**NEW, "email": users["engineer"].email}, format="json")
    assert response.status_code == 400 and "email" in response.data["errors"]
    assert not Trade.objects.filter(name="HVAC").exists()  # nothing half-written


def test_admin_changes_a_technician(api, users, crew):
    tech = users["technician"]
    response = api(users["admin"]).patch(f"/api/v1/staff/{tech.pk}/", {
        "phone": "+447911222333", "trades": ["Electrical"], "role": "engineer", "email": "hijack@example.com"},
        format="json")
    assert response.status_code == 200, response.data
    tech.refresh_from_db()
    assert tech.phone.as_e164 == "+447911222333" and tech.role == Role.ENGINEER
    assert tech.email != "hijack@example.com"  # the login is not changed here
    assert [t.name for t in tech.staff_profile.trades.all()] == ["Electrical"]
    assert tech.staff_profile.home_site == crew["depot"]  # untouched fields kept
    response = api(users["admin"]).patch(f"/api/v1/staff/{tech.pk}/", {"is_active": False}, format="json")
    tech.refresh_from_db()
    assert response.status_code == 200 and not tech.is_active


def test_admins_and_customers_are_not_staff_here(api, users):
    other_admin = make_user(Role.ADMIN)
    response = api(users["admin"]).patch(f"/api/v1/staff/{other_admin.pk}/", {"role": "technician"}, format="json")
    assert response.status_code == 404
    other_admin.refresh_from_db()
    assert other_admin.role == Role.ADMIN
