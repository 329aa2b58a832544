from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

from tickets.sla import SlaState, sla_state

register = template.Library()


def sla_badge_html(sla: SlaState | None) -> str:
    """The badge of one deadline (empty without one). Built in Python: the lists show one per row."""
    if sla is None:
        return SafeString("")
    return format_html(
        ' <span class="badge {} sla-badge" data-sla="{}" title="{}">{}{}</span>', sla.css, sla.state,
        date_format(timezone.template_localtime(sla.due), "SHORT_DATETIME_FORMAT"),
        "⚠ " if sla.state in ("overdue", "missed") else "", sla.label,
    )


@register.simple_tag
def sla_badge(ticket, now=None):
    """The deadline that matters now: time left or overdue, coloured (nothing without a policy)."""
    return sla_badge_html(sla_state(ticket, now or timezone.now()))


@register.simple_tag
def sla_for(ticket, now=None):
    return sla_state(ticket, now or timezone.now())


@register.simple_tag
def last_escalation_reason(ticket) -> str:
    """Why the ticket was last escalated (one query, only asked for escalated tickets)."""
    event = ticket.events.filter(action="escalate").order_by("-created_at", "-id").first()
    return (event.changes or {}).get("reason", "") if event else ""
