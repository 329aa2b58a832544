"""The capped paginator: exact below the cap, bounded work above it."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tickets.models import Ticket
from tickets.pagination import CappedPaginator
from tickets.tests.conftest import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve(users):
    for i in range(12):
        make_ticket(requester=users["customer"], title=f"Row {i:02d}")
    return Ticket.objects.order_by("-created_at", "-id")


def test_below_the_cap_it_is_django_paginator(twelve):
    capped, plain = CappedPaginator(twelve, 5, cap=100), Paginator(twelve, 5)
    assert not capped.capped and capped.count == plain.count == 12 and capped.count_display == "12"
    assert capped.num_pages == plain.num_pages == 3
    for n in ("1", "3", "9", "x", "0"):
        a, b = capped.get_page(n), plain.get_page(n)
        assert (a.number, list(a), a.has_next()) == (b.number, list(b), b.has_next())


def test_above_the_cap_the_count_stops_and_pages_still_work(twelve):
    paginator = CappedPaginator(twelve, 5, cap=5)
    with CaptureQueriesContext(connection) as ctx:
        assert paginator.count == 6 and paginator.capped and paginator.count_display == "5+"
    assert "LIMIT 6" in ctx.captured_queries[0]["sql"]  # never counts the whole table
    rows = list(twelve)
    first = paginator.get_page("1")
    assert list(first) == rows[:5] and first.has_next() and not first.has_previous()
    assert first.next_page_number() == 2 and (first.start_index(), first.end_index()) == (1, 5)
    last = paginator.get_page("3")  # beyond the counted rows, still reachable
    assert list(last) == rows[10:] and not last.has_next() and last.has_previous()
    assert (last.start_index(), last.end_index()) == (11, 12)
    assert list(paginator.get_page("4")) == rows[:5]  # past the end: first page
    assert paginator.get_page("x").number == 1 and paginator.get_page("-1").number > 0


def test_list_page_and_api_keep_their_counts_and_links(client_for, users, twelve):
    html = client_for(users["admin"]).get(reverse("tickets:list")).content.decode()
    assert html.count("Row ") == 12
    client = client_for(users["admin"])
    data = client.get(reverse("api:ticket-list")).json()
    assert data["count"] == 12 and data["next"] is None and len(data["results"]) == 12
