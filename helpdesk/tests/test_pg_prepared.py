"""PG_PREPARE_THRESHOLD: opt-in server-side binding and prepared statements on PostgreSQL
(helpdesk/settings.py; docs/bench.md, "PostgreSQL planning")."""

import json
import os
import subprocess
import sys
from copy import deepcopy

import pytest
from django.conf import settings
from django.db import connection, connections

from tickets import selectors
from tickets.api import API_DEFERRED, API_RELATED
from tickets.tests.conftest import make_ticket

OPTIONS_CODE = ("import django, json; django.setup(); from django.db import connection; "
                "print(json.dumps(connection.settings_dict.get('OPTIONS', {}), default=str))")


def _options(database_url: str, threshold: str | None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "helpdesk.settings"}
    env.pop("PG_PREPARE_THRESHOLD", None)
    if threshold is not None:
        env["PG_PREPARE_THRESHOLD"] = threshold
    # Reads the settings only: no connection is opened, so the database need not exist.
    return subprocess.run([sys.executable, "-c", OPTIONS_CODE], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120)


def _parsed(result) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_prepared_statements_are_off_unless_asked_for():
    options = _parsed(_options("postgres://u@127.0.0.1:5432/none", None))
    assert "server_side_binding" not in options and "prepare_threshold" not in options


def test_threshold_turns_on_server_side_binding_on_postgresql_only():
    options = _parsed(_options("postgres://u@127.0.0.1:5432/none", "5"))
    assert options["server_side_binding"] is True and options["prepare_threshold"] == 5
    sqlite = _parsed(_options("sqlite:////tmp/none.sqlite3", "5"))
    assert "server_side_binding" not in sqlite and "prepare_threshold" not in sqlite


def test_threshold_zero_is_refused():
    result = _options("postgres://u@127.0.0.1:5432/none", "0")
    assert result.returncode != 0 and "PG_PREPARE_THRESHOLD must be 1 or more" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_the_api_rows_by_id_query_ends_prepared_with_a_generic_plan(admin, customer):
    """The query ``fetch_rows`` runs second on PostgreSQL (the page's rows by id with the API's
    joins), over a connection configured as PG_PREPARE_THRESHOLD=2 configures it: after a few
    pages PostgreSQL runs it from a generic plan (no planning) and returns the same rows."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    tickets = [make_ticket(requester=customer, title=f"prepared {i}") for i in range(3)]
    qs = selectors.ticket_list(user=admin, filters={}).select_related(*API_RELATED).defer(*API_DEFERRED)
    sql, params = qs.filter(pk__in=[t.pk for t in tickets]).order_by("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        expected = cursor.fetchall()
    settings_dict = deepcopy(connection.settings_dict)
    settings_dict["OPTIONS"] = {**settings_dict.get("OPTIONS", {}), "server_side_binding": True,
                                "prepare_threshold": 2}
    prepared = type(connections["default"])(settings_dict, alias="prepared_test")
    try:
        with prepared.cursor() as cursor:
            for _ in range(12):  # 2 to be prepared, then 5 custom plans, then generic ones
                cursor.execute(sql, params)
                assert cursor.fetchall() == expected
            cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                           "WHERE statement LIKE %s", ['SELECT "tickets_ticket"."id", "tickets_ticket"."title"%'])
            plans = cursor.fetchall()
    finally:
        prepared.close()
    assert len(plans) == 1
    generic, custom = plans[0]
    assert custom == 5 and generic >= 1, plans
