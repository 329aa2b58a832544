"""Reads of service reports; every one starts from the tickets the user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tickets import permissions
from tickets.report_models import ReportSignOff, ServiceReport
from tickets.selectors import ticket_get_for

REPORT_RELATED = ("author", "symptom", "cause", "action")


def reports_for(user, ticket) -> list[ServiceReport]:
    """The ticket's reports the user may read, by visit (drafts only for staff and their author)."""
    qs = ticket.reports.select_related(*REPORT_RELATED).order_by("visit")
    out = []
    for report in qs:
        report.ticket = ticket
        if permissions.can_view_report(user, report):
            out.append(report)
    return out


def report_get_for(user, ticket_pk, report_pk) -> ServiceReport:
    """The report if the user may read it: 404 when the ticket is hidden or the report is not its, 403 else."""
    ticket = ticket_get_for(user, ticket_pk)
    try:
        report = (ServiceReport.objects.select_related(*REPORT_RELATED)
                  .prefetch_related("parts", "photos").get(pk=int(report_pk), ticket=ticket))
    except (ServiceReport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such report.") from None
    report.ticket = ticket
    if not permissions.can_view_report(user, report):
        raise PermissionDenied
    return report


def signoffs_for(report) -> list[ReportSignOff]:
    return list(report.signoffs.select_related("signer", "voided_by").order_by("created_at", "id"))


def valid_signature(report) -> ReportSignOff | None:
    return (report.signoffs.select_related("signer")
            .filter(outcome="signed", voided_at__isnull=True).first())


def reports_submitted(*, equipment=None, since=None):
    """Submitted and signed visit reports (no drafts, no refused ones), oldest first, for statistics.

    Each row carries clean fields: ``arrived_at``/``departed_at``, ``labour_minutes``, ``travel_*``,
    the ``symptom``/``cause``/``action`` codes and ``ticket`` (with ``created_at``/``resolved_at`` and
    ``equipment``). The knowledge app reads MTBF/MTTR and top failures from here.
    """
    qs = (ServiceReport.objects.filter(status__in=("submitted", "signed"), ticket__deleted_at__isnull=True)
          .select_related("ticket", "symptom", "cause", "action").order_by("arrived_at", "id"))
    if equipment is not None:
        qs = qs.filter(ticket__equipment=equipment)
    if since is not None:
        qs = qs.filter(arrived_at__gte=since)
    return qs
