"""The ticket lists (queue, all tickets / My tickets, jobs) at scale: a fixed number of queries
whatever the number of rows and staff, and the same HTML and validation as Django's own widgets."""

import re
from datetime import timedelta

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import make_user
from facilities.models import Site
from facilities.selectors import staff_for_assignment
from tickets.forms import SORT_CHOICES, BulkForm, FilterForm
from tickets.models import Category, Priority, Status, Ticket
from tickets.templatetags.tickets_tags import ticket_badges
from tickets.tests.conftest import make_ticket
from tickets.tests.staff_reference import ReferenceStaffChoiceField

User = get_user_model()


def _norm(html) -> str:
    """Markup without the whitespace between tags (Django's templates put a line break before
    every option; a browser parses both the same)."""
    return re.sub(r">\s+<", "><", str(html)).strip()


# A fixed number of queries -------------------------------------------------------------------

def _world(n, users, place):
    """``n`` field staff (with phone numbers) and ``n`` tickets of every list, each row with
    everything a row shows (category, site, room, requester, assignee, equipment, vehicle)."""
    staff = [make_user(Role.TECHNICIAN if i % 2 else Role.ENGINEER) for i in range(n)]
    for i in range(n):
        make_ticket(requester=users["customer"], status=[Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD][i % 3],
                    assignee=users["technician"], site=place["site"], location=place["room"],
                    category=place["category"], equipment=place["equipment"], vehicle=place["vehicle"],
                    contact_phone="+447911000111", escalation_level=i % 2, title=f"Job {i}")
        make_ticket(requester=users["customer"], assignee=staff[i], title=f"Other {i}")
    return staff


PAGES = [
    ("tickets:queue", "admin", ""), ("tickets:queue", "engineer", ""),
    ("tickets:queue", "admin", "?status=&sort=-priority&priority=normal"),
    ("tickets:list", "customer", ""), ("tickets:list", "admin", "?sort=due"),
    ("tickets:jobs", "technician", ""),
]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name,role,query", PAGES)
def test_query_count_does_not_grow_with_rows_or_staff(client_for, users, place, django_assert_num_queries,
                                                       name, role, query):
    url = reverse(name) + query
    _world(3, users, place)
    client = client_for(users[role])
    few = _queries(client, url)
    _world(27, users, place)  # 30 staff and 30 tickets of each kind: more than a page
    with django_assert_num_queries(few):
        html = client.get(url).content.decode()
    assert len(re.findall(r"(?:Job|Other) \d+[ <]", html)) >= 25  # a full page of rows
    assert few <= {"tickets:queue": 9, "tickets:list": 6, "tickets:jobs": 6}[name]


def test_queue_lists_every_staff_member_and_filters_by_the_picked_one(client_for, users, place):
    staff = _world(30, users, place)
    client = client_for(users["admin"])
    html = client.get(reverse("tickets:queue")).content.decode()
    for person in staff:
        assert html.count(f'<option value="{person.pk}">{person.get_full_name()} (') == 2  # filter + bulk
    picked = staff[4]
    html = client.get(reverse("tickets:queue") + f"?status=&assignee={picked.pk}").content.decode()
    assert f'<option value="{picked.pk}" selected>' in html
    assert "Other 4<" in html and "Other 5<" not in html


class ReferenceFilterForm(forms.Form):
    """The filter form's model selects as Django renders them (model instances, label_from_instance)."""

    category = forms.ModelChoiceField(queryset=Category.objects.all(), required=False, empty_label="Any",
                                      widget=forms.Select(attrs={"class": "form-select"}))
    site = forms.ModelChoiceField(queryset=Site.objects.all(), required=False, empty_label="Any",
                                  widget=forms.Select(attrs={"class": "form-select"}))
    assignee = ReferenceStaffChoiceField(
        queryset=User.objects.filter(role__in=("engineer", "technician"), is_active=True),
        required=False, empty_label="Anyone", widget=forms.Select(attrs={"class": "form-select"}))
    priority = forms.ChoiceField(choices=[("", "Any"), *Priority.choices], required=False,
                                 widget=forms.Select(attrs={"class": "form-select"}))
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, widget=forms.Select(attrs={"class": "form-select"}))


@pytest.mark.parametrize("data", [
    {}, {"category": "first", "site": "first", "assignee": "first", "priority": "high", "sort": "title"},
    {"category": "999999", "site": "x", "assignee": "customer", "priority": "nope", "sort": "-id;drop"},
])
def test_filter_form_selects_match_django(db, users, place, data):
    make_user(Role.ENGINEER, first_name="Zoë", last_name="O'Brien <&>")
    make_user(Role.TECHNICIAN, is_active=False)
    Category.objects.create(name="IT & <network>")
    first = {"category": Category.objects.first().pk, "site": Site.objects.first().pk,
             "assignee": users["technician"].pk, "customer": users["customer"].pk}
    data = {k: first[k] if v == "first" else first.get(v, v) for k, v in data.items()}
    ours, reference = FilterForm(data, queue=True), ReferenceFilterForm(data)
    ours.is_valid(), reference.is_valid()
    for name in ("category", "site", "assignee", "priority", "sort"):
        assert (name in ours.errors) == (name in reference.errors)
        assert _norm(ours[name].as_widget()) == _norm(reference[name].as_widget()), name


def test_bulk_assignee_matches_django_with_open_jobs(db, users, place):
    make_ticket(requester=users["customer"], status=Status.IN_PROGRESS, assignee=users["technician"])
    make_ticket(requester=users["customer"], status=Status.CLOSED, assignee=users["technician"])
    make_user(Role.ENGINEER, first_name="", last_name="Solo")

    class ReferenceBulkForm(forms.Form):
        assignee = ReferenceStaffChoiceField(queryset=staff_for_assignment(), required=False,
                                    widget=forms.Select(attrs={"id": "id_bulk_assignee", "class": "form-select"}))

    ours = _norm(BulkForm()["assignee"])
    assert ours == _norm(ReferenceBulkForm()["assignee"])
    assert f"{users['technician'].get_full_name()} (Technician, 1 open)" in ours
    assert '<select name="assignee" id="id_bulk_assignee" class="form-select">' in ours


# Validation as strict as before -------------------------------------------------------------

def test_filter_form_refuses_people_who_cannot_be_assigned(db, users):
    inactive = make_user(Role.TECHNICIAN, is_active=False)
    for pk in (users["customer"].pk, users["admin"].pk, inactive.pk, 999999, "1 OR 1=1"):
        form = FilterForm({"assignee": pk, "status": "open"}, queue=True)
        assert not form.is_valid() and "assignee" in form.errors
        assert "assignee" not in form.filters() and form.filters()["status"] == "open"
    form = FilterForm({"assignee": users["technician"].pk}, queue=True)
    assert form.is_valid() and form.cleaned_data["assignee"] == users["technician"]


def test_bulk_form_refuses_people_who_cannot_be_assigned(db, users):
    ticket = make_ticket(requester=users["customer"], status=Status.APPROVED)
    for pk in (users["customer"].pk, users["admin"].pk, make_user(Role.ENGINEER, is_active=False).pk, 999999):
        form = BulkForm({"action": "assign", "tickets": [ticket.pk], "assignee": pk}, ticket_ids=[ticket.pk])
        assert not form.is_valid() and "assignee" in form.errors
    form = BulkForm({"action": "assign", "tickets": [ticket.pk], "assignee": users["engineer"].pk},
                    ticket_ids=[ticket.pk])
    assert form.is_valid() and form.cleaned_data["assignee"] == users["engineer"]


def test_bulk_assign_through_the_queue_still_works(client_for, users):
    ticket = make_ticket(requester=users["customer"], status=Status.APPROVED)
    client = client_for(users["admin"])
    client.post(reverse("tickets:bulk"), {"action": "assign", "tickets": [ticket.pk],
                                          "assignee": users["technician"].pk})
    ticket.refresh_from_db()
    assert ticket.assignee == users["technician"] and ticket.status == Status.ASSIGNED
    client.post(reverse("tickets:bulk"), {"action": "assign", "tickets": [ticket.pk], "assignee": users["customer"].pk})
    ticket.refresh_from_db()
    assert ticket.assignee == users["technician"]


# Badges: the markup of the templates they replace --------------------------------------------

OLD_BADGES = Template(
    '{% load tickets_tags %}'
    '<span class="badge {{ ticket.status|status_class }}">{{ ticket.get_status_display }}</span>\n'
    '<span class="badge {{ ticket.priority|priority_class }}">{{ ticket.get_priority_display }}</span>'
    '{% if ticket.escalation_level %} <span class="badge text-bg-danger">↑{{ ticket.escalation_level }}</span>'
    '{% endif %}{% if sla %} <span class="badge {{ sla.css }} sla-badge" data-sla="{{ sla.state }}" '
    'title="{{ sla.due|date:\'SHORT_DATETIME_FORMAT\' }}">{% if sla.state == "overdue" or sla.state == "missed" %}'
    '⚠ {% endif %}{{ sla.label }}</span>{% endif %}'
)


def _ticket(**fields) -> Ticket:
    fields.setdefault("status", Status.NEW)
    return Ticket(pk=7, title="t", priority=fields.pop("priority", Priority.HIGH), **fields)


@pytest.mark.parametrize("fields", [
    {},  # no deadline
    {"response_due_at": timedelta(minutes=-90)},  # overdue
    {"response_due_at": timedelta(hours=2), "escalation_level": 2},  # due soon
    {"resolution_due_at": timedelta(days=3), "priority": Priority.LOW},  # ok
    {"status": Status.ON_HOLD, "resolution_due_at": timedelta(hours=1)},  # paused
    {"status": Status.RESOLVED, "resolution_due_at": timedelta(hours=1), "resolved_at": timedelta(0)},  # met
    {"status": Status.CLOSED, "resolution_due_at": timedelta(hours=-1), "resolved_at": timedelta(0)},  # missed
    {"status": "unknown", "priority": "odd"},
])
@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland"])
def test_badges_match_the_old_templates(fields, zone):
    from tickets.sla import sla_state

    now = timezone.now()
    fields = {k: now + v if isinstance(v, timedelta) else v for k, v in fields.items()}
    ticket = _ticket(**fields)
    with timezone.override(zone):
        old = OLD_BADGES.render(Context({"ticket": ticket, "sla": sla_state(ticket, now)}))
        assert str(ticket_badges(ticket, now)) == old
