"""Session log-in and log-out through the API: the web log-in form's rules, CSRF enforced, django-axes
counting failures (shared with the web form), a session the browser pages and the API then share."""

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    """A client that enforces CSRF like a real browser session, holding the csrftoken cookie."""
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")  # sets the csrftoken cookie
    return client


def _post(client, path, body=None):
    token = client.cookies["csrftoken"].value
    return client.post(path, body or {}, content_type="application/json", HTTP_X_CSRFTOKEN=token)


def test_login_starts_a_session_then_logout_ends_it(browser, customer, password):
    response = _post(browser, "/api/v1/auth/login/", {"email": customer.email.upper(), "password": password})
    assert response.status_code == 200 and response.json()["email"] == customer.email
    assert "password" not in response.json()
    assert browser.get("/api/v1/me/").json()["id"] == customer.pk
    assert browser.get("/tickets/").status_code == 200  # the pages share the session
    assert _post(browser, "/api/v1/auth/logout/").status_code == 204
    assert browser.get("/api/v1/me/").status_code == 401


def test_login_without_csrf_token_is_refused(customer, password):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/auth/login/", {"email": customer.email, "password": password},
                           content_type="application/json")
    assert response.status_code == 403 and response.json()["status"] == 403
    assert client.get("/api/v1/me/").status_code == 401


def test_wrong_password_and_unconfirmed(browser, customer, user_factory, password):
    response = _post(browser, "/api/v1/auth/login/", {"email": customer.email, "password": "nope"})
    assert response.status_code == 401
    pending = user_factory(confirmed=False)
    response = _post(browser, "/api/v1/auth/login/", {"email": pending.email, "password": password})
    assert response.status_code == 401 and "not confirmed" in response.json()["detail"]
    assert _post(browser, "/api/v1/auth/login/", {"email": "nope"}).status_code == 400
    assert browser.get("/api/v1/me/").status_code == 401


def test_failures_are_counted_with_the_web_form(browser, customer, password, settings):
    settings.AXES_FAILURE_LIMIT = 3
    cache.clear()
    web = Client()
    web.post("/accounts/login/", {"username": customer.email, "password": "wrong"})
    web.post("/accounts/login/", {"username": customer.email, "password": "wrong"})
    response = _post(browser, "/api/v1/auth/login/", {"email": customer.email, "password": "wrong"})
    assert response.status_code == 429
    response = _post(browser, "/api/v1/auth/login/", {"email": customer.email, "password": password})
    assert response.status_code == 429 and response.json()["code"] == "locked_out"
    assert browser.get("/api/v1/me/").status_code == 401


def test_logout_needs_a_signed_in_caller():
    assert Client().post("/api/v1/auth/logout/").status_code == 401
