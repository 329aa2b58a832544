"""Every accounts page against every role (and anonymous): who gets the page, who is sent away."""

import pytest
from django.urls import reverse

from accounts.models import Organization

pytestmark = pytest.mark.django_db

ROLES_AND_ANON = ["anonymous", "admin", "engineer", "technician", "customer"]
ADMIN_ONLY = {"anonymous": 302, "admin": 200, "engineer": 403, "technician": 403, "customer": 403}
LOGGED_IN = {"anonymous": 302, "admin": 200, "engineer": 200, "technician": 200, "customer": 200}
LOGGED_OUT_ONLY = {"anonymous": 200, "admin": 302, "engineer": 302, "technician": 302, "customer": 302}
EVERYBODY = dict.fromkeys(ROLES_AND_ANON, 200)

# (url name, args builder, expected status per role)
PAGES = [
    ("accounts:login", None, LOGGED_OUT_ONLY),
    ("accounts:signup", None, LOGGED_OUT_ONLY),
    ("accounts:signup_done", None, EVERYBODY),
    ("accounts:resend_confirmation", None, EVERYBODY),
    ("accounts:password_reset", None, EVERYBODY),
    ("accounts:password_reset_done", None, EVERYBODY),
    ("accounts:password_change", None, LOGGED_IN),
    ("accounts:profile", None, LOGGED_IN),
    ("accounts:email_change", None, LOGGED_IN),
    ("accounts:people", None, ADMIN_ONLY),
    ("accounts:people_invite", None, ADMIN_ONLY),
    ("accounts:person", lambda ctx: [ctx["users"]["customer"].pk], ADMIN_ONLY),
    ("accounts:organizations", None, ADMIN_ONLY),
    ("accounts:organization_edit", lambda ctx: [ctx["org"].pk], ADMIN_ONLY),
]


@pytest.mark.parametrize("role", ROLES_AND_ANON)
@pytest.mark.parametrize(("name", "args", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_by_role(name, args, expected, role, users, client_for, django_assert_max_num_queries):
    org = Organization.objects.create(name="Harbour Ltd")
    ctx = {"users": users, "org": org}
    url = reverse(name, args=args(ctx) if args else None)
    client = client_for(None if role == "anonymous" else users[role])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == expected[role], (url, role)
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))
    if response.status_code == 200:
        html = response.content.decode()
        assert "<h1" in html
        assert 'name="viewport"' in html


@pytest.mark.parametrize("role", ROLES_AND_ANON)
@pytest.mark.parametrize("name", ["accounts:person_role", "accounts:person_deactivate",
                                  "accounts:person_reactivate", "accounts:person_resend_invitation"])
def test_person_actions_are_post_only_and_admin_only(name, role, users, client_for):
    client = client_for(None if role == "anonymous" else users[role])
    url = reverse(name, args=[users["customer"].pk])
    assert client.get(url).status_code in (302, 405)
    response = client.post(url, {"role": "engineer"})
    if role == "anonymous":
        assert response.status_code == 302
    elif role != "admin":
        assert response.status_code == 403
    users["customer"].refresh_from_db()
    if role != "admin":
        assert users["customer"].role == "customer" and users["customer"].is_active


def test_unknown_person_is_a_404_for_admins_and_403_for_others(users, client_for):
    assert client_for(users["admin"]).get(reverse("accounts:person", args=[999999])).status_code == 404
    assert client_for(users["customer"]).get(reverse("accounts:person", args=[999999])).status_code == 403


@pytest.mark.parametrize("role", ROLES_AND_ANON)
def test_navigation_by_role(role, users, client_for):
    client = client_for(None if role == "anonymous" else users[role])
    html = client.get(reverse("accounts:password_reset")).content.decode()
    assert (reverse("accounts:people") in html) is (role == "admin")
    assert (reverse("accounts:profile") in html) is (role != "anonymous")
    assert (reverse("accounts:signup") in html) is (role == "anonymous")


# (url name, who posts, bad data): every form answers bad input with field errors and an alert.
BAD_INPUT = [
    ("accounts:login", None, {"username": "not-an-email", "password": "x"}),
    ("accounts:signup", None, {"email": "a@example.com", "first_name": "4", "last_name": "", "password": ""}),
    ("accounts:resend_confirmation", None, {"email": "nope"}),
    ("accounts:password_reset", None, {"email": "nope"}),
    ("accounts:password_change", "customer", {"old_password": "", "new_password1": "a", "new_password2": "b"}),
    ("accounts:profile", "customer", {"first_name": "", "last_name": "X", "phone": "12"}),
    ("accounts:email_change", "customer", {"new_email": "bad", "password": ""}),
    ("accounts:people_invite", "admin", {"email": "bad", "first_name": "", "last_name": "", "role": "king"}),
    ("accounts:organizations", "admin", {"name": ""}),
]


@pytest.mark.parametrize(("name", "role", "data"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_bad_input_gives_field_errors_and_an_alert(name, role, data, users, client_for):
    client = client_for(users[role] if role else None)
    response = client.post(reverse(name), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "alert-danger" in html and "alert-dismissible" in html
    assert "is-invalid" in html or "invalid-feedback" in html or 'class="alert alert-block alert-danger"' in html
