"""Admins manage people and organisations in the web UI; profile pages for everybody."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.models import Organization, Role, User
from accounts.tests.conftest import link_in, log_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sturdy-Lantern-42"


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _names(response) -> set[str]:
    return {u.email for u in response.context["people"]}


def test_people_list_search_filters_and_pagination(admin, client_for, user_factory, settings,
                                                   django_assert_max_num_queries):
    settings.ACCOUNTS_PEOPLE_PER_PAGE = 5
    org = Organization.objects.create(name="Harbour Ltd")
    customers = [user_factory(Role.CUSTOMER, organization=org) for _ in range(7)]
    tech = user_factory(Role.TECHNICIAN, first_name="Zebedee")
    eng = user_factory(Role.ENGINEER)
    pending = user_factory(Role.CUSTOMER, confirmed=False)
    gone = user_factory(Role.CUSTOMER, is_active=False)
    client = client_for(admin)
    url = reverse("accounts:people")

    with django_assert_max_num_queries(10):
        first = client.get(url)
    assert first.status_code == 200 and len(first.context["people"]) == 5
    assert first.context["page_obj"].paginator.count == 12
    with django_assert_max_num_queries(10):
        last = client.get(url, {"page": 3})
    assert len(last.context["people"]) == 2
    assert client.get(url, {"page": "junk"}).status_code == 200

    assert _names(client.get(url, {"q": "zebedee"})) == {tech.email}
    assert _names(client.get(url, {"q": customers[0].email.upper()})) == {customers[0].email}
    assert _names(client.get(url, {"who": "field"})) == {tech.email, eng.email}
    assert _names(client.get(url, {"who": "admins"})) == {admin.email}
    assert _names(client.get(url, {"status": "inactive"})) == {gone.email}
    assert _names(client.get(url, {"status": "unconfirmed"})) == {pending.email}
    assert client.get(url, {"organization": org.pk}).context["page_obj"].paginator.count == 7
    filtered = client.get(url, {"who": "customers", "organization": org.pk})
    assert filtered.context["page_obj"].paginator.count == 7
    # Pagination links keep the filters.
    assert "who=customers" in filtered.content.decode().split('rel="next"')[0].rsplit("href=", 1)[1]
    assert client.get(url, {"who": "nonsense", "status": "??"}).status_code == 200


def test_invite_through_the_web_then_accept(admin, client_for, outbox, django_capture_on_commit_callbacks):
    client = client_for(admin)
    form = {"email": "Tess.Tech@Example.com", "first_name": "Tess", "last_name": "Tech",
            "role": Role.TECHNICIAN, "phone": "", "organization": ""}
    response = client.post(reverse("accounts:people_invite"), form)
    html = response.content.decode()
    assert response.status_code == 200 and "need a phone number" in html
    assert 'value="tess.tech@example.com"' in html.lower() and 'value="Tess"' in html
    assert not User.objects.filter(email="tess.tech@example.com").exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:people_invite"), {**form, "phone": "07911 123456"})
    invited = User.objects.get(email="tess.tech@example.com")
    assert response["Location"] == reverse("accounts:person", args=[invited.pk])
    assert invited.phone.as_e164 == "+447911123456" and invited.role == Role.TECHNICIAN

    link = link_in(outbox[0], "/accounts/invite/")
    stranger = Client()
    page = stranger.get(link, follow=True)
    assert "Choose a password" in page.content.decode()
    set_url = page.redirect_chain[-1][0]
    bad = stranger.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": "other-Pass-99"})
    assert bad.status_code == 200 and NEW_PASSWORD not in bad.content.decode()
    response = stranger.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert int(stranger.session[SESSION_KEY]) == invited.pk
    invited.refresh_from_db()
    assert invited.email_confirmed_at is not None
    assert "does not work" in Client().get(link, follow=True).content.decode()  # used up


def test_invite_a_taken_address_shows_the_error(admin, customer, client_for):
    response = client_for(admin).post(reverse("accounts:people_invite"), {
        "email": customer.email, "first_name": "A", "last_name": "B", "role": Role.CUSTOMER})
    assert response.status_code == 200 and "already has an account" in response.content.decode()


def test_resend_invitation(admin, client_for, outbox, django_capture_on_commit_callbacks, customer):
    from accounts import services

    invited = services.user_invite(actor=admin, email="late@example.com", first_name="Lu", last_name="Late",
                                   role=Role.CUSTOMER)
    client = client_for(admin)
    assert "Send the invitation again" in client.get(reverse("accounts:person", args=[invited.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:person_resend_invitation", args=[invited.pk]))
    assert [m.to for m in outbox] == [["late@example.com"]] and "/accounts/invite/" in outbox[0].body
    # A confirmed account needs no invitation.
    assert client.post(reverse("accounts:person_resend_invitation", args=[customer.pk])).status_code == 403


def test_admin_changes_a_role_and_the_page_says_so(admin, customer, client_for):
    client = client_for(admin)
    response = client.post(reverse("accounts:person_role", args=[customer.pk]), {"role": Role.ADMIN}, follow=True)
    customer.refresh_from_db()
    assert customer.role == Role.ADMIN and customer.is_staff
    assert any("is now Admin" in m for m in _messages(response))


def test_role_change_to_field_staff_without_phone_is_refused_with_a_reason(admin, client_for, user_factory):
    user = user_factory(Role.CUSTOMER, phone="")
    response = client_for(admin).post(reverse("accounts:person_role", args=[user.pk]), {"role": Role.ENGINEER})
    assert response.status_code == 409 and "need a phone number" in response.content.decode()
    user.refresh_from_db()
    assert user.role == Role.CUSTOMER


def test_admin_cannot_demote_or_deactivate_themselves(admin, client_for):
    client = client_for(admin)
    page = client.get(reverse("accounts:person", args=[admin.pk])).content.decode()
    assert "cannot change your own role" in page and "cannot deactivate yourself" in page
    assert reverse("accounts:person_role", args=[admin.pk]) not in page
    assert client.post(reverse("accounts:person_role", args=[admin.pk]), {"role": "customer"}).status_code == 403
    assert client.post(reverse("accounts:person_deactivate", args=[admin.pk])).status_code == 403
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN and admin.is_active


def test_deactivate_and_reactivate_through_the_web(admin, customer, client_for, password):
    victim = Client()
    log_in(victim, customer.email, password)
    client = client_for(admin)
    response = client.post(reverse("accounts:person_deactivate", args=[customer.pk]), follow=True)
    assert any("deactivated" in m for m in _messages(response))
    assert victim.get(reverse("dashboard")).status_code == 302  # thrown out
    assert log_in(Client(), customer.email, password).status_code == 200  # cannot come back
    assert "Reactivate" in response.content.decode()
    client.post(reverse("accounts:person_reactivate", args=[customer.pk]))
    assert log_in(Client(), customer.email, password).status_code == 302


def test_admin_edits_details_and_errors_keep_the_input(admin, engineer, client_for):
    org = Organization.objects.create(name="Harbour Ltd")
    client = client_for(admin)
    url = reverse("accounts:person", args=[engineer.pk])
    response = client.post(url, {"first_name": "Ed", "last_name": "McEdd", "phone": "not a phone",
                                 "time_zone": "Europe/Paris", "organization": org.pk})
    html = response.content.decode()
    assert response.status_code == 200 and 'value="McEdd"' in html and 'value="not a phone"' in html
    response = client.post(url, {"first_name": "Ed", "last_name": "McEdd", "phone": "+447911123457",
                                 "time_zone": "Europe/Paris", "organization": org.pk})
    assert response.status_code == 302
    engineer.refresh_from_db()
    assert (engineer.last_name, engineer.organization, engineer.time_zone) == ("McEdd", org, "Europe/Paris")


@pytest.mark.parametrize("role", ["admin", "engineer", "technician", "customer"])
def test_everybody_edits_their_own_profile(role, users, client_for):
    user = users[role]
    client = client_for(user)
    url = reverse("accounts:profile")
    bad = client.post(url, {"first_name": "Jo", "last_name": "B4d", "phone": user.phone or "", "time_zone": "UTC"})
    assert bad.status_code == 200 and 'value="B4d"' in bad.content.decode()
    response = client.post(url, {"first_name": "Jo", "last_name": "Smith-Jones", "phone": "+447911000001",
                                 "time_zone": "America/New_York"}, follow=True)
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.time_zone) == ("Jo", "Smith-Jones", "America/New_York")
    assert any("saved" in m for m in _messages(response))


def test_field_staff_must_keep_a_phone_number(technician, client_for):
    response = client_for(technician).post(reverse("accounts:profile"), {
        "first_name": "T", "last_name": "T", "phone": "", "time_zone": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    technician.refresh_from_db()
    assert technician.phone


def test_organisations_create_rename_and_errors(admin, client_for):
    client = client_for(admin)
    url = reverse("accounts:organizations")
    assert client.post(url, {"name": "Harbour Ltd", "members_see_all_tickets": "on"}).status_code == 302
    org = Organization.objects.get(name="Harbour Ltd")
    assert org.members_see_all_tickets
    dup = client.post(url, {"name": "harbour ltd"})
    assert dup.status_code == 200 and "exists already" in dup.content.decode()
    assert 'value="harbour ltd"' in dup.content.decode()
    assert "Harbour Ltd" in client.get(url, {"q": "harb"}).content.decode()
    edit = reverse("accounts:organization_edit", args=[org.pk])
    assert client.post(edit, {"name": "Harbour Group"}).status_code == 302
    org.refresh_from_db()
    assert org.name == "Harbour Group" and not org.members_see_all_tickets
    assert client.get(reverse("accounts:organization_edit", args=[99999])).status_code == 404


def test_a_deactivated_person_cannot_use_their_invitation(admin, client_for, outbox,
                                                         django_capture_on_commit_callbacks):
    from accounts import services

    with django_capture_on_commit_callbacks(execute=True):
        invited = services.user_invite(actor=admin, email="gone@example.com", first_name="Go", last_name="Ne",
                                       role=Role.CUSTOMER)
    services.user_deactivate(actor=admin, user=invited)
    stranger = Client()
    page = stranger.get(link_in(outbox[0], "/accounts/invite/"), follow=True)
    assert "does not work" in page.content.decode()
    assert SESSION_KEY not in stranger.session


def test_person_page_shows_the_history(admin, customer, client_for):
    from accounts import services

    services.user_change_role(actor=admin, user=customer, role=Role.ADMIN)
    html = client_for(admin).get(reverse("accounts:person", args=[customer.pk])).content.decode()
    assert "role changed" in html and "customer → admin" in html and f"by {admin.get_full_name()}" in html


def test_change_of_address_needs_the_password_and_a_click_from_the_new_mailbox(
        customer, client_for, password, outbox, django_capture_on_commit_callbacks):
    old_email = customer.email
    client = client_for(customer)
    url = reverse("accounts:email_change")
    bad = client.post(url, {"new_email": "New.Me@Example.com", "password": "wrong-one"})
    html = bad.content.decode()
    assert bad.status_code == 200 and "not your current password" in html
    assert 'value="New.Me@Example.com"' in html and "wrong-one" not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"new_email": "New.Me@Example.com", "password": password})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.email == old_email  # nothing changes before the link is used
    assert outbox[0].to == ["new.me@example.com"]
    link = link_in(outbox[0], "/accounts/profile/email/")
    assert "new.me@example.com" in Client().get(link).content.decode()  # prefetch: no change
    customer.refresh_from_db()
    assert customer.email == old_email
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.email == "new.me@example.com"
    assert outbox[-1].to == [old_email] and "new.me@example.com" in outbox[-1].body
    assert log_in(Client(), "new.me@example.com", password).status_code == 302
    assert Client().get(link).status_code == 400  # used


def test_change_of_address_refuses_a_taken_one(customer, engineer, client_for, password):
    response = client_for(customer).post(reverse("accounts:email_change"),
                                         {"new_email": engineer.email.upper(), "password": password})
    assert response.status_code == 200 and "Another account uses this address" in response.content.decode()


def test_a_stale_organisation_filter_keeps_the_search(admin, client_for, user_factory):
    tech = user_factory(Role.TECHNICIAN, first_name="Zebedee")
    response = client_for(admin).get(reverse("accounts:people"), {"q": "zebedee", "organization": "987654"})
    assert response.status_code == 200 and _names(response) == {tech.email}


@pytest.mark.parametrize("url_name", ["accounts:people", "accounts:organizations"])
def test_list_pages_cost_the_same_whatever_their_size(url_name, admin, client_for, user_factory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(admin)

    def cost():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(url_name)).status_code == 200
        return len(ctx.captured_queries)

    org = Organization.objects.create(name="Org 0")
    user_factory(Role.CUSTOMER, organization=org)
    small = cost()
    for n in range(1, 20):
        org = Organization.objects.create(name=f"Org {n}")
        user_factory(Role.CUSTOMER, organization=org)
        user_factory(Role.TECHNICIAN)
    assert cost() == small
