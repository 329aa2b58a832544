"""Filter and ordering parameters are allow-listed: a query string reaching into related fields
(passwords included) is ignored or refused on every list page and API list from the resolver; it
never changes which rows come back or their order, and never gives a 500."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from helpdesk.tests.routes import all_routes
from helpdesk.tests.test_access_matrix import EXPECT, _kw

SORT_KEYS = ("sort", "ordering", "o")
FIELDS = ("requester__password", "assignee__password", "author__password", "recipient__password")
FILTERS = [{f"{field}__startswith": "zzz"} for field in FIELDS] + [
    {"requester__password__regex": "^zzz"}, {"requester__is_superuser": "1"}, {"id__in": "0"},
    {"status__in": "nope"}, {"page_size": "100000"},
]
# Values that legitimately narrow a list or point past its end: never a 500, never more rows.
ODD_VALUES = [{"q": "') OR 1=1 --"}, {"q": "%"}, {"page": "-1"}, {"page": "99999"}, {"page": "1e9"},
              {"sort": "__class__"}, {"status": "<script>"}]
HREF = re.compile(r'href="(/[a-z-]+/(?:[a-z-]+/)?\d+/)"')


def _sequence(response):
    """The rows a list shows, in order: object links of a page, ids of an API answer."""
    if "json" in response.get("Content-Type", ""):
        ids = []

        def walk(node):
            if isinstance(node, dict):
                if "id" in node:
                    ids.append(node["id"])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(json.loads(response.content))
        return ids
    return HREF.findall(response.content.decode(errors="replace"))


def _list_routes(role_index):
    return [r for r in all_routes() if EXPECT[r.name][role_index] == 200 and not r.kwargs
            and not r.name.startswith(("api-", "accounts:")) and r.name != "healthz"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "customer"])
def test_hostile_filters_and_orderings_are_ignored(world, role):
    client = Client()
    client.force_login(world.users[role], backend="accounts.backends.EmailBackend")
    routes = _list_routes(("anon", "admin", "engineer", "technician", "customer").index(role))
    assert len(routes) > 10
    hostile = [{key: f"{sign}{field}"} for key in SORT_KEYS for field in FIELDS for sign in ("", "-")] + FILTERS
    wrong = {}
    for route in routes:
        url = reverse(route.name, kwargs=_kw(route, world, "mine"))
        baseline = client.get(url)
        expected = _sequence(baseline)
        for params in hostile:
            response = client.get(url, params)
            if response.status_code == 400:
                continue  # refused outright is fine
            if response.status_code != baseline.status_code or _sequence(response) != expected:
                wrong.setdefault(route.name, []).append((params, response.status_code))
        for params in ODD_VALUES:
            response = client.get(url, params)
            if response.status_code >= 500 or (response.status_code == 200
                                                and len(_sequence(response)) > len(expected)):
                wrong.setdefault(route.name, []).append((params, response.status_code))
    assert not wrong, wrong
