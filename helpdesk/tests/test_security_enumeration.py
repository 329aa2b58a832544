"""Account enumeration: login, sign-up, password reset and confirmation resend answer the same
way whether or not the account exists (status, redirect and page text), in the pages and the API."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role

UNKNOWN = "nobody.here@example.test"


def _text(response) -> str:
    """The visible answer, without the CSRF token and the address the user typed."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    html = re.sub(r"[\w.+-]+@[\w.-]+", "EMAIL", html)
    return re.sub(r"\s+", " ", html)


@pytest.mark.django_db
def test_login_failure_is_the_same_for_unknown_and_known_accounts(client, customer):
    known = client.post(reverse("accounts:login"), {"username": customer.email, "password": "wrong-Passw0rd"})
    unknown = client.post(reverse("accounts:login"), {"username": UNKNOWN, "password": "wrong-Passw0rd"})
    assert known.status_code == unknown.status_code == 200
    assert _text(known) == _text(unknown)


@pytest.mark.django_db
def test_login_of_a_deactivated_account_looks_like_a_wrong_password(client, user_factory, password):
    gone = user_factory(Role.CUSTOMER, is_active=False)
    inactive = client.post(reverse("accounts:login"), {"username": gone.email, "password": password})
    unknown = client.post(reverse("accounts:login"), {"username": UNKNOWN, "password": password})
    assert _text(inactive) == _text(unknown)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["accounts:password_reset", "accounts:resend_confirmation"])
def test_mail_forms_answer_the_same(client, customer, name):
    known = client.post(reverse(name), {"email": customer.email})
    unknown = client.post(reverse(name), {"email": UNKNOWN})
    assert known.status_code == unknown.status_code
    assert known.get("Location") == unknown.get("Location")
    if known.status_code == 200:
        assert _text(known) == _text(unknown)
    assert all(UNKNOWN not in m.to for m in mail.outbox), "no mail to an address without an account"


@pytest.mark.django_db
def test_signup_with_a_taken_address_answers_like_a_new_one(client, customer):
    data = {"first_name": "Eve", "last_name": "Probe", "password": "a-Long-unusual-passphrase-42"}
    taken = client.post(reverse("accounts:signup"), {**data, "email": customer.email.upper()})
    fresh = client.post(reverse("accounts:signup"), {**data, "email": UNKNOWN})
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    # The owner of the taken address hears about it by mail; the prober learns nothing.
    assert type(customer).objects.filter(email__iexact=customer.email).count() == 1


@pytest.mark.django_db
def test_api_token_and_signup_answer_the_same(client, customer):
    known = client.post(reverse("api:auth-token"), {"email": customer.email, "username": customer.email,
                                                    "password": "wrong-Passw0rd"}, content_type="application/json")
    unknown = client.post(reverse("api:auth-token"), {"email": UNKNOWN, "username": UNKNOWN,
                                                      "password": "wrong-Passw0rd"}, content_type="application/json")
    assert known.status_code == unknown.status_code
    assert known.json() == unknown.json()
    data = {"first_name": "Eve", "last_name": "Probe", "password": "a-Long-unusual-passphrase-42"}
    taken = client.post(reverse("api:auth-signup"), {**data, "email": customer.email}, content_type="application/json")
    fresh = client.post(reverse("api:auth-signup"), {**data, "email": UNKNOWN}, content_type="application/json")
    assert taken.status_code == fresh.status_code
    assert taken.json() == fresh.json()
