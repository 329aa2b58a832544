"""Sessions and tokens: logout, deactivation and a password change end the other sessions and
revoke API tokens; a role field is never writable by its owner."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts import services as account_services
from accounts.models import Role

NEW_PASSWORD = "another-Long-passphrase-77"


def _login(user, password):
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": password})
    assert response.status_code == 302
    return client


def _api(token):
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.mark.django_db
def test_password_change_ends_other_sessions_and_tokens(customer, password):
    here, elsewhere = _login(customer, password), _login(customer, password)
    token, _ = Token.objects.get_or_create(user=customer)
    assert _api(token).get(reverse("api:me")).status_code == 200
    response = here.post(reverse("accounts:password_change"), {"old_password": password,
                                                                "new_password1": NEW_PASSWORD,
                                                                "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert here.get(reverse("dashboard")).status_code == 200, "the session that changed it stays"
    assert elsewhere.get(reverse("dashboard")).status_code == 302, "every other session ends"
    assert _api(token).get(reverse("api:me")).status_code == 401, "API tokens are revoked"


@pytest.mark.django_db
def test_deactivation_ends_every_session_and_token(admin, customer, password):
    browser = _login(customer, password)
    token, _ = Token.objects.get_or_create(user=customer)
    account_services.user_deactivate(actor=admin, user=customer)
    assert browser.get(reverse("dashboard")).status_code == 302
    assert _api(token).get(reverse("api:me")).status_code == 401
    assert Client().post(reverse("accounts:login"), {"username": customer.email,
                                                     "password": password}).status_code == 200


@pytest.mark.django_db
def test_logout_is_post_only_and_ends_the_session(customer, password):
    client = _login(customer, password)
    assert client.get(reverse("accounts:logout")).status_code == 405, "no logout by a forged <img> GET"
    assert client.get(reverse("dashboard")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("dashboard")).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["role", "is_staff", "is_superuser", "is_active", "email_confirmed"])
def test_owners_cannot_raise_their_own_role(customer, client_for, field):
    value = Role.ADMIN if field == "role" else True
    client = client_for(customer)
    client.patch(reverse("api:me"), {field: value, "first_name": "Mallory"}, content_type="application/json")
    client.post(reverse("accounts:profile"), {field: value, "first_name": "Mallory", "last_name": "X",
                                              "email": customer.email})
    client.patch(reverse("api:user-detail", args=[customer.pk]), {field: value}, content_type="application/json")
    client.post(reverse("accounts:person_role", args=[customer.pk]), {"role": Role.ADMIN})
    customer.refresh_from_db()
    assert customer.role == Role.CUSTOMER
    assert not customer.is_staff and not customer.is_superuser


@pytest.mark.django_db
def test_engineer_cannot_promote_anyone(engineer, technician, client_for):
    client = client_for(engineer)
    assert client.post(reverse("accounts:person_role", args=[technician.pk]),
                       {"role": Role.ADMIN}).status_code in (403, 404)
    assert client.post(reverse("api:user-role", args=[technician.pk]), {"role": Role.ADMIN},
                       content_type="application/json").status_code in (403, 404)
    technician.refresh_from_db()
    engineer.refresh_from_db()
    assert technician.role == Role.TECHNICIAN and engineer.role == Role.ENGINEER
