"""Dashboard panels of the tickets app: each role its own start."""

from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext as _

from tickets import permissions, selectors
from tickets.models import OPEN_STATUSES, Priority, Status

PANEL = "tickets/includes/dashboard_panel.html"
COUNTS = "tickets/includes/dashboard_counts.html"


def _rows(qs, n=5):
    from tickets.presentation import with_urls
    from tickets.sla_dashboard import panel_rows

    return with_urls(panel_rows(qs)[:n])


def _jobs_to_take(visible, n=5):
    """Unassigned new/approved tickets, most urgent first, oldest first within a priority.

    Ordering by the priority's rank would sort the whole unassigned backlog; instead each
    priority's oldest ``n`` come from ``ticket_to_take_idx`` (an index range each) and only those
    few candidates are ranked: one query, the same rows. The candidates are one ``IN`` over a
    ``UNION ALL`` (``sla_dashboard.union_sql``): as one ``pk IN (...)`` per part joined by ``OR``,
    PostgreSQL filtered every ticket through the eight subqueries (about 40 ms at 100,000 tickets).
    """
    from tickets.sla_dashboard import union_sql

    waiting = visible.filter(assignee__isnull=True)
    sql, params = union_sql([waiting.filter(status=status, priority=priority).order_by("created_at").values("pk")[:n]
                             for status in (Status.NEW, Status.APPROVED) for priority in Priority.values])
    candidates = RawSQL(f"SELECT candidates.pk FROM ({sql}) AS candidates", params)  # nosec B608 B611  # noqa: S608, S611
    return _rows(visible.filter(pk__in=candidates).order_by("-priority_rank", "created_at"), n)


def panels(request) -> list[dict]:
    user = request.user
    out = []
    matrix = lists = now = None
    visible = selectors.tickets_visible_to(user)
    if user.role == "admin":
        from django.utils import timezone

        from tickets.sla_dashboard import escalated_tickets, open_matrix, ticket_lists

        matrix = open_matrix(visible)  # one grouped count, shared with the SLA panel below
        # This panel's tickets, "My jobs" and the SLA panel's three lists: their ids in one query,
        # the rows in one more.
        now = timezone.now()
        others = {"approval": visible.filter(status=Status.NEW).order_by("created_at")[:5],
                  "escalated": escalated_tickets(visible)[:8]}
        if permissions.can_have_jobs(user):
            others["jobs"] = selectors.jobs_for(user)[:5]
        lists = ticket_lists(visible, now, 8, others)
        counts = {row["status"]: row["total"] for row in matrix["rows"]}
        queue = reverse("tickets:queue")
        out.append({"template": COUNTS, "title": _("Tickets by status"), "counts": [
            {"label": label, "n": counts.get(value, 0), "url": f"{queue}?status={value}"}
            for value, label in Status.choices if value in OPEN_STATUSES
        ]})
        out.append({"template": PANEL, "title": _("Waiting for approval"),
                    "tickets": lists["approval"],
                    "more": queue + "?status=new", "empty": _("Nothing to approve.")})
    if user.role == "engineer":
        out.append({"template": PANEL, "title": _("Jobs to take"), "tickets": _jobs_to_take(visible),
                    "more": reverse("tickets:queue") + "?unassigned=on", "empty": _("No unassigned jobs.")})
    if permissions.can_have_jobs(user):
        jobs = lists["jobs"] if lists else _rows(selectors.jobs_for(user))
        out.append({"template": PANEL, "title": _("My jobs"), "tickets": jobs,
                    "more": reverse("tickets:jobs"), "empty": _("No open jobs.")})
    if user.role == "customer":
        out.append({"template": PANEL, "title": _("My open tickets"),
                    "tickets": _rows(visible.filter(requester=user, status__in=OPEN_STATUSES)),
                    "more": reverse("tickets:list") + "?status=open", "empty": _("You have no open tickets."),
                    "create": reverse("tickets:create")})
    from tickets import sla_dashboard

    out.extend(sla_dashboard.panels(request, matrix=matrix, lists=lists, now=now))
    return out


# Service reports: the customer's reports to sign, shown when there are any. (Admins learn of signatures
# through notifications; an extra panel would cost the admin dashboard one more query.)
_ticket_panels = panels


def panels(request) -> list[dict]:  # noqa: F811 - the ticket panels, then the report ones
    out = _ticket_panels(request)
    user = request.user
    visible = selectors.tickets_visible_to(user).filter(status=Status.RESOLVED)
    if user.role == "customer":
        to_sign = _rows(visible.filter(requester=user, reports__status="submitted",
                                       reports__follow_up_needed=False).distinct().order_by("resolved_at"))
        if to_sign:
            out.insert(0, {"template": PANEL, "title": _("Service reports to sign"), "tickets": to_sign,
                           "more": reverse("tickets:list") + "?status=resolved", "empty": ""})
    return out
