"""The admin dashboard's SLA panels: open work, breached and at-risk tickets, response and
resolution times, SLA compliance over 30 days, with server-drawn SVG charts (no CDN, no JS)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets import selectors
from tickets.escalation import percentile
from tickets.models import OPEN_STATUSES, Priority, Status
from tickets.sla import RUNNING, due_soon_window, humanize_span, sla_filter

TEMPLATE = "tickets/includes/sla_dashboard.html"
LISTS = "tickets/includes/sla_dashboard_lists.html"
DAYS = 30
PRIORITY_ORDER = [Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW]


def _stats(values: list[float]) -> dict:
    if not values:
        return {"n": 0, "median": "–", "p90": "–"}
    return {"n": len(values), "median": humanize_span(timedelta(seconds=percentile(values, 50))),
            "p90": humanize_span(timedelta(seconds=percentile(values, 90)))}


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def open_matrix(visible) -> dict:
    """Open tickets by status (rows) and priority (columns), with bar widths for the chart."""
    counts = {(s, p): n for s, p, n in visible.filter(status__in=OPEN_STATUSES).order_by()
              .values_list("status", "priority").annotate(n=Count("id"))}
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
    return {"rows": rows, "priorities": [(p, Priority(p).label) for p in PRIORITY_ORDER],
            "total": sum(r["total"] for r in rows)}


def period_report(visible, now: datetime, days: int = DAYS) -> dict:
    """First-response and resolution times (median, 90th percentile) and SLA compliance over ``days``."""
    since = now - timedelta(days=days)
    responses = list(visible.filter(responded_at__gte=since, responded_at__lte=now)
                     .values_list("created_at", "responded_at", "response_due_at"))
    resolutions = list(visible.filter(resolved_at__gte=since, resolved_at__lte=now)
                       .values_list("created_at", "resolved_at", "resolution_due_at"))
    response_secs = [(done - created).total_seconds() for created, done, _due in responses]
    resolution_secs = [(done - created).total_seconds() for created, done, _due in resolutions]
    response_sla = [done <= due for _c, done, due in responses if due is not None]
    resolution_sla = [done <= due for _c, done, due in resolutions if due is not None]

    # One bar per day: resolutions within target, late, and without a policy.
    per_day = {"met": Counter(), "missed": Counter(), "none": Counter()}
    for _created, done, due in resolutions:
        key = "none" if due is None else ("met" if done <= due else "missed")
        per_day[key][timezone.localdate(done)] += 1
    today = timezone.localdate(now)
    dates = [today - timedelta(days=d) for d in range(days - 1, -1, -1)]
    tallest = max([sum(per_day[k][d] for k in per_day) for d in dates] + [1])
    bars = []
    for i, day in enumerate(dates):
        y, segments = 100.0, []
        for key in ("met", "missed", "none"):
            h = 100 * per_day[key][day] / tallest
            y -= h
            segments.append({"kind": key, "y": y, "h": h, "n": per_day[key][day]})
        bars.append({"x": i * (100 / days), "w": 100 / days * 0.8, "day": day, "segments": segments,
                     "total": sum(s["n"] for s in segments)})
    return {
        "days": days, "response": _stats(response_secs), "resolution": _stats(resolution_secs),
        "response_compliance": _share(sum(response_sla), len(response_sla)), "response_sla_n": len(response_sla),
        "resolution_compliance": _share(sum(resolution_sla), len(resolution_sla)),
        "resolution_sla_n": len(resolution_sla), "bars": bars, "tallest": tallest,
    }


def panels(request) -> list[dict]:
    user = request.user
    if user.role != "admin":
        return []
    now = timezone.now()
    visible = selectors.tickets_visible_to(user)
    related = selectors.LIST_RELATED
    breached = sla_filter(visible, "breached", now).select_related(*related).order_by(
        F("response_due_at").asc(nulls_last=True), "resolution_due_at")
    at_risk = sla_filter(visible, "due_soon", now).select_related(*related).order_by("resolution_due_at")
    escalated = visible.filter(Q(status__in=RUNNING) | Q(status=Status.ON_HOLD), escalation_level__gt=0) \
        .select_related(*related).order_by("-escalation_level", "-escalated_at")
    queue = reverse("tickets:queue")
    return [
        {"template": TEMPLATE, "title": _("Service levels"), "matrix": open_matrix(visible),
         "report": period_report(visible, now), "queue": queue},
        {"template": LISTS, "title": _("Deadlines"), "now": now, "lists": [
            {"title": _("Breached"), "tickets": list(breached[:8]), "more": queue + "?sla=breached",
             "empty": _("No ticket is late."), "id": "sla-breached"},
            {"title": _("At risk (due within %(n)s hours)") % {"n": f"{due_soon_window().total_seconds() / 3600:g}"},
             "tickets": list(at_risk[:8]),
             "more": queue + "?sla=due_soon", "empty": _("Nothing due soon."), "id": "sla-at-risk"},
            {"title": _("Escalated"), "tickets": list(escalated[:8]), "more": queue + "?escalated=on",
             "empty": _("No escalated tickets."), "id": "sla-escalated"},
        ]},
    ]
