"""The ticket page's action forms: options rendered from rows, the same HTML and validation as before."""

from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import make_user
from facilities.models import Site, StaffProfile, Vehicle
from tickets.forms import ActionForm, _staff_queryset
from tickets.models import Status
from tickets.tests.conftest import make_ticket
from tickets.tests.staff_reference import ReferenceStaffChoiceField
from tickets.workflow import TRANSITIONS

CHOICES = [("", "---------"), (1, "Ann & <Bob>"), ("Trades", [(2, "Plumber"), (3, "Électricien")]), (4, 'Say "hi"')]


@pytest.mark.parametrize("value", [None, "", 1, "1", 3, "4", "99", [1, 3]])
@pytest.mark.parametrize("attrs", [
    {"id": "id_f", "class": "select form-select"},
    {"id": "id_f", "required": True, "aria-invalid": "true", "aria-describedby": "id_f_error", "disabled": False},
])
def test_select_writes_exactly_the_html_django_writes(value, attrs):
    """The project's renderer (helpdesk.forms_renderer) against Django's templates."""
    ours = forms.Select(choices=CHOICES).render("f", value, attrs)
    assert ours == forms.Select(choices=CHOICES).render("f", value, attrs, renderer=DjangoTemplates())


@pytest.fixture
def staff_world(db, users):
    near = Site.objects.create(name="Depot", latitude=Decimal("51.500000"), longitude=Decimal("-0.120000"))
    ticket_site = Site.objects.create(name="Office", latitude=Decimal("51.520000"), longitude=Decimal("-0.100000"))
    nowhere = Site.objects.create(name="Unmapped")
    StaffProfile.objects.create(user=users["technician"], home_site=near)
    StaffProfile.objects.create(user=make_user(Role.TECHNICIAN, first_name="Zoë", last_name="O'Hara"),
                                home_site=nowhere)
    make_user(Role.ENGINEER, first_name="", last_name="Solo")  # no profile at all
    make_ticket(requester=users["customer"], status=Status.IN_PROGRESS, assignee=users["technician"])
    return {"site": ticket_site}


@pytest.mark.parametrize("with_site", [True, False])
def test_assignee_labels_are_those_of_the_staff_field(staff_world, with_site):
    site = staff_world["site"] if with_site else None
    reference = ReferenceStaffChoiceField(queryset=_staff_queryset())
    reference.site = site
    expected = [(str(v), str(label)) for v, label in reference.choices]
    ticket = make_ticket(requester=make_user(Role.CUSTOMER), site=site)
    field = ActionForm(ticket=ticket, transition=TRANSITIONS["assign"]).fields["assignee"]
    got = [(str(v), str(label)) for v, label in field.choices]
    assert got == expected and len(got) >= 5
    assert any("min away" in label for _v, label in got) is with_site
    assert any("1 open" in label for _v, label in got)


def test_action_form_builds_only_the_fields_its_transition_uses(staff_world, users):
    ticket = make_ticket(requester=users["customer"])
    assert set(ActionForm(ticket=ticket, transition=TRANSITIONS["reject"]).fields) == {"comment", "version"}
    assert set(ActionForm(ticket=ticket, transition=TRANSITIONS["assign"]).fields) == {
        "comment", "assignee", "vehicle", "version"}


def test_assign_validates_against_the_queryset_and_keeps_what_was_chosen(client_for, users, staff_world):
    ticket = make_ticket(requester=users["customer"], status=Status.APPROVED)
    van = Vehicle.objects.create(name="Van 1", plate="AB12 CDE")
    client = client_for(users["admin"])
    url = reverse("tickets:action", args=[ticket.pk, "assign"])
    # A customer is not on the list: refused, and the form comes back with the user's vehicle and text.
    response = client.post(url, {"assignee": users["customer"].pk, "vehicle": van.pk, "comment": "kept text",
                                 "version": ticket.version})
    html = response.content.decode()
    assert response.status_code == 400 and "Select a valid choice" in html
    assert f'<option value="{van.pk}" selected>' in html and "kept text" in html
    response = client.post(url, {"assignee": users["technician"].pk, "vehicle": van.pk, "version": ticket.version})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.assignee == users["technician"] and ticket.vehicle == van


@pytest.mark.parametrize("staff", [2, 40])
def test_assign_form_query_count_does_not_grow_with_the_staff(client_for, users, staff, django_assert_num_queries):
    for i in range(staff):
        user = make_user(Role.TECHNICIAN if i % 2 else Role.ENGINEER)
        if i % 3 == 0:
            StaffProfile.objects.create(user=user, home_site=Site.objects.create(name=f"Home {i}"))
        Vehicle.objects.create(name=f"Van {i}", plate=f"AB{i:02d} CDE")
    ticket = make_ticket(requester=users["customer"], status=Status.APPROVED)
    client = client_for(users["admin"])
    client.get(reverse("tickets:detail", args=[ticket.pk]))
    with django_assert_num_queries(10):
        response = client.get(reverse("tickets:detail", args=[ticket.pk]))
    assert response.content.decode().count("<option") >= 2 * staff
