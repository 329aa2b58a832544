"""The ticket page's timeline: the newest entries, then "Show earlier activity" pages, same rules."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tickets import selectors
from tickets.models import Comment, Status, TicketEvent
from tickets.tests.conftest import make_ticket

EARLIER = re.compile(r'href="(/tickets/\d+/timeline/\?before=[^"#]+)#timeline"')


def _history(ticket, users, n, *, start=None, same_time=False):
    """``n`` comments (every third an internal note) and ``n`` status events, one minute apart."""
    start = start or timezone.now() - timedelta(days=30)
    comments = Comment.objects.bulk_create([
        Comment(ticket=ticket, author=users["engineer"] if i % 3 == 0 else users["customer"],
                body=f"{'SECRET' if i % 3 == 0 else 'Note'}-{i:04d}", is_internal=i % 3 == 0)
        for i in range(n)
    ])
    events = TicketEvent.objects.bulk_create([
        TicketEvent(ticket=ticket, actor=users["admin"], action="update", changes={"priority": ["low", "high"],
                    "internal_note": f"HIDDEN-{i:04d}"}, ticket_version=i + 2)
        for i in range(n)
    ])
    for i, (comment, event) in enumerate(zip(comments, events, strict=True)):
        at = start if same_time else start + timedelta(minutes=i)
        Comment.objects.filter(pk=comment.pk).update(created_at=at)
        TicketEvent.objects.filter(pk=event.pk).update(created_at=at)


def _walk(client, url):
    """Follow "Show earlier activity" without JavaScript; the pages' HTML, newest page first."""
    pages = []
    while url:
        html = client.get(url).content.decode()
        pages.append(html)
        match = EARLIER.search(html)
        url = match[1].replace("&amp;", "&") if match else None
        assert len(pages) < 100
    return pages


@pytest.fixture
def long_ticket(users):
    ticket = make_ticket(requester=users["customer"], status=Status.IN_PROGRESS, assignee=users["technician"])
    _history(ticket, users, 30)
    return ticket


@pytest.mark.parametrize("role", ["admin", "engineer", "technician", "customer"])
def test_every_entry_is_reachable_once_and_internal_ones_only_by_staff(client_for, users, long_ticket, settings,
                                                                      role):
    settings.FIXDESK_TIMELINE_PAGE_SIZE = 7
    client = client_for(users[role])
    pages = _walk(client, reverse("tickets:detail", args=[long_ticket.pk]))
    text = "".join(pages)
    notes = re.findall(r"(?:Note|SECRET)-\d{4}", text)
    staff = role != "customer"
    expected = [f"{'SECRET' if i % 3 == 0 else 'Note'}-{i:04d}" for i in range(30) if staff or i % 3]
    assert sorted(notes) == sorted(expected)  # each once, none lost, none twice
    assert ("SECRET" in text) is staff and "HIDDEN-" not in text
    assert text.count("changed priority") == 30  # every event too, once
    assert len(pages) > 3  # several pages of at most 7 entries
    assert all(p.count('class="border-start') + p.count('class="card mb-2') <= 7 for p in pages)


def test_ticket_page_shows_newest_entries_oldest_first(client_for, users, long_ticket, settings):
    settings.FIXDESK_TIMELINE_PAGE_SIZE = 4
    html = client_for(users["admin"]).get(reverse("tickets:detail", args=[long_ticket.pk])).content.decode()
    assert re.findall(r"(?:Note|SECRET)-\d{4}", html) == ["Note-0028", "Note-0029"]
    assert "Show earlier activity" in html and "Note-0027" not in html


def test_short_timeline_has_no_earlier_link(client_for, users):
    ticket = make_ticket(requester=users["customer"])
    html = client_for(users["customer"]).get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert "reported the ticket" in html and "Show earlier activity" not in html


def test_entries_at_the_same_instant_are_neither_lost_nor_repeated(users):
    ticket = make_ticket(requester=users["customer"])
    TicketEvent.objects.filter(ticket=ticket).delete()
    _history(ticket, users, 10, same_time=True)
    full = [(i["kind"], i["id"]) for i in selectors.timeline_for(users["admin"], ticket)]
    got, before = [], ""
    while True:
        page = selectors.timeline_page(users["admin"], ticket, before=before, size=3)
        got = [(i["kind"], i["id"]) for i in page.items] + got
        if not page.earlier:
            break
        before = page.earlier
    assert got == full and len(full) == 20


def test_htmx_gets_the_entries_in_place_of_the_link(client_for, users, long_ticket, settings):
    settings.FIXDESK_TIMELINE_PAGE_SIZE = 5
    client = client_for(users["customer"])
    first = client.get(reverse("tickets:detail", args=[long_ticket.pk])).content.decode()
    url = EARLIER.search(first)[1].replace("&amp;", "&")
    response = client.get(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and "HX-Request" in response["Vary"]
    assert 'id="timeline-earlier"' in html  # the next link replaces the one clicked
    assert html.count("data-timeline-focus") == 1  # focus goes to the first entry loaded
    assert 'hx-swap-oob="innerHTML"' in html and "earlier entries shown" in html
    assert "SECRET" not in html and "HIDDEN" not in html
    # Without htmx the same URL is a whole page with a way back to the ticket.
    page = client.get(url).content.decode()
    assert "<html" in page and "Earlier activity" in page and long_ticket.get_absolute_url() in page


@pytest.mark.parametrize("before", ["x", "1.2.3", "99999999999999999.0.1", "-1.0.1", "1.0.", "1.0.1" * 50])
def test_a_cursor_that_is_not_ours_shows_the_newest_entries(client_for, users, long_ticket, before):
    response = client_for(users["admin"]).get(reverse("tickets:timeline", args=[long_ticket.pk]), {"before": before})
    assert response.status_code == 200 and "Note-0029" in response.content.decode()


@pytest.mark.parametrize("role,status", [("admin", 200), ("engineer", 200), ("technician", 404), ("customer", 404)])
def test_timeline_of_a_ticket_out_of_reach_is_404(client_for, users, other_customer, role, status):
    foreign = make_ticket(requester=other_customer)
    response = client_for(users[role]).get(reverse("tickets:timeline", args=[foreign.pk]), {"before": "1.0.1"})
    assert response.status_code == status


def test_anonymous_is_sent_to_login(client_for, long_ticket):
    response = client_for(None).get(reverse("tickets:timeline", args=[long_ticket.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["tickets:detail", "tickets:timeline"])
def test_query_count_does_not_grow_with_the_history(client_for, users, place, name):
    counts = {}
    for n in (5, 200):
        ticket = make_ticket(requester=users["customer"], site=place["site"], status=Status.IN_PROGRESS,
                             assignee=users["technician"])
        _history(ticket, users, n)
        client = client_for(users["admin"])
        client.get(reverse(name, args=[ticket.pk]))  # warm the session and caches alike for both
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name, args=[ticket.pk]))
        assert response.status_code == 200
        counts[n] = len(queries)
    assert counts[5] == counts[200], counts


# The loop that ``{% timeline_items %}`` replaced, kept to hold the tag to the same markup.
TEMPLATE_LOOP = """{% load i18n tickets_tags %}
    {% for item in timeline.items %}
      {% if item.kind == "comment" %}{% with c=item.comment %}
      <li class="card mb-2{% if c.is_internal %} border-warning bg-warning-subtle{% endif %}"{% if forloop.first and focus_first %} tabindex="-1" data-timeline-focus{% endif %}>
        <div class="card-body py-2">
          <p class="small text-body-secondary mb-1"><strong>{{ c.author.get_full_name }}</strong> · <time datetime="{{ c.created_at|date:'c' }}">{{ c.created_at|date:"SHORT_DATETIME_FORMAT" }}</time>{% if c.is_internal %} · <span class="badge text-bg-warning">{% translate "Internal note" %}</span>{% endif %}</p>
          <div class="text-prewrap">{{ c.body|urlize }}</div>
        </div>
      </li>{% endwith %}
      {% else %}
      <li class="border-start border-3 ps-2 mb-2 small"{% if forloop.first and focus_first %} tabindex="-1" data-timeline-focus{% endif %}>
        <span class="text-body-secondary"><time datetime="{{ item.at|date:'c' }}">{{ item.at|date:"SHORT_DATETIME_FORMAT" }}</time></span>
        {{ item.event|event_summary }}
        {% if item.changes.comment %}<div class="text-prewrap">{{ item.changes.comment|urlize }}</div>{% endif %}
      </li>
      {% endif %}
    {% endfor %}
"""  # noqa: E501


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/New_York"])
def test_the_timeline_tag_writes_what_the_template_loop_wrote(users, zone):
    from django.template import Context, Template

    users["engineer"].first_name = 'Ann & "Bo" <x>'
    at = timezone.now() - timedelta(days=200)
    comment = Comment(author=users["engineer"], body='See https://example.com/a?b=1&c=<2> and\n"x" <b>y</b>',
                      is_internal=True, created_at=at)
    public = Comment(author=users["customer"], body="Plain www.example.org text", is_internal=False,
                     created_at=at + timedelta(hours=13))
    hold = TicketEvent(actor=users["admin"], action="hold", from_status="in_progress", to_status="on_hold",
                       changes={"comment": "Waiting for <parts> at https://parts.example.com"}, created_at=at)
    update = TicketEvent(actor=None, action="update", changes={"priority": ["low", "high"]}, created_at=at)
    items = [
        {"kind": "comment", "at": at, "id": 1, "comment": comment},
        {"kind": "event", "at": at + timedelta(minutes=1), "id": 2, "event": hold, "changes": dict(hold.changes)},
        {"kind": "comment", "at": public.created_at, "id": 3, "comment": public},
        {"kind": "event", "at": at + timedelta(days=1), "id": 4, "event": update, "changes": {"comment": ""}},
    ]
    with timezone.override(zone):
        for focus_first in (False, True):
            context = {"timeline": {"items": items}, "focus_first": focus_first}
            expected = Template(TEMPLATE_LOOP).render(Context(context))
            got = Template("{% load tickets_tags %}\n    {% timeline_items timeline.items focus_first %}\n").render(
                Context(context))
            assert got == expected
    assert 'rel="nofollow"' in got and "&lt;parts&gt;" in got and "data-timeline-focus" in got
