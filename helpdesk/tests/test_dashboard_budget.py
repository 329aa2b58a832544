"""The dashboard composes every app's panels (``<app>/dashboard.py``), so its query budget is held
here, once, for the whole page: with the complete demo data set, and again after more tickets,
comments and notifications arrive, the count must stay the same (no per-row queries) and within
the role's budget. App tests check what their panels show, not this total.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, User
from tickets import services

pytestmark = pytest.mark.django_db

# Queries for one dashboard view with the demo data (session, user, every panel). The admin's is
# exact: 14 since its ticket panels read their ids in one query and their rows in one more, the
# month's response counts come with its ranked rows, the people panel counts in one and the
# facilities panel too (21 before, docs/bench.md; 16 before the facilities' single query).
BUDGET = {Role.ADMIN: 14, Role.ENGINEER: 12, Role.TECHNICIAN: 10, Role.CUSTOMER: 10}


def _count(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _more_work(customer, admin):
    for n in range(6):
        ticket = services.ticket_create(actor=customer, title=f"More work {n}", description="Another case.")
        services.comment_add(actor=admin, ticket=ticket, body="Looking at it.")


@pytest.mark.parametrize("role", list(Role))
def test_dashboard_costs_a_fixed_number_of_queries(role, client, settings):
    settings.FIXDESK_DEMO = True
    call_command("seed_demo", stdout=io.StringIO())
    user = User.objects.filter(role=role, email__endswith="@demo.fixdesk.test").first()
    client.force_login(user)
    client.get(reverse("dashboard"))  # warm per-process caches (content types, site settings)
    before = _count(client)
    _more_work(User.objects.get(email="customer@demo.fixdesk.test"), User.objects.get(email="admin@demo.fixdesk.test"))
    after = _count(client)
    assert after == before, f"{role} dashboard: {before} queries, then {after} with more data"
    assert before <= BUDGET[role], f"{role} dashboard: {before} queries (budget {BUDGET[role]})"
    if role == Role.ADMIN:
        assert before == BUDGET[role], f"admin dashboard: {before} queries, expected {BUDGET[role]}"
