"""The first, pure-Python implementation of the reliability figures, kept as the reference that
``knowledge.reliability`` (computed in the database) must match exactly: the randomized equivalence
test in ``test_reliability_equivalence.py`` compares the two on every grouping and filter.

Copied verbatim from knowledge/reliability.py as it was before the figures moved into SQL; do not
"fix" it without changing the definitions in docs/knowledge.md.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Min

from knowledge.reliability import GROUPINGS, REPEAT_WINDOW, Row
from knowledge.reports import KINDS, report_facts, reports_enabled


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
