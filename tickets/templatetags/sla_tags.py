from django import template
from django.utils import timezone

from tickets.sla import sla_state

register = template.Library()


@register.inclusion_tag("tickets/includes/sla_badge.html")
def sla_badge(ticket, now=None):
    """The deadline that matters now: time left or overdue, coloured (nothing without a policy)."""
    return {"sla": sla_state(ticket, now or timezone.now()), "ticket": ticket}


@register.simple_tag
def sla_for(ticket, now=None):
    return sla_state(ticket, now or timezone.now())


@register.simple_tag
def last_escalation_reason(ticket) -> str:
    """Why the ticket was last escalated (one query, only asked for escalated tickets)."""
    event = ticket.events.filter(action="escalate").order_by("-created_at", "-id").first()
    return (event.changes or {}).get("reason", "") if event else ""
