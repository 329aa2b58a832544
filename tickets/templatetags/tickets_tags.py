from django import template
from django.utils.html import format_html

from tickets.presentation import event_summary as _event_summary
from tickets.presentation import status_label as _status_label

register = template.Library()

STATUS_CLASSES = {
    "new": "text-bg-info", "approved": "text-bg-primary", "rejected": "text-bg-dark", "assigned": "text-bg-primary",
    "in_progress": "text-bg-warning", "on_hold": "text-bg-secondary", "resolved": "text-bg-success",
    "closed": "text-bg-light border", "cancelled": "text-bg-light border",
}
PRIORITY_CLASSES = {"low": "text-bg-light border", "normal": "text-bg-secondary", "high": "text-bg-warning",
                    "urgent": "text-bg-danger"}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-secondary")


@register.filter
def priority_class(priority: str) -> str:
    return PRIORITY_CLASSES.get(priority, "text-bg-secondary")


@register.simple_tag
def ticket_badges(ticket, now=None):
    """Status, priority, escalation level and SLA deadline badges of one ticket (every list row has them)."""
    from tickets.templatetags.sla_tags import sla_badge

    html = format_html('<span class="badge {}">{}</span>\n<span class="badge {}">{}</span>',
                       status_class(ticket.status), ticket.get_status_display(),
                       priority_class(ticket.priority), ticket.get_priority_display())
    if ticket.escalation_level:
        html += format_html(' <span class="badge text-bg-danger">↑{}</span>', ticket.escalation_level)
    return html + sla_badge(ticket, now)


@register.filter
def event_summary(event) -> str:
    return _event_summary(event)


@register.filter
def status_label(value: str) -> str:
    return _status_label(value)
