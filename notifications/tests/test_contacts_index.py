"""Whom a customer may write to reads the assignees of their tickets from ticket_live_requester_idx
alone (its last column is the assignee): no table page per ticket, which at 1,000,000 tickets cost
a customer with 20,000 of them 75 ms warm and 1 s cold (docs/bench.md)."""

import pytest
from django.db import connection

from accounts.models import Role
from notifications.selectors import contacts_for
from tickets.models import Status
from tickets.tests.conftest import make_ticket

pytestmark = [pytest.mark.skipif(connection.vendor not in ("sqlite", "postgresql"), reason="plan wording"),
              pytest.mark.django_db(transaction=True)]  # VACUUM runs outside a transaction


def _plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return " / ".join(row[-1] for row in cursor.fetchall())
        # As after autovacuum (the visibility map says what an index-only scan may skip), with the
        # scans a small test table would prefer turned off.
        cursor.execute("VACUUM ANALYZE tickets_ticket")
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
        try:
            cursor.execute(f"EXPLAIN {sql}", params)
            return " / ".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")


def test_a_customers_assignees_are_read_from_the_index_alone(user_factory):
    customer, others = user_factory(Role.CUSTOMER), [user_factory(Role.CUSTOMER) for _ in range(5)]
    staff = [user_factory(Role.TECHNICIAN) for _ in range(3)]
    for n in range(60):
        make_ticket(requester=customer if n % 3 == 0 else others[n % 5], status=Status.ASSIGNED,
                    assignee=staff[n // 3 % 3])
    qs = contacts_for(customer)
    assert set(qs.filter(role=Role.TECHNICIAN)) == set(staff)
    plan = _plan(qs)
    if connection.vendor == "sqlite":
        assert "COVERING INDEX ticket_live_requester_idx (requester_id=?" in plan, plan
    else:
        assert "Index Only Scan using ticket_live_requester_idx" in plan, plan
