"""Reliability figures computed from tickets (and service reports when the tickets app has them).

Definitions (also in docs/knowledge.md):

- A *failure* is a ticket on a piece of equipment that was not rejected, cancelled or deleted.
  Its failure time is when it was reported (``Ticket.created_at``).
- *Interventions*: the handed-in service reports (visits) of a failure; a failure without any
  report counts one intervention if it was assigned to someone.
- *MTBF* (mean time between failures): for each piece of equipment, the gaps between its
  consecutive failures in the period; the group's MTBF is the sum of all its gaps divided by
  their number (pooled). Needs two failures on one piece of equipment; otherwise "—".
- *MTTR* (mean time to repair): per repaired failure, the time on site summed over its handed-in
  reports (departed − arrived); for a failure without reports, from the first ``start`` of the
  work to ``resolved_at``.
  The mean over the failures that have one.
- *Repeat failures*: failures coming 30 days or less after the previous failure of the same
  equipment.
- *Under warranty*: failures reported on or before the equipment's ``warranty_end``.
- *Top symptom / cause / action*: the most frequent code on the reports (ties: alphabetical).
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Min

from knowledge.reports import KINDS, report_facts, reports_enabled

REPEAT_WINDOW = timedelta(days=30)
CACHE_VERSION_KEY = "knowledge:reliability:version"
CACHE_SECONDS = 600
GROUPINGS = ("model", "manufacturer", "equipment", "site")


@dataclass
class Failure:
    ticket_id: int
    equipment_id: int
    at: datetime
    model_id: int
    model_name: str
    manufacturer_id: int
    manufacturer_name: str
    site_id: int | None
    site_name: str
    equipment_name: str
    warranty_end: date | None = None
    repair_seconds: float | None = None
    interventions: int = 0
    codes: dict = field(default_factory=lambda: {k: [] for k in KINDS})


@dataclass
class Row:
    key: int | None
    label: str
    failures: int = 0
    interventions: int = 0
    mtbf_seconds: float | None = None
    mttr_seconds: float | None = None
    repeats: int = 0
    under_warranty: int = 0
    top: dict = field(default_factory=dict)

    @property
    def mtbf_days(self) -> float | None:
        return None if self.mtbf_seconds is None else self.mtbf_seconds / 86400

    @property
    def mttr_hours(self) -> float | None:
        return None if self.mttr_seconds is None else self.mttr_seconds / 3600


def failures_queryset(*, start=None, end=None, site=None, category: str = ""):
    """The tickets counted as failures, filtered by period (report date), site and equipment category."""
    from tickets.models import Status, Ticket

    qs = Ticket.objects.filter(deleted_at__isnull=True, equipment__isnull=False).exclude(
        status__in=(Status.REJECTED, Status.CANCELLED))
    if start:
        qs = qs.filter(created_at__date__gte=start)
    if end:
        qs = qs.filter(created_at__date__lte=end)
    if site:
        qs = qs.filter(equipment__site=site)
    if category:
        qs = qs.filter(equipment__model__category__iexact=category)
    return qs


def collect_failures(**filters) -> list[Failure]:
    """Failures with their repair time and codes, in a fixed number of queries."""
    from tickets.models import TicketEvent

    qs = failures_queryset(**filters)
    rows = qs.values(
        "pk", "equipment_id", "created_at", "assigned_at", "resolved_at", "equipment__model_id",
        "equipment__model__name", "equipment__model__manufacturer_id", "equipment__model__manufacturer__name",
        "equipment__site_id", "equipment__site__name", "equipment__asset_tag", "equipment__warranty_end",
    ).order_by("created_at", "pk")
    facts = report_facts(qs.values("pk")) if reports_enabled() else {}
    starts = dict(TicketEvent.objects.filter(ticket__in=qs.values("pk"), action="start")
                  .values("ticket_id").annotate(first=Min("created_at")).values_list("ticket_id", "first"))
    out = []
    for r in rows.iterator(chunk_size=2000):
        f = Failure(
            ticket_id=r["pk"], equipment_id=r["equipment_id"], at=r["created_at"],
            model_id=r["equipment__model_id"],
            model_name=f'{r["equipment__model__manufacturer__name"]} {r["equipment__model__name"]}',
            manufacturer_id=r["equipment__model__manufacturer_id"],
            manufacturer_name=r["equipment__model__manufacturer__name"],
            site_id=r["equipment__site_id"], site_name=r["equipment__site__name"] or "",
            equipment_name=r["equipment__asset_tag"], warranty_end=r["equipment__warranty_end"],
        )
        fact = facts.get(f.ticket_id)
        if fact and fact["visits"]:
            # Service reports are the source when the failure has any.
            f.interventions = fact["visits"]
            f.repair_seconds = fact["repair_seconds"]
            f.codes = fact["codes"]
        else:
            # Failures without a report (older tickets, or no reports in this installation).
            f.interventions = 1 if r["assigned_at"] else 0
            started = starts.get(f.ticket_id)
            if started and r["resolved_at"] and r["resolved_at"] >= started:
                f.repair_seconds = (r["resolved_at"] - started).total_seconds()
        out.append(f)
    return out


def _key(f: Failure, grouping: str) -> tuple[int | None, str]:
    if grouping == "model":
        return f.model_id, f.model_name
    if grouping == "manufacturer":
        return f.manufacturer_id, f.manufacturer_name
    if grouping == "site":
        return f.site_id, f.site_name
    return f.equipment_id, f.equipment_name


def summarise(failures: list[Failure], grouping: str = "model") -> list[Row]:
    """One row per group (most failures first): the figures defined at the top of this module."""
    if grouping not in GROUPINGS:
        raise ValueError(grouping)
    groups: dict[tuple, list[Failure]] = defaultdict(list)
    for f in failures:
        groups[_key(f, grouping)].append(f)
    rows = []
    for (key, label), items in groups.items():
        row = Row(key=key, label=label, failures=len(items))
        row.interventions = sum(f.interventions for f in items)
        row.under_warranty = sum(1 for f in items if f.warranty_end and f.at.date() <= f.warranty_end)
        gaps = []
        by_equipment: dict[int, list[datetime]] = defaultdict(list)
        for f in items:
            by_equipment[f.equipment_id].append(f.at)
        for times in by_equipment.values():
            times.sort()
            for earlier, later in zip(times, times[1:], strict=False):
                gap = later - earlier
                gaps.append(gap.total_seconds())
                if gap <= REPEAT_WINDOW:
                    row.repeats += 1
        row.mtbf_seconds = sum(gaps) / len(gaps) if gaps else None
        repairs = [f.repair_seconds for f in items if f.repair_seconds is not None]
        row.mttr_seconds = sum(repairs) / len(repairs) if repairs else None
        for kind in KINDS:
            counter = Counter(code for f in items for code in f.codes.get(kind, []))
            if counter:
                (code, label_), n = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]
                row.top[kind] = {"code": code, "label": label_, "n": n}
        rows.append(row)
    rows.sort(key=lambda r: (-r.failures, r.label))
    return rows


def _cache_version() -> int:
    return cache.get_or_set(CACHE_VERSION_KEY, 1, None)


def invalidate() -> None:
    """Called by the receivers when tickets or reports change: cached figures are stale."""
    try:
        cache.incr(CACHE_VERSION_KEY)
    except ValueError:
        cache.set(CACHE_VERSION_KEY, 2, None)


def reliability(*, grouping: str = "model", start=None, end=None, site=None, category: str = "",
                use_cache: bool = True) -> list[Row]:
    """The summary for the filters, cached until a ticket or report changes."""
    key = (f"knowledge:reliability:{_cache_version()}:{grouping}:{start}:{end}:"
           f"{getattr(site, 'pk', site)}:{category.lower()}")
    if use_cache:
        hit = cache.get(key)
        if hit is not None:
            return hit
    rows = summarise(collect_failures(start=start, end=end, site=site, category=category), grouping)
    if use_cache:
        cache.set(key, rows, CACHE_SECONDS)
    return rows


# CSV ------------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def safe_cell(value) -> str:
    """A cell no spreadsheet reads as a formula: text starting with = + - @ tab CR LF | % gets a
    leading apostrophe (numbers are written by us and never negative here)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    text = str(value)
    if text.startswith(FORMULA_STARTS) or text.lstrip().startswith(FORMULA_STARTS):
        return "'" + text
    return text


CSV_HEADER = ["group", "failures", "interventions", "mtbf_days", "mttr_hours", "repeat_failures_30d",
              "under_warranty", "top_symptom", "top_cause", "top_action"]


def rows_to_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for r in rows:
        tops = [f'{r.top[k]["code"]} {r.top[k]["label"]}'.strip() if k in r.top else "" for k in KINDS]
        writer.writerow([safe_cell(v) for v in [r.label, r.failures, r.interventions, r.mtbf_days,
                                                r.mttr_hours, r.repeats, r.under_warranty, *tops]])
    return out.getvalue()
