"""The admin dashboard's SLA panels: open work, breached and at-risk tickets, response and
resolution times, SLA compliance over 30 days, with server-drawn SVG charts (no CDN, no JS)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import connections
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Window,
)
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from tickets import selectors
from tickets.models import OPEN_STATUSES, Priority, Status
from tickets.presentation import with_urls
from tickets.sla import RUNNING, due_soon_window, humanize_span, status_in

TEMPLATE = "tickets/includes/sla_dashboard.html"
LISTS = "tickets/includes/sla_dashboard_lists.html"
DAYS = 30
PRIORITY_ORDER = [Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW]
_MATRIX_RECT = '<rect class="sla-p-{}" x="{}" y="0" width="{}" height="10"><title>{}: {}</title></rect>'
_DAY_RECT = '<rect class="sla-r-{}" x="{}" y="{}" width="{}" height="{}"><title>{}: {} {}</title></rect>'


def _span(qs, done: str):
    """``done - created_at`` as an expression to order by, computed natively by the database.

    On SQLite Django subtracts datetimes with a Python function called twice per row (and
    TruncDate likewise), which made the month's percentiles most of the admin dashboard's cost;
    ``julianday`` differences order the rows the same (to the millisecond; spans are shown in
    minutes).
    """
    if connections[qs.db].vendor == "sqlite":
        return (Func(F(done), function="julianday", output_field=FloatField())
                - Func(F("created_at"), function="julianday", output_field=FloatField()))
    return ExpressionWrapper(F(done) - F("created_at"), output_field=DurationField())


def _ranked(qs, done: str, counts: dict | None = None) -> tuple[dict, dict]:
    """Median and 90th percentile (nearest rank, as ``tickets.escalation.percentile``) of
    ``done - created_at`` over ``qs``, and ``counts`` (name -> ``Count(..., filter=...)``) over
    the same rows, in one query: the database numbers the rows by that span, counts them in the
    same window, and returns only the rows at the two ranks (each carrying the counts)."""
    pcts = {"median": 50, "p90": 90}
    windows = {"rn": Window(RowNumber(), order_by=[_span(qs, done).asc(), F("pk").asc()]),
               "total": Window(Count("pk")),
               **{name: Window(count) for name, count in (counts or {}).items()}}
    rows = _at_ranks(qs.order_by().annotate(**windows).values("rn", "total", done, "created_at", *(counts or {})),
                     pcts.values())
    if not rows:
        return {"n": 0, "median": "–", "p90": "–"}, {name: 0 for name in counts or {}}
    first = rows[0]
    spans = {row["rn"]: row[done] - row["created_at"] for row in rows}
    ranks = {key: max(1, -(-pct * first["total"] // 100)) for key, pct in pcts.items()}
    stats = {"n": first["total"], **{key: humanize_span(spans[rank]) for key, rank in ranks.items()}}
    return stats, {name: first[name] for name in counts or {}}


def _at_ranks(numbered, pcts) -> list[dict]:
    """The rows of ``numbered`` (a ``values()`` queryset with ``rn`` and ``total`` windows) whose
    ``rn`` is the nearest rank ``ceil(pct/100 * total)`` of one of ``pcts``, as ``values()`` gives them.

    Filtering on the windows in the ORM makes Django build its QUALIFY emulation, whose Python
    (a second query wrapped around the first, its WHERE split and compiled again) was about 1 ms
    of the admin dashboard per call; here Django's own SQL and params are wrapped once and its
    column converters (dates on SQLite) applied to the rows, as ``values()`` would.
    """
    compiler = numbered.query.get_compiler(numbered.db)
    sql, params = compiler.as_sql()
    ranks = " OR ".join(f"numbered.rn = (numbered.total * {pct:d} + 99) / 100" for pct in pcts)
    with connections[numbered.db].cursor() as cursor:
        cursor.execute(f"SELECT * FROM ({sql}) AS numbered WHERE {ranks}", params)  # nosec B608  # noqa: S608
        rows = cursor.fetchall()
    columns = compiler.select[:compiler.col_count]  # (expression, sql, alias), in the SELECT's order
    converters = compiler.get_converters([expr for expr, _sql, _alias in columns])
    names = [alias for _expr, _sql, alias in columns]
    return [dict(zip(names, row, strict=True)) for row in compiler.apply_converters(rows, converters)]


def _stats(qs, done: str, n: int) -> dict:
    """Median and 90th percentile of ``done - created_at`` over ``qs`` (``n`` rows; see ``_ranked``)."""
    if not n:
        return {"n": 0, "median": "–", "p90": "–"}
    return _ranked(qs, done)[0]


class _DayIndex(Func):
    """Which of ``midnights`` (ascending) ``field`` falls before first, as ``i - 1``; -1 before the
    first, ``len(midnights) - 1`` after the last.

    The same SQL as a ``Case`` of one ``When(field__lt=midnight)`` per day, written by one
    expression: the ORM resolving, hashing and compiling thirty ``When`` objects was most of the
    per-day query's cost on the admin dashboard.
    """

    output_field = IntegerField()

    def __init__(self, field: str, midnights: list):
        super().__init__(F(field))
        self.midnights = tuple(midnights)

    def as_sql(self, compiler, connection, **extra_context):
        column, column_params = compiler.compile(self.source_expressions[0])
        field = self.source_expressions[0].output_field
        whens, params = [], []
        for i, midnight in enumerate(self.midnights):
            whens.append(f"WHEN {column} < %s THEN {i - 1:d}")
            params.extend([*column_params, field.get_db_prep_value(midnight, connection)])
        return f"CASE {' '.join(whens)} ELSE {len(self.midnights) - 1:d} END", params


def _day_index(field: str, dates: list) -> _DayIndex:
    """Which of ``dates`` (local days, oldest first) ``field`` falls on: -1 before the first.

    Compares with each local midnight (right across daylight-saving changes) instead of
    TruncDate, which SQLite evaluates with a Python function per row.
    """
    return _DayIndex(field, [timezone.make_aware(datetime.combine(day, time.min)) for day in dates])


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def open_matrix(visible) -> dict:
    """Open tickets by status (rows) and priority (columns), with bar widths for the chart."""
    counts = {(s, p): n for s, p, n in visible.filter(status__in=OPEN_STATUSES).order_by()
              .values_list("status", "priority").annotate(n=Count("*"))}
    rows, biggest = [], 1
    for value, label in Status.choices:
        if value not in OPEN_STATUSES:
            continue
        cells = [counts.get((value, p), 0) for p in PRIORITY_ORDER]
        biggest = max(biggest, sum(cells))
        rows.append({"status": value, "label": label, "cells": cells, "total": sum(cells)})
    for row in rows:  # stacked bar segments, as percentages of the longest row
        x, segments = 0.0, []
        for priority, n in zip(PRIORITY_ORDER, row["cells"], strict=True):
            width = 100 * n / biggest
            segments.append({"priority": priority, "x": x, "w": width, "n": n})
            x += width
        row["segments"] = segments
        # The SVG rectangles, written here: a template loop with four filters per rectangle was a
        # large part of the dashboard's rendering.
        row["rects"] = format_html_join("", _MATRIX_RECT, (
            (s["priority"], f"{s['x']:.2f}", f"{s['w']:.2f}", s["priority"], s["n"]) for s in segments if s["n"]))
    return {"rows": rows, "priorities": [(p, Priority(p).label) for p in PRIORITY_ORDER],
            "total": sum(r["total"] for r in rows)}


def period_report(visible, now: datetime, days: int = DAYS) -> dict:
    """First-response and resolution times (median, 90th percentile) and SLA compliance over ``days``.

    Everything is counted by the database over the window only (``responded_at`` and
    ``resolved_at`` have their own indexes), so the cost follows the month's volume, not the
    size of the ticket history: the per-day bars are one grouped aggregate (which also gives the
    resolutions' counts), the percentiles one ranked query per kind, the responses' counts and
    compliance counted in the same window as their ranks (three queries).
    """
    since = now - timedelta(days=days)
    responses = visible.filter(responded_at__gte=since, responded_at__lte=now)
    resolutions = visible.filter(resolved_at__gte=since, resolved_at__lte=now)
    response_stats, response_n = _ranked(responses, "responded_at", {
        "sla": Count("pk", filter=Q(response_due_at__isnull=False)),
        "met": Count("pk", filter=Q(responded_at__lte=F("response_due_at")))})
    # One bar per day: resolutions within target, late, and without a policy.
    per_day = {"met": {}, "missed": {}, "none": {}}
    today = timezone.localdate(now)
    dates = [today - timedelta(days=d) for d in range(days - 1, -1, -1)]
    for row in (resolutions.order_by().annotate(day=_day_index("resolved_at", dates)).values("day").annotate(
            met=Count("pk", filter=Q(resolved_at__lte=F("resolution_due_at"))),
            missed=Count("pk", filter=Q(resolved_at__gt=F("resolution_due_at"))),
            none=Count("pk", filter=Q(resolution_due_at__isnull=True)))):
        day = dates[row["day"]] if row["day"] >= 0 else dates[0] - timedelta(days=1)
        for key in per_day:
            per_day[key][day] = row[key]
    resolution_n = sum(sum(days_.values()) for days_ in per_day.values())
    resolution_met, resolution_sla = sum(per_day["met"].values()), sum(per_day["met"].values()) + sum(
        per_day["missed"].values())
    tallest = max([sum(per_day[k].get(d, 0) for k in per_day) for d in dates] + [1])
    bars = []
    for i, day in enumerate(dates):
        y, segments = 100.0, []
        for key in ("met", "missed", "none"):
            n = per_day[key].get(day, 0)
            h = 100 * n / tallest
            y -= h
            segments.append({"kind": key, "y": y, "h": h, "n": n})
        bars.append({"x": i * (100 / days), "w": 100 / days * 0.8, "day": day, "segments": segments,
                     "total": sum(s["n"] for s in segments)})
    rects = format_html_join("", _DAY_RECT, (
        (s["kind"], f"{bar['x']:.2f}", f"{s['y']:.2f}", f"{bar['w']:.2f}", f"{s['h']:.2f}",
         date_format(bar["day"], "SHORT_DATE_FORMAT"), s["n"], s["kind"])
        for bar in bars for s in bar["segments"] if s["n"]))
    return {
        "days": days, "response": response_stats, "rects": rects,
        "resolution": _stats(resolutions, "resolved_at", resolution_n),
        "response_compliance": _share(response_n["met"], response_n["sla"]), "response_sla_n": response_n["sla"],
        "resolution_compliance": _share(resolution_met, resolution_sla),
        "resolution_sla_n": resolution_sla, "bars": bars, "tallest": tallest,
    }


# What a ticket row of the dashboard's panels shows (dashboard_panel.html, sla_dashboard_lists.html:
# reference, title, the badges with the SLA deadline, the assignee's name): the rows load these
# and join the assignee alone, not the five tables of the lists.
PANEL_FIELDS = (
    "id", "title", "status", "priority", "escalation_level", "responded_at", "response_due_at",
    "resolution_due_at", "resolved_at", "assignee", "assignee__first_name", "assignee__last_name",
)


def panel_rows(qs):
    """``qs`` loading only what a dashboard panel's row shows (``PANEL_FIELDS``)."""
    return qs.select_related(None).select_related("assignee").only(*PANEL_FIELDS)


def union_sql(querysets) -> tuple[str, list]:
    """SQL and params of one ``UNION ALL`` of several small ``values("pk")[:n]`` querysets, giving
    (part, pk) rows, each part's ids in its own order.

    As ``pk IN (...) OR pk IN (...)`` on the rows' query, PostgreSQL filtered every ticket of the
    table through the hashed subqueries (28 ms at 100,000 tickets); each part here is one index
    range, and the rows are then read by primary key. Django cannot slice the members of a union
    on SQLite, hence the parts wrapped as derived tables: the SQL is Django's own, with its params.
    """
    parts, params = [], []
    for i, qs in enumerate(querysets):
        sql, part_params = qs.query.sql_with_params()
        parts.append(f"SELECT {i:d} AS part, part{i}.* FROM ({sql}) AS part{i}")  # nosec B608  # noqa: S608
        params.extend(part_params)
    return " UNION ALL ".join(parts), params


def _union_ids(querysets) -> list[tuple[int, int]]:
    """(part, id) of ``querysets`` in one query (see ``union_sql``)."""
    sql, params = union_sql(querysets)
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute(sql, params)
        return [(row[0], row[1]) for row in cursor.fetchall()]


def ticket_lists(visible, now: datetime, n: int, others: dict | None = None) -> dict[str, list]:
    """``breached`` and ``at_risk`` (the ``n`` most overdue running tickets and the ``n`` due
    soonest within the window) and each of ``others`` (name -> an ordered, sliced queryset of
    ``visible``), in two queries whatever their number: all the lists' ids in one ``UNION ALL``,
    then their rows by id (``PANEL_FIELDS``, the assignee joined).

    A ticket's deadline here is the earlier of its pending response due time and its resolution
    due time. Each kind of deadline has a partial index over running tickets only
    (``ticket_run_response_due_idx``, ``ticket_run_resolve_due_idx``), so each list's candidates
    are the first ``n`` rows of two index ranges, whatever the backlog; the top ``n`` of the
    merged candidates is the top ``n`` overall.
    """
    running = visible.filter(status_in(RUNNING))
    pending_response = running.filter(responded_at__isnull=True, response_due_at__isnull=False)
    soon = now + due_soon_window()
    late = Q(responded_at__isnull=True, response_due_at__lt=now) | Q(resolution_due_at__lt=now)
    by_response, by_resolution = "response_due_at", "resolution_due_at"
    candidates = [
        pending_response.filter(response_due_at__lt=now).order_by(by_response),
        running.filter(resolution_due_at__lt=now).order_by(by_resolution),
        pending_response.filter(response_due_at__gte=now, response_due_at__lt=soon).exclude(late)
        .order_by(by_response),
        running.filter(resolution_due_at__gte=now, resolution_due_at__lt=soon).exclude(late).order_by(by_resolution),
    ]
    others = others or {}
    parts = [qs.values("pk")[:n] for qs in candidates] + [qs.values("pk") for qs in others.values()]
    tagged = _union_ids(parts)
    rows = {t.pk: t for t in with_urls(panel_rows(visible.filter(pk__in={pk for _part, pk in tagged}).order_by()))}
    far = datetime.max.replace(tzinfo=now.tzinfo)

    def deadline(t):
        pending = t.response_due_at if t.responded_at is None and t.response_due_at else far
        return min(pending, t.resolution_due_at or far), t.pk

    deadlines = sorted({rows[pk] for part, pk in tagged if part < len(candidates) and pk in rows}, key=deadline)
    out = {"breached": [t for t in deadlines if deadline(t)[0] < now][:n],
           "at_risk": [t for t in deadlines if now <= deadline(t)[0] < soon][:n]}
    for i, name in enumerate(others, start=len(candidates)):
        out[name] = [rows[pk] for part, pk in tagged if part == i and pk in rows]
    return out


def escalated_tickets(visible):
    """Open escalated tickets, highest level first, along ticket_escalated_open_idx."""
    return visible.filter(status_in((*RUNNING, Status.ON_HOLD)), escalation_level__gt=0) \
        .order_by("-escalation_level", "-escalated_at")


def panels(request, *, matrix: dict | None = None, lists: dict | None = None, now: datetime | None = None
           ) -> list[dict]:
    """``matrix``: the open matrix when the caller already has it (the tickets panel counts by it);
    ``lists``: the ``ticket_lists`` with ``escalated`` (8), when the caller read them with its own."""
    user = request.user
    if user.role != "admin":
        return []
    now = now or timezone.now()
    visible = selectors.tickets_visible_to(user)
    if lists is None:
        lists = ticket_lists(visible, now, 8, {"escalated": escalated_tickets(visible)[:8]})
    breached, at_risk, escalated = lists["breached"], lists["at_risk"], lists["escalated"]
    queue = reverse("tickets:queue")
    return [
        {"template": TEMPLATE, "title": _("Service levels"), "matrix": matrix or open_matrix(visible),
         "report": period_report(visible, now), "queue": queue},
        {"template": LISTS, "title": _("Deadlines"), "now": now, "lists": [
            {"title": _("Breached"), "tickets": breached, "more": queue + "?sla=breached",
             "empty": _("No ticket is late."), "id": "sla-breached"},
            {"title": _("At risk (due within %(n)s hours)") % {"n": f"{due_soon_window().total_seconds() / 3600:g}"},
             "tickets": at_risk,
             "more": queue + "?sla=due_soon", "empty": _("Nothing due soon."), "id": "sla-at-risk"},
            {"title": _("Escalated"), "tickets": escalated, "more": queue + "?escalated=on",
             "empty": _("No escalated tickets."), "id": "sla-escalated"},
        ]},
    ]
