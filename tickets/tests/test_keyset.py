"""Keyset ("cursor") pages of the ticket lists and the API (issue 11): constant cost however deep
(no OFFSET), every allow-listed sort, and pages that join up with no duplicate and no gap while
tickets are being created."""

import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tickets import selectors
from tickets.models import Priority, Status, Ticket
from tickets.pagination import KEYSET_FROM_PAGE, KEYSET_QUERIES, keyset_page
from tickets.tests.conftest import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(users):
    """40 tickets with ties on every sort key (same created_at in threes, four priorities,
    a few statuses, due times with gaps of NULL)."""
    now = timezone.now()
    statuses = [Status.NEW, Status.APPROVED, Status.IN_PROGRESS, Status.CLOSED]
    for n in range(40):
        t = make_ticket(requester=users["customer"], title=f"Case {n % 13:02d}", priority=Priority.values[n % 4],
                        status=statuses[n % 4], assignee=users["technician"] if n % 4 == 2 else None)
        Ticket.objects.filter(pk=t.pk).update(
            created_at=now - (n // 3) * timedelta(minutes=5),
            resolution_due_at=None if n % 5 == 0 else now + (n % 7) * timedelta(hours=1))
    return users["admin"]


def _walk(qs, per_page, *, between=None):
    """Follow the "next" cursors from the first page to the end."""
    seen, token = [], ""
    for step in itertools.count():
        page = keyset_page(qs, per_page, token)
        seen += [t.pk for t in page]
        if between:
            between(step)
        if not page.has_next():
            return seen
        token = page.next_cursor


@pytest.mark.parametrize("sort", sorted(selectors.SORTS) + [""])
def test_every_sort_pages_through_the_same_rows_as_the_full_list(many, sort):
    qs = selectors.ticket_list(user=many, sort=sort)
    assert _walk(qs, 7) == [t.pk for t in qs]


def test_previous_returns_the_page_before(many):
    qs = selectors.ticket_list(user=many, sort="priority")
    first = keyset_page(qs, 6, "")
    second = keyset_page(qs, 6, first.next_cursor)
    third = keyset_page(qs, 6, second.next_cursor)
    back = keyset_page(qs, 6, third.previous_cursor)
    assert [t.pk for t in back] == [t.pk for t in second]
    assert back.has_previous() and back.has_next()
    assert [t.pk for t in keyset_page(qs, 6, back.previous_cursor)] == [t.pk for t in first]
    assert not keyset_page(qs, 6, back.previous_cursor).has_previous()


def test_pages_join_up_while_tickets_are_created(many, users):
    qs = selectors.ticket_list(user=many)  # newest first: new tickets land above the reader
    before = [t.pk for t in qs]
    title_qs = selectors.ticket_list(user=many, sort="title")  # new tickets land among the rows

    def create(step):
        make_ticket(requester=users["customer"], title=f"Case {step:02d} late")

    assert _walk(qs, 6, between=create) == before
    walked = _walk(title_qs, 6, between=create)
    assert len(walked) == len(set(walked))  # no duplicate
    assert set(before) <= set(walked)  # no gap: every ticket there from the start is on a page


def test_a_deep_cursor_page_reads_no_offset(many):
    qs = selectors.ticket_list(user=many)
    rows = list(qs)
    from tickets.pagination import encode_cursor

    with CaptureQueriesContext(connection) as ctx:
        page = keyset_page(qs, 5, encode_cursor(rows[30], qs))
    assert [t.pk for t in page] == [t.pk for t in rows[31:36]]
    assert len(ctx.captured_queries) <= KEYSET_QUERIES  # ids from two index ranges, then the rows by id
    assert not any("OFFSET" in q["sql"].upper() for q in ctx.captured_queries)


def test_list_page_continues_by_cursor_and_ignores_a_bad_one(client_for, users, many, settings):
    client = client_for(users["admin"])
    import tickets.views

    per_page = tickets.views.PER_PAGE
    tickets.views.PER_PAGE = 2  # 40 tickets: page KEYSET_FROM_PAGE has a next one
    try:
        html = client.get(reverse("tickets:list"), {"page": KEYSET_FROM_PAGE}).content.decode()
        assert "cursor=" in html
        cursor = html.split("cursor=")[1].split('"')[0]
        with CaptureQueriesContext(connection) as ctx:
            deep = client.get(reverse("tickets:list"), {"cursor": cursor})
        assert deep.status_code == 200
        assert not any("OFFSET" in q["sql"].upper() for q in ctx.captured_queries)
        assert 'rel="prev"' in deep.content.decode() and "First page" in deep.content.decode()
        assert client.get(reverse("tickets:list"), {"cursor": "not-a-cursor!"}).status_code == 200
        assert client.get(reverse("tickets:queue"), {"cursor": ""}).status_code == 200
    finally:
        tickets.views.PER_PAGE = per_page


def test_api_cursor_pages(client_for, users, many):
    client = client_for(users["admin"])
    url = reverse("api:ticket-list")
    everything = [t.pk for t in selectors.ticket_list(user=users["admin"])]
    first = client.get(url, {"cursor": ""}).json()
    assert "count" not in first and first["previous"] is None and len(first["results"]) == 25
    second = client.get(first["next"]).json()
    assert [t["id"] for t in first["results"] + second["results"]] == everything[:40]
    assert second["next"] is None and second["previous"]
    assert [t["id"] for t in client.get(second["previous"]).json()["results"]] == everything[:25]
    bad = client.get(url, {"cursor": "zzz"})
    assert bad.status_code == 400 and "cursor" in bad.json()["errors"]
    numbered = client.get(url, {"page": 2}).json()  # the page-number contract is unchanged
    assert numbered["count"] == 40 and [t["id"] for t in numbered["results"]] == everything[25:40]
