import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_token_by_email_and_password_then_me(api, engineer, password):
    response = api.post("/api/v1/auth/token/", {"email": engineer.email.upper(), "password": password})
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/me/").json()
    assert me["email"] == engineer.email and me["role"] == "engineer" and me["phone"].startswith("+44")
    response = api.patch("/api/v1/me/", {"first_name": "Erin", "role": "admin", "time_zone": "Europe/Berlin"})
    assert response.status_code == 200
    engineer.refresh_from_db()
    assert engineer.first_name == "Erin" and engineer.role == "engineer" and engineer.time_zone == "Europe/Berlin"
    assert api.delete("/api/v1/auth/token/").status_code == 204
    assert api.get("/api/v1/me/").status_code in (401, 403)


def test_bad_input_is_a_400_with_field_errors(api, technician, client_for):
    api.force_authenticate(technician)
    response = api.patch("/api/v1/me/", {"last_name": "T3st", "phone": "", "time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"last_name", "time_zone"} <= set(errors)
    response = api.patch("/api/v1/me/", {"phone": ""})  # technicians need a phone
    assert response.status_code == 400 and "phone" in response.json()["errors"]


def test_token_refused_for_wrong_password_and_unconfirmed(api, customer, user_factory, password):
    response = api.post("/api/v1/auth/token/", {"email": customer.email, "password": "nope"})
    assert response.status_code in (401, 403) and "token" not in response.json()
    pending = user_factory(confirmed=False)
    assert api.post("/api/v1/auth/token/", {"email": pending.email, "password": password}).status_code in (401, 403)
    assert api.post("/api/v1/auth/token/", {"email": "not-an-email"}).status_code == 400


def test_token_endpoint_honours_the_axes_lock_out(api, customer, password, settings):
    settings.AXES_FAILURE_LIMIT = 2
    cache.clear()
    for _ in range(2):
        api.post("/api/v1/auth/token/", {"email": customer.email, "password": "wrong"})
    response = api.post("/api/v1/auth/token/", {"email": customer.email, "password": password})
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out" and "token" not in response.json()


def test_anonymous_me_is_refused(api):
    assert api.get("/api/v1/me/").status_code in (401, 403)
