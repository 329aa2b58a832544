"""The ticket lifecycle: the transition table of DESIGN.md and nothing else knows it.

Buttons, the action view, admin actions, bulk actions, macros and tests are all derived from
``TRANSITIONS``. ``tickets.services.ticket_transition`` is the only code that changes a status,
and it asks :func:`check` first.

Who may act is expressed as *parties*:

- ``admin``: any user with the admin role;
- ``requester``: the ticket's requester;
- ``assignee``: the ticket's current assignee;
- ``engineer``: any engineer (used by ``take``: an engineer takes an unassigned job);
- ``requester_in_window``: the requester, within ``FIXDESK_REOPEN_WINDOW_DAYS`` of the close.

``resolve`` is ``by_report``: when the ticket's category needs a service report (``Category.needs_service_report``;
``FIXDESK_UNCATEGORISED_NEEDS_REPORT`` for a ticket without a category) it is done only by submitting the job's
last service report (``tickets.services.report_submit``, which passes ``via_service=True``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from tickets.models import OPEN_STATUSES, Status


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    # ``None``: computed by ``target_for`` (assign keeps/sets assigned; reopen depends on history).
    target: str | None
    parties: tuple[str, ...]
    comment_required: bool = False
    comment_label: str = ""
    needs_assignee: bool = False
    button: str = "outline-primary"
    confirm: str = ""
    # Done only through another service (the service report's sign-off), never from the action buttons.
    service_only: bool = False
    # Done only by submitting the service report when the ticket's category needs one (``report_required``).
    by_report: bool = False


ADMIN, REQUESTER, ASSIGNEE, ENGINEER, REQUESTER_IN_WINDOW = (
    "admin", "requester", "assignee", "engineer", "requester_in_window",
)
PRE_ASSIGNMENT = (Status.NEW, Status.APPROVED)
WORKING = (Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD)

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("approve", _("Approve"), (Status.NEW,), Status.APPROVED, (ADMIN,),
                   comment_label=_("Comment (optional)"), button="success"),
        Transition("reject", _("Reject"), (Status.NEW,), Status.REJECTED, (ADMIN,),
                   comment_required=True, comment_label=_("Why is it rejected?"), button="outline-danger"),
        Transition("cancel", _("Cancel ticket"), (Status.NEW,), Status.CANCELLED, (REQUESTER, ADMIN),
                   comment_label=_("Reason (optional)"), button="outline-danger",
                   confirm=_("Cancel this ticket?")),
        # Admins may also re-assign a job that is assigned but not started.
        Transition("assign", _("Assign"), (Status.NEW, Status.APPROVED, Status.ASSIGNED), Status.ASSIGNED,
                   (ADMIN,), needs_assignee=True, comment_label=_("Note for the assignee (optional)"),
                   button="primary"),
        Transition("take", _("Take this job"), PRE_ASSIGNMENT, Status.ASSIGNED, (ENGINEER,), button="primary"),
        Transition("start", _("Start work"), (Status.ASSIGNED,), Status.IN_PROGRESS, (ASSIGNEE,),
                   button="primary"),
        Transition("hold", _("Put on hold"), (Status.IN_PROGRESS,), Status.ON_HOLD, (ASSIGNEE, ADMIN),
                   comment_required=True, comment_label=_("Why is the work on hold?"), button="outline-warning"),
        Transition("resume", _("Resume work"), (Status.ON_HOLD,), Status.IN_PROGRESS, (ASSIGNEE, ADMIN),
                   button="primary"),
        Transition("resolve", _("Resolve"), (Status.IN_PROGRESS,), Status.RESOLVED, (ASSIGNEE,),
                   comment_required=True, comment_label=_("Resolution: what was done?"), button="success",
                   by_report=True),
        Transition("close", _("Close"), (Status.RESOLVED,), Status.CLOSED, (ADMIN, REQUESTER),
                   comment_label=_("Comment (optional)"), button="success"),
        Transition("close_solved", _("Close: solved, no longer needed"),
                   tuple(s for s in OPEN_STATUSES if s != Status.RESOLVED), Status.CLOSED, (REQUESTER,),
                   comment_label=_("What solved it? (optional)"), button="outline-secondary",
                   confirm=_("Close this ticket as solved?")),
        Transition("reopen", _("Reopen"), (Status.CLOSED, Status.REJECTED), None, (ADMIN, REQUESTER_IN_WINDOW),
                   comment_required=True, comment_label=_("Why reopen it?"), button="outline-warning"),
        # Service reports (tickets/services/reports.py): the requester refuses the report, which sends
        # the job back to work; an admin voiding the signature of a closed job reopens it for sign-off.
        Transition("refuse_report", _("Refuse the service report"), (Status.RESOLVED,), Status.IN_PROGRESS,
                   (REQUESTER,), comment_required=True, comment_label=_("Why is the work not accepted?"),
                   service_only=True),
        Transition("void_signoff", _("Void the sign-off"), (Status.CLOSED,), Status.RESOLVED, (ADMIN,),
                   comment_required=True, comment_label=_("Why is the signature voided?"), service_only=True),
    ]
}

# The public action names (buttons, API, macros, the signal contract); service-only ones are apart.
ACTIONS = tuple(a for a, t in TRANSITIONS.items() if not t.service_only)
SERVICE_ONLY_ACTIONS = tuple(a for a, t in TRANSITIONS.items() if t.service_only)


def _party_matches(party: str, ticket, user) -> bool:
    if party == ADMIN:
        return user.role == Role.ADMIN
    if party == REQUESTER:
        return ticket.requester_id == user.pk
    if party == ASSIGNEE:
        return ticket.assignee_id is not None and ticket.assignee_id == user.pk
    if party == ENGINEER:
        return user.role == Role.ENGINEER
    if party == REQUESTER_IN_WINDOW:
        if ticket.requester_id != user.pk:
            return False
        since = ticket.closed_at or ticket.status_changed_at
        window = timedelta(days=getattr(settings, "FIXDESK_REOPEN_WINDOW_DAYS", 14))
        return since is None or timezone.now() - since <= window
    raise ValueError(f"unknown party {party!r}")


def report_required(ticket) -> bool:
    """Whether the ticket is resolved only through its service report: its category says so, else the setting."""
    if ticket.category_id is None:
        return bool(getattr(settings, "FIXDESK_UNCATEGORISED_NEEDS_REPORT", False))
    return ticket.category.needs_service_report


def _refused_why(transition: Transition, ticket, user, via_service: bool) -> str | None:
    """Which rule refuses ``transition`` (a short key), or None when allowed: the rules, without the messages."""
    if not user.is_authenticated or not user.is_active:
        return "sign_in"
    if ticket.status not in transition.sources:
        return "status"
    if not any(_party_matches(p, ticket, user) for p in transition.parties):
        return "party"
    if transition.by_report and not via_service and report_required(ticket):
        return "report"
    return None


def refusal(ticket, user, action: str, *, via_service: bool = False) -> str | None:
    """Why ``user`` may not perform ``action`` on ``ticket`` now, or None when allowed.

    ``via_service``: asked by the service that owns the action (the service report resolving its job).
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        return str(_("Unknown action “%(action)s”.") % {"action": action})
    why = _refused_why(transition, ticket, user, via_service)
    if why is None:
        return None
    if why == "sign_in":
        return str(_("Please sign in."))
    if why == "status":
        return str(
            _("“%(label)s” is not possible while the ticket is %(status)s.")
            % {"label": transition.label, "status": ticket.get_status_display().lower()}
        )
    if why == "party":
        return str(_("You may not “%(label)s” this ticket.") % {"label": transition.label})
    return str(_("This job needs a service report: write the report of your visit and submit it (without a "
                 "follow-up visit) to resolve the job."))


def check(ticket, user, action: str, *, via_service: bool = False) -> None:
    """Raise ``ReportRequired`` (only the service report is missing) or ``ActionNotAllowed`` when refused."""
    from tickets.errors import ActionNotAllowed, ReportRequired

    reason = refusal(ticket, user, action, via_service=via_service)
    if reason is None:
        return
    if not via_service and waits_for_report(ticket, user, action):
        raise ReportRequired(reason)
    raise ActionNotAllowed(reason)


def waits_for_report(ticket, user, action: str = "resolve") -> bool:
    """True when only the missing service report keeps ``user`` from ``action`` (the page says so)."""
    return (refusal(ticket, user, action, via_service=True) is None
            and refusal(ticket, user, action) is not None)


def is_allowed(ticket, user, action: str) -> bool:
    transition = TRANSITIONS.get(action)
    return transition is not None and _refused_why(transition, ticket, user, False) is None


def available_actions(ticket, user, *, only=None) -> list[Transition]:
    """The transitions ``user`` may perform on ``ticket`` now, in table order (buttons: no service-only ones);
    ``only``: among these actions alone (a page that shows a few buttons need not weigh them all)."""
    # The rules only: building each refusal's message cost a translated, formatted string per action and row.
    return [t for t in TRANSITIONS.values() if not t.service_only and (only is None or t.action in only)
            and _refused_why(t, ticket, user, False) is None]


def target_for(ticket, action: str) -> str:
    """The status ``action`` leads to from the ticket's current state."""
    transition = TRANSITIONS[action]
    if transition.target is not None:
        return transition.target
    # reopen: a ticket that was worked on goes back to work; one never assigned goes back to triage.
    if ticket.status == Status.CLOSED and ticket.assignee_id:
        return Status.IN_PROGRESS
    return Status.NEW
