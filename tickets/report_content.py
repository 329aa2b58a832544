"""The canonical content of a service report: what the requester signs, and its SHA-256 digest.

The content of a job's final report covers every submitted visit of the ticket up to and including
it (times, codes, texts, parts, photo hashes) plus the ticket's identity. It is serialised as JSON
with sorted keys, no extra whitespace and UTF-8, so the same content always gives the same digest;
the printable page and the PDF recompute it to show whether the report still matches what was signed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC

from tickets.report_models import EDITABLE_REPORT_STATUSES, ServiceReport

CONTENT_VERSION = 1


def _when(value) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


def _dec(value) -> str:
    return "" if value is None else format(value, "f")


def _code(code) -> dict:
    return {"code": code.code, "label": code.label} if code else {}


def _name(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


def visits_for(report: ServiceReport) -> list[ServiceReport]:
    """The submitted visits of the report's ticket up to and including this one (the report itself always)."""
    qs = (report.ticket.reports.filter(visit__lte=report.visit)
          .select_related("author", "symptom", "cause", "action")
          .prefetch_related("parts", "photos").order_by("visit"))
    return [r for r in qs if r.pk == report.pk or r.status not in EDITABLE_REPORT_STATUSES]


def visit_content(report: ServiceReport) -> dict:
    return {
        "visit": report.visit,
        "technician": _name(report.author),
        "arrived_at": _when(report.arrived_at),
        "departed_at": _when(report.departed_at),
        "travel_distance_km": _dec(report.travel_distance_km),
        "travel_minutes": report.travel_minutes,
        "labour_minutes": report.labour_minutes,
        "symptom": _code(report.symptom), "symptom_text": report.symptom_text,
        "cause": _code(report.cause), "cause_text": report.cause_text,
        "action": _code(report.action), "action_text": report.action_text,
        "follow_up_needed": report.follow_up_needed, "follow_up_note": report.follow_up_note,
        "parts": [{"part_number": p.part_number, "description": p.description, "quantity": _dec(p.quantity)}
                  for p in report.parts.all()],
        "photos": [p.sha256 for p in report.photos.all()],
    }


def report_content(report: ServiceReport) -> dict:
    """Everything the signature vouches for, as plain JSON-able data."""
    ticket = report.ticket
    return {
        "format": CONTENT_VERSION,
        "ticket": {
            "reference": ticket.reference, "title": ticket.title,
            "requester": _name(ticket.requester),
            "site": ticket.site.name if ticket.site_id else "",
            "location": str(ticket.location) if ticket.location_id else "",
            "equipment": str(ticket.equipment) if ticket.equipment_id else (ticket.affected_item or ""),
        },
        "report": report.visit,
        "visits": [visit_content(v) for v in visits_for(report)],
    }


def canonical_bytes(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def report_digest(report: ServiceReport) -> str:
    """SHA-256 (hex) of the report's canonical content now."""
    return hashlib.sha256(canonical_bytes(report_content(report))).hexdigest()
