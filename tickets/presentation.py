"""Plain-language sentences for audit events (timeline, conflict messages, e-mails)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tickets.models import Status, Ticket
from tickets.workflow import TRANSITIONS

FIELD_LABELS = {
    k: gettext_lazy(v) for k, v in {
        "title": "title", "description": "description", "category": "category", "priority": "priority",
        "site": "site", "location": "location", "equipment": "equipment", "affected_item": "affected item",
        "contact_phone": "contact number", "assignee": "assignee", "vehicle": "vehicle", "status": "status",
    }.items()
}


def with_urls(rows) -> list:
    """``rows`` as a list, each ticket given its ``url``: the detail URL reversed once per list, not
    once per row (the lists, the dashboards' panels)."""
    url_for = Ticket.absolute_url_maker()
    rows = list(rows)
    for ticket in rows:
        ticket.url = url_for(ticket.pk)
    return rows


def status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value or "-"


def event_summary(event) -> str:
    """One sentence: who did what (without the free text, which templates show apart)."""
    who = event.actor.get_full_name() if event.actor else _("Fixdesk")
    action = event.action
    if action == "create":
        return _("%(who)s reported the ticket") % {"who": who}
    if action in TRANSITIONS:
        label = str(TRANSITIONS[action].label).lower()
        text = _("%(who)s: %(action)s (%(old)s → %(new)s)") % {
            "who": who, "action": label, "old": status_label(event.from_status), "new": status_label(event.to_status),
        }
        assignee = (event.changes or {}).get("assignee")
        if assignee and assignee[1]:
            text += " · " + _("assigned to %(name)s") % {"name": assignee[1]}
        return text
    if action == "update":
        fields = ", ".join(str(FIELD_LABELS.get(f, f)) for f in (event.changes or {}) if f != "comment")
        return _("%(who)s changed %(fields)s") % {"who": who, "fields": fields}
    if action == "photo":
        return _("%(who)s added a photo") % {"who": who}
    if action == "comment":
        return _("%(who)s commented") % {"who": who}
    if action == "delete":
        return _("%(who)s deleted the ticket") % {"who": who}
    if action == "restore":
        return _("%(who)s restored the ticket") % {"who": who}
    if action == "escalate":
        return _("Escalated to level %(level)s") % {"level": (event.changes or {}).get("level", "?")}
    if action in REPORT_EVENTS:
        return REPORT_EVENTS[action] % {"who": who, "visit": (event.changes or {}).get("visit", "?")}
    return f"{who}: {action}"


# Events written by the service report services (tickets/services/reports.py).
REPORT_EVENTS = {
    "report_draft": gettext_lazy("%(who)s started the service report of visit %(visit)s"),
    "report_submitted": gettext_lazy("%(who)s submitted the service report of visit %(visit)s (follow-up needed)"),
    "report_signed": gettext_lazy("%(who)s signed the service report of visit %(visit)s"),
    "report_voided": gettext_lazy("%(who)s voided the signature of the service report of visit %(visit)s"),
}
