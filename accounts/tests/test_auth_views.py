"""Sign-up, confirmation, log-in and lock-out, demo buttons, log-out and passwords through HTTP."""

import io

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.demo import DEMO_USERS
from accounts.models import Role, User
from accounts.tests.conftest import link_in, log_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sturdy-Lantern-42"
SIGNUP = {"email": "Nora.Field@Example.com", "first_name": "Nora", "last_name": "O'Neill", "password": NEW_PASSWORD}


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_signup_confirm_by_post_logs_in(client, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:signup_done")
    user = User.objects.get(email="nora.field@example.com")
    assert user.email_confirmed_at is None
    assert "nora.field@example.com" in client.get(response["Location"]).content.decode()
    # Cannot log in before confirming; the form says why (the password was right).
    response = log_in(Client(), SIGNUP["email"], NEW_PASSWORD)
    assert response.status_code == 200
    assert "not confirmed yet" in response.content.decode()

    link = link_in(outbox[0], "/accounts/confirm/")
    # A mail scanner prefetching the link (GET, even twice) confirms nothing.
    for _ in range(2):
        page = client.get(link)
        assert page.status_code == 200 and "Confirm and log in" in page.content.decode()
    user.refresh_from_db()
    assert user.email_confirmed_at is None

    response = client.post(link, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert int(client.session[SESSION_KEY]) == user.pk
    assert any("confirmed" in m for m in _messages(response))
    # Opening it again: already used, nobody is logged in by it.
    other = Client()
    assert other.post(link).status_code == 302 and SESSION_KEY not in other.session
    assert "already confirmed" in other.get(link).content.decode()


def test_bad_confirmation_link_explains_and_offers_a_new_one(client):
    response = client.get(reverse("accounts:confirm", args=["not-a-token"]))
    assert response.status_code == 400
    assert reverse("accounts:resend_confirmation") in response.content.decode()
    assert client.post(reverse("accounts:confirm", args=["not-a-token"])).status_code == 400


def test_signup_errors_keep_the_input_but_never_the_password(client):
    bad = {**SIGNUP, "first_name": "Nora2", "password": "Zq7x"}
    response = client.post(reverse("accounts:signup"), bad)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="nora.field@example.com"' in html.lower() and "O&#x27;Neill" in html
    assert 'value="Nora2"' in html
    assert "Zq7x" not in html
    assert "Use letters, spaces, hyphens and apostrophes only." in html
    assert "at least 8 characters" in html
    assert any("correct the errors" in m for m in _messages(response))
    assert not User.objects.filter(email__iexact=SIGNUP["email"]).exists()


def test_signup_password_like_the_name_is_refused(client):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "email": "nora@example.com",
                                                        "password": "nora@example.com"})
    assert "too similar" in response.content.decode()


def test_signup_with_a_taken_address_looks_the_same(client, customer, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), {**SIGNUP, "email": customer.email})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:signup_done")
    assert outbox[0].to == [customer.email] and "already" in outbox[0].subject + outbox[0].body


def test_signup_is_throttled_per_ip(client, settings):
    settings.ACCOUNTS_MAIL_RATE_LIMIT = 3
    for _ in range(5):  # typos do not count
        assert client.post(reverse("accounts:signup"), {**SIGNUP, "first_name": "N0ra"}).status_code == 200
    for n in range(3):
        assert client.post(reverse("accounts:signup"), {**SIGNUP, "email": f"p{n}@example.com"}).status_code == 302
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "email": "p9@example.com"})
    assert response.status_code == 200 and any("Too many" in m for m in _messages(response))
    assert not User.objects.filter(email="p9@example.com").exists()
    # Another client address is not affected.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(reverse("accounts:signup"), {**SIGNUP, "email": "p10@example.com"}).status_code == 302


def test_resend_confirmation_says_the_same_for_any_address(client, customer, outbox,
                                                           django_capture_on_commit_callbacks):
    User.objects.create_user(email="wait@example.com", password=NEW_PASSWORD, first_name="W", last_name="X")
    texts = []
    for email in ["wait@example.com", customer.email, "nobody@example.com"]:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:resend_confirmation"), {"email": email}, follow=True)
        texts.append(_messages(response)[0].replace(email, "X"))
    assert len(set(texts)) == 1
    assert [m.to for m in outbox] == [["wait@example.com"]]


def test_resend_is_throttled_per_address(client, settings, outbox, django_capture_on_commit_callbacks):
    settings.ACCOUNTS_MAIL_RATE_LIMIT = 2
    User.objects.create_user(email="wait@example.com", password=NEW_PASSWORD, first_name="W", last_name="X")
    for n in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            Client(REMOTE_ADDR=f"10.0.0.{n + 1}").post(reverse("accounts:resend_confirmation"),
                                                       {"email": "wait@example.com"})
    assert len(outbox) == 2


def test_login_by_email_any_case_then_logout_by_post_only(client, customer, password):
    response = log_in(client, customer.email.upper(), password)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert int(client.session[SESSION_KEY]) == customer.pk
    assert client.get(reverse("accounts:logout")).status_code == 405  # a prefetch cannot log out
    assert SESSION_KEY in client.session
    response = client.post(reverse("accounts:logout"), follow=True)
    assert SESSION_KEY not in client.session
    assert any("logged out" in m for m in _messages(response))


def test_wrong_password_keeps_the_email_not_the_password(client, customer):
    response = log_in(client, customer.email, "Wrong-Password-1")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{customer.email}"' in html and "Wrong-Password-1" not in html
    assert "do not match" in html


def test_inactive_account_cannot_log_in(client, customer, password):
    customer.is_active = False
    customer.save()
    assert log_in(client, customer.email, password).status_code == 200
    assert SESSION_KEY not in client.session


def test_login_lockout_per_account(settings, customer, password):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        # Each attempt from a different address: the account itself gets locked.
        log_in(Client(REMOTE_ADDR=f"10.1.0.{n + 1}"), customer.email.upper(), "nope-nope-nope")
    response = log_in(Client(REMOTE_ADDR="10.1.0.99"), customer.email, password)
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert "try again in 15 minutes" in response.content.decode()
    assert reverse("accounts:password_reset") in response.content.decode()


def test_login_lockout_per_ip(settings, customer, password, user_factory):
    settings.AXES_FAILURE_LIMIT = 3
    attacker = Client(REMOTE_ADDR="10.2.0.1")
    for n in range(3):
        log_in(attacker, f"guess{n}@example.com", "nope-nope-nope")
    assert log_in(attacker, customer.email, password).status_code == 429
    # The account is fine from elsewhere.
    assert log_in(Client(REMOTE_ADDR="10.2.0.2"), customer.email, password).status_code == 302


def test_demo_buttons_only_in_demo_mode(client, settings):
    settings.FIXDESK_DEMO = True
    for name in ["accounts:login", "accounts:signup"]:
        html = client.get(reverse(name)).content.decode()
        for role in Role:
            assert f"Try the demo as {role.label}" in html
            assert reverse("accounts:demo_login", args=[role.value]) in html
    settings.FIXDESK_DEMO = False
    for name in ["accounts:login", "accounts:signup"]:
        assert "Try the demo" not in client.get(reverse(name)).content.decode()
    assert client.post(reverse("accounts:demo_login", args=["admin"])).status_code == 404


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_demo_button_logs_in_as_the_demo_user(role, client, settings):
    settings.FIXDESK_DEMO = True
    url = reverse("accounts:demo_login", args=[role])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    user = User.objects.get(pk=client.session[SESSION_KEY])
    assert user.role == role
    assert user.email == next(u["email"] for u in DEMO_USERS if u["role"] == role)
    assert client.get(reverse("dashboard")).status_code == 200


def test_demo_login_of_an_unknown_role_is_404(client, settings):
    settings.FIXDESK_DEMO = True
    assert client.post(reverse("accounts:demo_login", args=["overlord"])).status_code == 404


def test_a_deactivated_demo_user_stays_deactivated_and_the_button_says_so(client, settings, admin):
    from accounts import demo, services

    settings.FIXDESK_DEMO = True
    demo.seed(io.StringIO())
    technician = demo.demo_user(Role.TECHNICIAN)
    services.user_deactivate(actor=admin, user=technician)
    login_page = client.get(reverse("accounts:login")).content.decode()
    assert "Demo Technician: deactivated by an admin" in login_page
    assert reverse("accounts:demo_login", args=["technician"]) not in login_page
    assert reverse("accounts:demo_login", args=["customer"]) in login_page  # the other roles still work

    response = client.post(reverse("accounts:demo_login", args=["technician"]), follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == reverse("accounts:login")
    assert any("deactivated by an admin" in m for m in _messages(response))
    assert SESSION_KEY not in client.session
    technician.refresh_from_db()
    assert technician.is_active is False
    demo.seed(io.StringIO())  # seeding again does not bring it back either
    technician.refresh_from_db()
    assert technician.is_active is False

    response = client.post(reverse("accounts:demo_login", args=["customer"]))
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_a_deleted_demo_user_is_seeded_again(client, settings):
    from accounts import demo

    settings.FIXDESK_DEMO = True
    demo.seed(io.StringIO())
    User.objects.filter(email=demo.demo_user(Role.ENGINEER).email).delete()
    response = client.post(reverse("accounts:demo_login", args=["engineer"]))
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert User.objects.get(pk=client.session[SESSION_KEY]).role == Role.ENGINEER


def test_password_reset_by_email(client, customer, outbox, django_capture_on_commit_callbacks):
    response = client.post(reverse("accounts:password_reset"), {"email": customer.email.upper()})
    assert response.status_code == 302
    assert len(outbox) == 1 and outbox[0].alternatives
    link = link_in(outbox[0], "/accounts/password/reset/")
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": "mismatch-123"})
    assert response.status_code == 200 and NEW_PASSWORD not in response.content.decode()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert log_in(Client(), customer.email, NEW_PASSWORD).status_code == 302
    assert "does not work" in client.get(link, follow=True).content.decode()  # single use


def test_password_reset_for_an_unknown_address_sends_nothing_but_looks_the_same(client, outbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert outbox == []


def test_password_reset_confirms_an_unconfirmed_address(client, outbox, user_factory):
    user = user_factory(Role.CUSTOMER, confirmed=False)
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    response = client.get(link_in(outbox[0], "/accounts/password/reset/"), follow=True)
    client.post(response.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.email_confirmed_at is not None
    assert log_in(Client(), user.email, NEW_PASSWORD).status_code == 302


def test_password_reset_is_throttled(client, settings, customer, outbox):
    settings.ACCOUNTS_MAIL_RATE_LIMIT = 2
    for _ in range(4):
        client.post(reverse("accounts:password_reset"), {"email": customer.email})
    assert len(outbox) == 2


def test_password_change(client_for, customer, password):
    client = client_for(customer)
    url = reverse("accounts:password_change")
    response = client.post(url, {"old_password": "wrong", "new_password1": NEW_PASSWORD,
                                 "new_password2": NEW_PASSWORD})
    assert response.status_code == 200 and NEW_PASSWORD not in response.content.decode()
    response = client.post(url, {"old_password": password, "new_password1": NEW_PASSWORD,
                                 "new_password2": NEW_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    assert client.get(reverse("dashboard")).status_code == 200  # still logged in here
    customer.refresh_from_db()
    assert customer.check_password(NEW_PASSWORD)


def test_a_password_reset_lifts_the_account_lock_out(settings, client, customer, outbox):
    settings.AXES_FAILURE_LIMIT = 2
    for n in range(2):
        log_in(Client(REMOTE_ADDR=f"10.3.0.{n + 1}"), customer.email, "nope-nope-nope")
    assert log_in(Client(REMOTE_ADDR="10.3.0.50"), customer.email, "nope").status_code == 429
    client.post(reverse("accounts:password_reset"), {"email": customer.email})
    response = client.get(link_in(outbox[0], "/accounts/password/reset/"), follow=True)
    client.post(response.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert log_in(Client(REMOTE_ADDR="10.3.0.51"), customer.email, NEW_PASSWORD).status_code == 302
