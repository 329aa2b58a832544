"""What knowledge reads from the tickets app's service reports, without importing them.

Service reports (issue 5) live in ``tickets`` as a model reached from a ticket through the reverse
relation ``ticket.reports`` (one report per visit, with ``arrived_at``/``departed_at``, the codes
``symptom``/``cause``/``action`` and their ``*_text``). Until that model exists, every function
here answers "no reports" and knowledge falls back to the ticket's own data; nothing imports it.
"""

from __future__ import annotations

from functools import lru_cache

from django.core.exceptions import FieldDoesNotExist

# Reports that count: handed in by the assignee (signed or awaiting signature).
COUNTED_STATUSES = ("submitted", "signed")
KINDS = ("symptom", "cause", "action")


@lru_cache(maxsize=1)
def report_model():
    """The service report model if the tickets app has one (reverse relation ``reports``), else None."""
    from tickets.models import Ticket

    try:
        field = Ticket._meta.get_field("reports")
    except FieldDoesNotExist:
        return None
    model = getattr(field, "related_model", None)
    if model is None or not field.auto_created:
        return None
    names = {f.name for f in model._meta.get_fields()}
    if not {"arrived_at", "departed_at", "ticket"} <= names:
        return None
    return model


def reports_enabled() -> bool:
    return report_model() is not None


def _status_filter(model) -> dict:
    names = {f.name for f in model._meta.get_fields()}
    return {"status__in": COUNTED_STATUSES} if "status" in names else {}


def _code_fields(model) -> list[str]:
    names = {f.name for f in model._meta.get_fields()}
    return [k for k in KINDS if k in names and model._meta.get_field(k).is_relation]


def reports_for_ticket(ticket) -> list:
    """The ticket's handed-in reports, first visit first (codes loaded); [] when there are none."""
    model = report_model()
    if model is None:
        return []
    qs = model.objects.filter(ticket=ticket, **_status_filter(model))
    related = _code_fields(model)
    if related:
        qs = qs.select_related(*related)
    order = ["visit"] if "visit" in {f.name for f in model._meta.get_fields()} else []
    return list(qs.order_by(*order, "arrived_at", "pk"))


def code_text(report, kind: str) -> str:
    """"LEAK · Water leak" (+ the free text) for one of symptom, cause, action."""
    code = getattr(report, kind, None)
    parts = []
    if code is not None:
        label = getattr(code, "label", "")
        value = getattr(code, "code", "")
        parts.append(f"{value} · {label}" if value and label else str(code))
    text = (getattr(report, f"{kind}_text", "") or "").strip()
    if text:
        parts.append(text)
    return " — ".join(parts)


def report_facts(ticket_ids) -> dict[int, dict]:
    """Per ticket id: ``repair_seconds`` (sum of departed − arrived over handed-in reports),
    ``visits`` and the codes seen ``{"symptom": [(code, label), ...], ...}``. One query;
    ``ticket_ids`` may be a ``values("pk")`` queryset (a subquery, whatever its size)."""
    model = report_model()
    if model is None:
        return {}
    kinds = _code_fields(model)
    values = ["ticket_id", "arrived_at", "departed_at"]
    for kind in kinds:
        values += [f"{kind}__code", f"{kind}__label"]
    out: dict[int, dict] = {}
    rows = model.objects.filter(ticket_id__in=ticket_ids, **_status_filter(model)).values(*values)
    for row in rows.iterator(chunk_size=2000):
        facts = out.setdefault(row["ticket_id"], {"repair_seconds": 0.0, "visits": 0,
                                                  "codes": {k: [] for k in KINDS}})
        facts["visits"] += 1
        if row["arrived_at"] and row["departed_at"]:
            facts["repair_seconds"] += max(0.0, (row["departed_at"] - row["arrived_at"]).total_seconds())
        for kind in kinds:
            if row[f"{kind}__code"]:
                facts["codes"][kind].append((row[f"{kind}__code"], row[f"{kind}__label"] or ""))
    return out
