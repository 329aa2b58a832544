"""No state change on GET: every route from the resolver (Django admin aside) is requested with
GET by every role, with query strings an attacker would try, and no table changes, not even a
read receipt (opening a notification or a conversation is a POST)."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from helpdesk.tests.routes import all_routes
from helpdesk.tests.test_access_matrix import ROLE_ORDER, _kw

HOSTILE_QUERY = {"action": "close", "confirm": "1", "delete": "1", "status": "closed", "role": "admin",
                 "next": "https://evil.example/"}
# Tables a GET may legitimately write: sessions (login state), axes' access log, django-q.
ALLOWED_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}


def _snapshot():
    state = {}
    for model in apps.get_models():
        if model._meta.db_table in ALLOWED_TABLES or model._meta.app_label == "django_q":
            continue
        state[model._meta.label] = list(model.objects.order_by("pk").values())
    return state


@pytest.mark.django_db
def test_get_changes_nothing_anywhere(world):
    clients = {"anon": Client()}
    for role in ROLE_ORDER[1:]:
        clients[role] = Client()
        clients[role].force_login(world.users[role], backend="accounts.backends.EmailBackend")
    before = _snapshot()
    for route in all_routes():
        for whose in ("mine", "theirs"):
            url = reverse(route.name, kwargs=_kw(route, world, whose))
            for client in clients.values():
                client.get(url, HOSTILE_QUERY)
    after = _snapshot()
    changed = {label: (len(before[label]), len(after[label])) for label in before if before[label] != after[label]}
    assert not changed, f"GET requests changed these tables: {changed}"
