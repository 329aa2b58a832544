"""The list pages' rows: ``{% ticket_rows %}`` writes what the template loop it replaced wrote,
byte for byte, on real list rows (the selector's, with their URLs) of every shape."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from tickets import selectors
from tickets.models import Category, Status, Ticket
from tickets.presentation import with_urls
from tickets.tests.conftest import make_ticket

# The loop that ``{% ticket_rows %}`` replaced (templates/tickets/includes/ticket_rows.html).
TEMPLATE_LOOP = """{% load i18n tickets_tags %}<tbody>
  {% for ticket in page_obj %}
    <tr>
      {% if bulk %}<td><input class="form-check-input" type="checkbox" name="tickets" value="{{ ticket.pk }}" form="bulk-form" aria-label="{% blocktranslate with ref=ticket.reference %}Select {{ ref }}{% endblocktranslate %}"></td>{% endif %}
      <td><a href="{{ ticket.url }}" class="fw-semibold">{{ ticket.reference }}</a><br>{{ ticket.title }}{% if ticket.category %} <small class="text-body-secondary">· {{ ticket.category }}</small>{% endif %}</td>
      <td>{% ticket_badges ticket %}</td>
      <td class="d-none d-md-table-cell">{{ ticket.site|default:"" }}{% if ticket.location %}<br><small>{{ ticket.location }}</small>{% endif %}</td>
      {% if show_requester %}<td class="d-none d-md-table-cell">{{ ticket.requester.get_full_name }}</td>{% endif %}
      <td>{% if ticket.assignee %}{{ ticket.assignee.get_full_name }}{% else %}<span class="text-body-secondary">{% translate "Not assigned yet" %}</span>{% endif %}</td>
      <td class="d-none d-lg-table-cell"><time datetime="{{ ticket.created_at|date:'c' }}">{{ ticket.created_at|date:"SHORT_DATETIME_FORMAT" }}</time></td>
    </tr>
  {% empty %}
    <tr><td colspan="7" class="text-body-secondary">{% translate "No tickets match." %}</td></tr>
  {% endfor %}
  </tbody>"""  # noqa: E501
TAG = """{% load i18n tickets_tags %}<tbody>
  {% ticket_rows page_obj bulk show_requester %}
  </tbody>"""


@pytest.fixture
def rows(users, place):
    users["customer"].first_name = 'Ann & "Bo" <x>'
    users["customer"].save()
    odd = Category.objects.create(name="Heating <&> \"cold\"")
    past = timezone.now() - timedelta(days=40)
    make_ticket(requester=users["customer"], title='<script>alert("x")</script> & more', category=odd,
                site=place["site"], location=place["room"], status=Status.IN_PROGRESS, assignee=users["technician"],
                escalation_level=2, resolution_due_at=past, response_due_at=past)
    make_ticket(requester=users["customer"], title="No place, no category")
    make_ticket(requester=users["engineer"], title="Site only", site=place["other_site"], status=Status.ASSIGNED,
                assignee=users["engineer"], resolution_due_at=timezone.now() + timedelta(hours=3))
    make_ticket(requester=users["customer"], title="Closed", status=Status.CLOSED, category=place["category"])
    Ticket.objects.filter(title="Closed").update(created_at=past.replace(hour=23, minute=30))
    return with_urls(selectors.ticket_rows_only(selectors.ticket_list(user=users["admin"])))


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/New_York"])
def test_the_rows_tag_writes_what_the_template_loop_wrote(rows, zone):
    assert len(rows) == 4
    with timezone.override(zone):
        for bulk in (None, object()):
            for show_requester in (False, True):
                context = {"page_obj": rows, "bulk": bulk, "show_requester": show_requester}
                expected = Template(TEMPLATE_LOOP).render(Context(context))
                assert Template(TAG).render(Context(context)) == expected
    assert "&lt;script&gt;" in expected and "Ann &amp; &quot;Bo&quot;" in expected and "↑2" in expected
    assert 'aria-label="Select ' in expected and "Not assigned yet" in expected


def test_no_rows_and_missing_arguments_write_what_the_template_loop_wrote(db):
    for context in ({"page_obj": []}, {"page_obj": [], "bulk": "x", "show_requester": True}):
        expected = Template(TEMPLATE_LOOP).render(Context(context))
        assert Template(TAG).render(Context(context)) == expected
    assert "No tickets match." in expected
