"""What is measured: the scenarios, their URLs, their query counts, and the timed sweep commands."""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode


@dataclass
class Scenario:
    """One measured request: who sends it, to which URL (by name), with what."""

    name: str
    role: str | None  # None: anonymous
    url_name: str
    args: tuple | str = ()  # a string names a fixture filled in at run time ("long_ticket")
    query: dict = field(default_factory=dict)
    method: str = "GET"
    body: dict | None = None
    api: bool = False  # signs in with the role's API token instead of the session cookie
    alternatives: tuple = ()  # other URL names tried when the first does not resolve


SCENARIOS = [
    Scenario("floor (healthz)", None, "healthz"),
    Scenario("login page", None, "accounts:login"),
    # The cheapest signed-in page (session, user, the layout and a three-field form): every page
    # below pays this much before its own work.
    Scenario("signed-in layout (password form)", "admin", "accounts:password_change"),
    Scenario("dashboard (admin)", "admin", "dashboard"),
    Scenario("dashboard (customer)", "customer", "dashboard"),
    Scenario("queue, first page", "admin", "tickets:queue"),
    Scenario("queue, deep page", "admin", "tickets:queue", query={"page": "deep"}),
    Scenario("queue, filtered", "admin", "tickets:queue", query={"status": "in_progress", "priority": "high"}),
    Scenario("queue, searched", "admin", "tickets:queue", query={"q": "leak"}),
    Scenario("all tickets, deep page", "admin", "tickets:list", query={"page": "deep"}),
    Scenario("all tickets, deep cursor", "admin", "tickets:list", query={"cursor": "deep"}),
    Scenario("my tickets (customer)", "customer", "tickets:list"),
    Scenario("my jobs (technician)", "technician", "tickets:jobs"),
    Scenario("ticket, long history", "admin", "tickets:detail", args="long_ticket"),
    Scenario("report form (customer)", "customer", "tickets:create"),
    Scenario("API ticket list", "admin", "api:ticket-list", api=True, alternatives=("api:tickets-list",)),
    Scenario("API ticket list, deep cursor", "admin", "api:ticket-list", api=True, query={"cursor": "deep"},
             alternatives=("api:tickets-list",)),
    Scenario("API ticket create", "customer", "api:ticket-list", api=True, method="POST",
             alternatives=("api:tickets-list",),
             body={"title": "Bench: radiator cold", "description": "Created by the benchmark.",
                   "priority": "normal"}),
    Scenario("knowledge search", "engineer", "knowledge:search", query={"q": "pump"},
             alternatives=("knowledge:list",)),
    Scenario("reliability figures", "engineer", "knowledge:reliability"),
]
SWEEP_COMMANDS = ("escalate_tickets",)


def resolve(scenario: Scenario, fixtures: dict) -> str | None:
    """The scenario's path, or None when no URL name of it resolves yet (NoReverseMatch)."""
    from django.urls import NoReverseMatch, reverse

    args = scenario.args
    if isinstance(args, str):
        args = (fixtures[args],) if fixtures.get(args) else ()
        if not args:
            return None
    for name in (scenario.url_name, *scenario.alternatives):
        try:
            path = reverse(name, args=args)
        except NoReverseMatch:
            continue
        query = dict(scenario.query)
        if query.get("page") == "deep":
            query["page"] = str(fixtures["deep_page"])
        if query.get("cursor") == "deep":
            query["cursor"] = fixtures.get("deep_cursor") or ""
        return path + (f"?{urlencode(query)}" if query else "")
    return None


def count_queries(path: str, scenario: Scenario, user_email: str | None) -> int | None:
    """Queries the view runs for this request, counted in-process with Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    if scenario.method != "GET":
        return None
    client = Client()
    if user_email:
        client.force_login(User.objects.get(email=user_email))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    if response.status_code != 200:
        return None
    # Session and user lookups of the test client's own sign-in are part of any real request too.
    return len(ctx.captured_queries)


def timed_sweeps() -> list[dict]:
    from django.core.management import call_command, get_commands

    out = []
    for name in SWEEP_COMMANDS:
        if name not in get_commands():
            out.append({"name": f"sweep: {name}", "role": "operator", "status": "skipped: not built yet",
                        "rps": 0})
            continue
        printed = io.StringIO()
        t0 = time.perf_counter()
        call_command(name, stdout=printed)
        took = (time.perf_counter() - t0) * 1e6
        said = printed.getvalue().strip().splitlines()
        out.append({"name": f"sweep: {name}", "role": "operator", "p50": took, "p95": took, "rps": 0,
                    "status": f"ok (one run: {said[-1]})" if said else "ok (one run)"})
    return out
