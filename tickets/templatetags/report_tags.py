"""The "Service reports" section of the ticket page (kept apart from the ticket view)."""

from django import template

from tickets import permissions, workflow
from tickets.report_selectors import reports_for

register = template.Library()


@register.inclusion_tag("tickets/includes/reports_section.html", takes_context=True)
def service_reports(context, ticket):
    user = context["request"].user
    reports = reports_for(user, ticket)
    can_write = permissions.can_write_report(user, ticket)
    draft = next((r for r in reports if r.status == "draft" and r.author_id == user.pk), None)
    awaiting = next((r for r in reports if permissions.can_sign_report(user, r)), None)
    # Why there is no "Resolve" button: the job's category needs its service report (tickets/workflow.py).
    needs_report = can_write and workflow.waits_for_report(ticket, user)
    return {"ticket": ticket, "reports": reports, "can_write": can_write, "draft": draft, "awaiting": awaiting,
            "user": user, "needs_report": needs_report}
