import pytest
from django.contrib.auth import SESSION_KEY
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from accounts import services
from accounts.models import Organization, Role, User
from accounts.tests.conftest import link_in, log_in
from accounts.tokens import CONFIRM_SALT, ConfirmationError, confirmation_token_make, invitation_token_generator

pytestmark = pytest.mark.django_db

PASSWORD = "Sturdy-Lantern-42"


def _signup(email="new.person@example.com", **kw):
    return services.user_signup(email=email, first_name=kw.get("first_name", "Nora"),
                                last_name=kw.get("last_name", "O'Neill-Smith"), password=PASSWORD)


def test_signup_creates_an_unconfirmed_customer_and_mails_the_link_after_commit(
        outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user = _signup(email="  New.Person@Example.COM ")
    assert outbox == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()
    assert user.email == "new.person@example.com"
    assert user.role == Role.CUSTOMER and user.email_confirmed_at is None
    assert user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == ["Customers"]
    assert len(outbox) == 1 and outbox[0].to == ["new.person@example.com"]
    assert "/accounts/confirm/" in outbox[0].body
    assert outbox[0].alternatives and outbox[0].alternatives[0][1] == "text/html"


def test_signup_with_a_taken_address_creates_nothing_and_tells_the_owner(
        customer, outbox, django_capture_on_commit_callbacks):
    before = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert _signup(email=customer.email.upper()) is None
    assert User.objects.count() == before
    assert len(outbox) == 1 and outbox[0].to == [customer.email]
    assert "already" in outbox[0].body and "/accounts/confirm/" not in outbox[0].body


def test_signup_rejects_digits_in_names(db):
    with pytest.raises(ValidationError) as exc:
        _signup(first_name="R2D2")
    assert "first_name" in exc.value.error_dict


def test_confirming_marks_the_address_once(django_capture_on_commit_callbacks):
    user = _signup()
    token = confirmation_token_make(user)
    confirmed = services.user_confirm_email(token=token)
    assert confirmed.email_confirmed_at is not None
    with pytest.raises(ConfirmationError) as exc:
        services.user_confirm_email(token=token)
    assert exc.value.reason == "used"


def test_tampered_and_expired_tokens_are_refused(settings):
    user = _signup()
    token = confirmation_token_make(user)
    with pytest.raises(ConfirmationError) as exc:
        services.user_confirm_email(token=token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert exc.value.reason == "invalid"
    other = signing.dumps({"u": user.pk, "e": "someone.else@example.com"}, salt=CONFIRM_SALT)
    with pytest.raises(ConfirmationError):
        services.user_confirm_email(token=other)
    settings.FIXDESK_CONFIRMATION_MAX_AGE = -1
    with pytest.raises(ConfirmationError) as exc:
        services.user_confirm_email(token=token)
    assert exc.value.reason == "expired"
    user.refresh_from_db()
    assert user.email_confirmed_at is None


def test_an_address_in_fixdesk_admin_emails_becomes_admin_at_confirmation(settings):
    settings.FIXDESK_ADMIN_EMAILS = ["boss@example.com"]
    user = _signup(email="Boss@Example.com")
    assert user.role == Role.CUSTOMER  # not before confirming
    user = services.user_confirm_email(token=confirmation_token_make(user))
    user.refresh_from_db()
    assert user.role == Role.ADMIN and user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == ["Admins"]
    plain = services.user_confirm_email(token=confirmation_token_make(_signup(email="plain@example.com")))
    assert plain.role == Role.CUSTOMER


def test_resend_confirmation_only_mails_unconfirmed_accounts(customer, outbox, django_capture_on_commit_callbacks):
    user = _signup()
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.user_resend_confirmation(email="NEW.person@example.com")
        services.user_resend_confirmation(email=customer.email)  # already confirmed: silent
        services.user_resend_confirmation(email="nobody@example.com")  # unknown: silent
    assert [m.to for m in outbox] == [[user.email]]


def test_invite_creates_an_unconfirmed_account_without_password_and_mails_on_commit(
        admin, outbox, django_capture_on_commit_callbacks):
    org = Organization.objects.create(name="Harbour Ltd")
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_invite(actor=admin, email="Tech.New@Example.com", first_name="Tom",
                                    last_name="Field", role=Role.TECHNICIAN, phone="+447911123456", organization=org)
    assert user.email == "tech.new@example.com" and user.role == Role.TECHNICIAN
    assert not user.has_usable_password() and user.email_confirmed_at is None
    assert user.organization == org and not user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == ["Technicians"]
    assert len(outbox) == 1 and "/accounts/invite/" in outbox[0].body
    assert admin.get_full_name() in outbox[0].body


def test_invite_accept_sets_the_password_confirms_and_kills_the_link(admin, outbox,
                                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_invite(actor=admin, email="c@example.com", first_name="Cy", last_name="Doe",
                                    role=Role.CUSTOMER)
    token = link_in(outbox[0], "/invite/").rstrip("/").split("/")[-1]
    assert invitation_token_generator.check_token(user, token)
    user = services.user_accept_invitation(user=user, password=PASSWORD)
    assert user.check_password(PASSWORD) and user.email_confirmed_at is not None
    assert not invitation_token_generator.check_token(user, token)


@pytest.mark.parametrize("role", ["engineer", "technician", "customer"])
def test_only_admins_invite(role, users):
    with pytest.raises(PermissionDenied):
        services.user_invite(actor=users[role], email="x@example.com", first_name="X", last_name="Y",
                             role=Role.CUSTOMER)
    assert not User.objects.filter(email="x@example.com").exists()


def test_invite_refuses_taken_addresses_and_field_staff_without_phone(admin, customer):
    with pytest.raises(ValidationError) as exc:
        services.user_invite(actor=admin, email=customer.email.upper(), first_name="A", last_name="B",
                             role=Role.CUSTOMER)
    assert "email" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.user_invite(actor=admin, email="eng@example.com", first_name="A", last_name="B",
                             role=Role.ENGINEER)
    assert "phone" in exc.value.error_dict


def test_change_role_keeps_group_and_admin_flag_in_step(admin, customer):
    services.user_change_role(actor=admin, user=customer, role=Role.ADMIN)
    customer.refresh_from_db()
    assert customer.role == Role.ADMIN and customer.is_staff
    assert list(customer.groups.values_list("name", flat=True)) == ["Admins"]
    services.user_change_role(actor=admin, user=customer, role=Role.CUSTOMER)
    customer.refresh_from_db()
    assert customer.role == Role.CUSTOMER and not customer.is_staff and not customer.is_superuser
    assert list(customer.groups.values_list("name", flat=True)) == ["Customers"]


def test_change_to_field_role_needs_a_phone(admin, user_factory):
    user = user_factory(Role.CUSTOMER, phone="")
    with pytest.raises(ValidationError):
        services.user_change_role(actor=admin, user=user, role=Role.TECHNICIAN)
    user.refresh_from_db()
    assert user.role == Role.CUSTOMER


def test_nobody_changes_their_own_role_and_non_admins_change_none(users):
    with pytest.raises(PermissionDenied):
        services.user_change_role(actor=users["admin"], user=users["admin"], role=Role.CUSTOMER)
    with pytest.raises(PermissionDenied):
        services.user_change_role(actor=users["engineer"], user=users["engineer"], role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.user_change_role(actor=users["engineer"], user=users["customer"], role=Role.ADMIN)
    assert users["engineer"].role == Role.ENGINEER


def test_a_demoted_admin_can_no_longer_demote_the_other(admin, user_factory):
    other = user_factory(Role.ADMIN)
    services.user_change_role(actor=admin, user=other, role=Role.CUSTOMER)
    # ``other`` still holds a stale object saying "admin": the service reads the role afresh.
    other_stale = User.objects.get(pk=other.pk)
    other_stale.role = Role.ADMIN
    with pytest.raises(PermissionDenied):
        services.user_change_role(actor=other_stale, user=admin, role=Role.CUSTOMER)
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_the_last_admin_cannot_be_demoted_or_deactivated(admin, user_factory):
    # A superuser who is not an admin by role still cannot remove the only admin.
    ghost = user_factory(Role.ADMIN)
    services.user_deactivate(actor=admin, user=ghost)
    assert User.objects.filter(role=Role.ADMIN, is_active=True).count() == 1
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=admin, user=admin)
    with pytest.raises(PermissionDenied):
        services.user_change_role(actor=admin, user=admin, role=Role.CUSTOMER)
    admin.refresh_from_db()
    assert admin.is_active and admin.role == Role.ADMIN


def test_deactivating_ends_every_session_of_that_person(admin, customer, password):
    browser_a, browser_b = Client(), Client()
    for c in (browser_a, browser_b):
        assert log_in(c, customer.email, password).status_code == 302
        assert SESSION_KEY in c.session
    bystander = Client()
    bystander.force_login(admin, backend="accounts.backends.EmailBackend")
    services.user_deactivate(actor=admin, user=customer)
    customer.refresh_from_db()
    assert not customer.is_active
    for c in (browser_a, browser_b):
        assert SESSION_KEY not in c.session
        assert c.get("/").status_code == 302
    assert bystander.get("/").status_code == 200
    services.user_reactivate(actor=admin, user=customer)
    customer.refresh_from_db()
    assert customer.is_active
    assert log_in(Client(), customer.email, password).status_code == 302


def test_update_profile_validates_and_restricts_the_organisation(users):
    engineer = users["engineer"]
    services.user_update(actor=engineer, user=engineer, first_name="Éowyn", last_name="de la Cruz",
                         phone="+447911123457", time_zone="Europe/London")
    engineer.refresh_from_db()
    assert (engineer.first_name, engineer.last_name, engineer.phone.as_e164, engineer.time_zone) == (
        "Éowyn", "de la Cruz", "+447911123457", "Europe/London")
    with pytest.raises(ValidationError):
        services.user_update(actor=engineer, user=engineer, first_name="E", last_name="X", phone="")
    with pytest.raises(PermissionDenied):
        services.user_update(actor=engineer, user=engineer, first_name="E", last_name="X",
                             phone="+447911123457", organization=None)
    with pytest.raises(PermissionDenied):
        services.user_update(actor=engineer, user=users["customer"], first_name="E", last_name="X")


def test_organisations_are_admin_only_and_unique_case_insensitively(users):
    org = services.organization_create(actor=users["admin"], name="  Acme   Works ")
    assert org.name == "Acme Works"
    with pytest.raises(ValidationError):
        services.organization_create(actor=users["admin"], name="acme works")
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=users["engineer"], name="Other")
    services.organization_update(actor=users["admin"], organization=org, name="Acme Works Ltd",
                                 members_see_all_tickets=True)
    org.refresh_from_db()
    assert org.name == "Acme Works Ltd" and org.members_see_all_tickets


def test_every_change_leaves_an_account_event(admin, user_factory, settings):
    from accounts.models import AccountEvent

    settings.FIXDESK_ADMIN_EMAILS = ["chief@example.com"]
    chief = services.user_confirm_email(token=confirmation_token_make(_signup(email="chief@example.com")))
    assert list(chief.account_events.order_by("pk").values_list("action", "old_value", "new_value")) == [
        ("signed_up", "", ""), ("confirmed", "", ""), ("role_changed", "customer", "admin")]
    tech = services.user_invite(actor=admin, email="t@example.com", first_name="T", last_name="T",
                                role=Role.TECHNICIAN, phone="+447911123456")
    services.user_update(actor=admin, user=tech, first_name="Tam", last_name="T", phone="+447911123456")
    services.user_change_role(actor=admin, user=tech, role=Role.ENGINEER)
    services.user_deactivate(actor=admin, user=tech)
    services.user_reactivate(actor=admin, user=tech)
    rows = list(tech.account_events.order_by("pk").values_list("action", "actor", "old_value", "new_value"))
    assert rows == [
        ("invited", admin.pk, "", "technician"),
        ("updated", admin.pk, "", "first_name"),
        ("role_changed", admin.pk, "technician", "engineer"),
        ("deactivated", admin.pk, "", "0 sessions ended"),
        ("reactivated", admin.pk, "", ""),
    ]
    assert AccountEvent.objects.filter(action="role_changed").count() == 2


def test_invitation_links_expire_after_the_confirmation_max_age(admin, settings, outbox,
                                                               django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_TIMEOUT = 60  # invitations do not follow the reset lifetime
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_invite(actor=admin, email="late@example.com", first_name="L", last_name="T",
                                    role=Role.CUSTOMER)
    token = link_in(outbox[0], "/invite/").rstrip("/").split("/")[-1]
    assert invitation_token_generator.check_token(user, token)
    settings.FIXDESK_CONFIRMATION_MAX_AGE = -1
    assert not invitation_token_generator.check_token(user, token)


def test_mails_carry_the_same_link_in_text_and_html(outbox, django_capture_on_commit_callbacks, settings):
    settings.FIXDESK_SITE_URL = "https://desk.example.org/"
    with django_capture_on_commit_callbacks(execute=True):
        _signup()
    message = outbox[0]
    link = link_in(message, "/accounts/confirm/")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="https://desk.example.org{link}"' in html
    assert message.subject == "Confirm your e-mail address for Fixdesk"
