"""SLA clocks: which policy applies, when a ticket's response and resolution are due, pauses.

The ticket services call :func:`sla_refresh` (creation, priority/category/site change) and
:func:`sla_on_transition` (every status change) on the locked ticket *before* they save it, so
the due times are written in the same row update and transaction as the change that moved
them. Nothing here saves; ``now`` is always passed in by the caller.

The clock runs in ``RUNNING`` statuses. Leaving them (on hold, resolved, closed, ...) stamps
``sla_paused_at``; coming back adds the paused *working* time to ``sla_paused_seconds`` and the
due times are recomputed as ``created_at + target + paused`` on the policy's calendar: exact
however many times a ticket is held and resumed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import BooleanField, F, Func, Q, QuerySet
from django.utils.translation import gettext as _

from tickets.business_hours import Hours, add_working_time, working_seconds_between
from tickets.models import RUNNING_STATUSES, Priority, SLAPolicy, Status, Ticket

RUNNING = (Status.NEW, Status.APPROVED, Status.ASSIGNED, Status.IN_PROGRESS)
# The resolution clock is finished in these; its due time is then frozen for reporting.
RESOLUTION_DONE = (Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.CANCELLED)
assert [s.value for s in RUNNING] == RUNNING_STATUSES  # noqa: S101 - the indexes' conditions
MAX_LEVEL = 2
PRIORITY_STEPS = [Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT]


def due_soon_window() -> timedelta:
    return timedelta(hours=getattr(settings, "FIXDESK_SLA_DUE_SOON_HOURS", 4))


def default_level2_after() -> timedelta:
    return timedelta(minutes=getattr(settings, "FIXDESK_ESCALATION_LEVEL2_MINUTES", 240))


def priority_raised(priority: str) -> str:
    """One step up (urgent stays urgent)."""
    index = PRIORITY_STEPS.index(priority) if priority in PRIORITY_STEPS else 1
    return PRIORITY_STEPS[min(index + 1, len(PRIORITY_STEPS) - 1)]


# Policies ---------------------------------------------------------------------------------

def policy_for(*, priority: str, category_id: int | None, site_id: int | None) -> SLAPolicy | None:
    """The most specific active policy: category+site, then category, then site, then priority alone."""
    candidates = SLAPolicy.objects.filter(active=True, priority=priority).filter(
        Q(category__isnull=True) | Q(category_id=category_id), Q(site__isnull=True) | Q(site_id=site_id),
    ).select_related("calendar")
    best, best_rank = None, -1
    for policy in candidates:
        rank = (2 if policy.category_id else 0) + (1 if policy.site_id else 0)
        if rank > best_rank:
            best, best_rank = policy, rank
    return best


def hours_for(policy: SLAPolicy | None) -> Hours | None:
    """The working calendar a policy counts on; None: around the clock."""
    if policy is None or policy.calendar_id is None:
        return None
    return policy.calendar.hours()


# Due times --------------------------------------------------------------------------------

def first_pending_deadline(ticket: Ticket) -> tuple[str, datetime] | tuple[None, None]:
    """("response"|"resolution", due) of the earliest deadline still to be met while the clock runs."""
    if ticket.status not in RUNNING:
        return None, None
    pending = []
    if ticket.responded_at is None and ticket.response_due_at is not None:
        pending.append(("response", ticket.response_due_at))
    if ticket.resolution_due_at is not None:
        pending.append(("resolution", ticket.resolution_due_at))
    if not pending:
        return None, None
    return min(pending, key=lambda p: p[1])


def next_escalation_at(ticket: Ticket, policy: SLAPolicy | None, hours: Hours | None) -> datetime | None:
    """When the sweep must raise this ticket next (None: never, as things stand).

    Level 0 -> 1 at the first missed deadline; 1 -> 2 once it is still late ``level2_after``
    (working time) after the first escalation. Nothing while the clock is paused or past level 2.
    """
    if ticket.deleted_at is not None or ticket.escalation_level >= MAX_LEVEL:
        return None
    _kind, deadline = first_pending_deadline(ticket)
    if deadline is None:
        return None
    if ticket.escalation_level == 0 or ticket.escalated_at is None:
        return deadline
    if policy is not None:
        grace_at = add_working_time(ticket.escalated_at, policy.level2_after_minutes * 60, hours)
    else:
        grace_at = ticket.escalated_at + default_level2_after()
    return max(grace_at, deadline)


def sla_refresh(*, ticket: Ticket, now: datetime) -> None:
    """Match the policy and recompute the due times and next escalation (mutates, does not save).

    A response already given keeps its due time; a finished resolution keeps its due time, so
    what was met or missed stays true in the reports.
    """
    policy = policy_for(priority=ticket.priority, category_id=ticket.category_id, site_id=ticket.site_id)
    ticket.sla_policy = policy
    hours = hours_for(policy)
    created = ticket.created_at or now
    paused = ticket.sla_paused_seconds or 0
    if policy is None:
        if ticket.responded_at is None:
            ticket.response_due_at = None
        if ticket.status not in RESOLUTION_DONE:
            ticket.resolution_due_at = None
    else:
        if ticket.responded_at is None or ticket.response_due_at is None:
            ticket.response_due_at = add_working_time(created, policy.response_minutes * 60 + paused, hours)
        if ticket.status not in RESOLUTION_DONE or ticket.resolution_due_at is None:
            ticket.resolution_due_at = add_working_time(created, policy.resolution_minutes * 60 + paused, hours)
    ticket.escalate_at = next_escalation_at(ticket, policy, hours)


def sla_on_transition(*, ticket: Ticket, action: str, from_status: str, to_status: str, now: datetime) -> None:
    """Stop or restart the clock for a status change (mutates, does not save)."""
    if action in ("assign", "take") and ticket.responded_at is None:
        ticket.responded_at = now
    was_running, running = from_status in RUNNING, to_status in RUNNING
    if was_running and not running:
        ticket.sla_paused_at = now
    elif running and not was_running:
        if ticket.sla_paused_at is not None:
            hours = hours_for(ticket.sla_policy) if ticket.sla_policy_id else None
            held = working_seconds_between(ticket.sla_paused_at, now, hours)
            ticket.sla_paused_seconds = (ticket.sla_paused_seconds or 0) + round(held)
            ticket.sla_paused_at = None
        sla_refresh(ticket=ticket, now=now)
        return
    policy = ticket.sla_policy if ticket.sla_policy_id else None
    ticket.escalate_at = next_escalation_at(ticket, policy, hours_for(policy))


# What the pages show ----------------------------------------------------------------------

@dataclass(frozen=True)
class SlaState:
    kind: str  # "response" | "resolution"
    state: str  # "overdue" | "due_soon" | "ok" | "paused" | "met" | "missed"
    due: datetime
    delta: timedelta  # time left (positive) or overdue (as a positive amount)

    @property
    def css(self) -> str:
        return {"overdue": "text-bg-danger", "missed": "text-bg-danger", "due_soon": "text-bg-warning",
                "ok": "text-bg-success", "met": "text-bg-light border", "paused": "text-bg-secondary"}[self.state]

    @property
    def label(self) -> str:
        what = _("response") if self.kind == "response" else _("resolution")
        span = humanize_span(self.delta)
        return {
            "overdue": _("%(what)s overdue by %(span)s"),
            "due_soon": _("%(what)s due in %(span)s"),
            "ok": _("%(what)s due in %(span)s"),
            "paused": _("%(what)s clock paused"),
            "met": _("%(what)s target met"),
            "missed": _("%(what)s target missed"),
        }[self.state] % {"what": what.capitalize(), "span": span}


def humanize_span(delta: timedelta) -> str:
    minutes = int(abs(delta.total_seconds()) // 60)
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m"


def sla_state(ticket: Ticket, now: datetime) -> SlaState | None:
    """The one deadline a person should look at now, coloured by how close it is; None without SLA."""
    if ticket.status in RESOLUTION_DONE:
        if ticket.resolution_due_at is None or ticket.resolved_at is None:
            return None
        met = ticket.resolved_at <= ticket.resolution_due_at
        return SlaState("resolution", "met" if met else "missed", ticket.resolution_due_at, timedelta(0))
    if ticket.status == Status.ON_HOLD:
        if ticket.resolution_due_at is None:
            return None
        return SlaState("resolution", "paused", ticket.resolution_due_at, timedelta(0))
    kind, due = first_pending_deadline(ticket)
    if due is None:
        return None
    left = due - now
    if left < timedelta(0):
        return SlaState(kind, "overdue", due, -left)
    return SlaState(kind, "due_soon" if left <= due_soon_window() else "ok", due, left)


class _LiteralIn(Func):
    """``column IN ('a', 'b')`` with the (constant, enum) values written into the SQL.

    SQLite uses a partial index only when the query repeats the index's WHERE terms as written;
    a status list sent as bound parameters (``IN (?, ?)``) never matches the index's
    ``IN ('new', ...)``, so the dashboards' partial indexes over running tickets need the
    literal list. Only values of ``[a-z_]`` are accepted: nothing typed by a user gets here.
    """

    output_field = BooleanField()

    def __init__(self, expression, values):
        values = tuple(str(v) for v in values)
        if not all(_ENUM_VALUE.fullmatch(v) for v in values):
            raise ValueError("literal IN lists take enum values only")
        super().__init__(expression)
        self.values = values

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        listed = ", ".join(f"'{v}'" for v in self.values)
        return f"{sql} IN ({listed})", params


_ENUM_VALUE = re.compile(r"[a-z_]+")


def status_in(statuses) -> _LiteralIn:
    """A filter ``status IN (...)`` that the partial indexes over ``statuses`` can serve
    (same order as in the index's condition)."""
    return _LiteralIn(F("status"), statuses)


def _late_by(moment: datetime) -> Q:
    """Running tickets with a deadline still to meet that falls before ``moment``."""
    return Q(status__in=RUNNING) & (
        Q(responded_at__isnull=True, response_due_at__lt=moment) | Q(resolution_due_at__lt=moment)
    )


def sla_filter(qs: QuerySet, kind: str, now: datetime) -> QuerySet:
    """``breached``: a deadline has passed; ``due_soon``: not breached, one falls within the window."""
    if kind == "breached":
        return qs.filter(_late_by(now))
    if kind == "due_soon":
        return qs.filter(_late_by(now + due_soon_window())).exclude(_late_by(now))
    return qs


# After a policy or calendar change ---------------------------------------------------------

def sla_recompute_open(*, actor, now: datetime, priority: str | None = None, dry_run: bool = False,
                       progress=None) -> int:
    """Re-match the policy and recompute the deadlines of open tickets (of ``priority``); returns how many change.

    Each ticket is locked and saved in its own short transaction, so the pages and the sweep
    keep working while a large backlog is recomputed. ``dry_run`` counts and writes nothing.
    ``actor`` None is the operator's command; otherwise admins only.
    """
    from django.core.exceptions import PermissionDenied
    from django.db import transaction

    from tickets.models import OPEN_STATUSES
    from tickets.services.common import lock

    if actor is not None and not (actor.is_active and actor.role == "admin"):
        raise PermissionDenied(_("Only admins manage SLA policies."))
    fields = ("sla_policy_id", "response_due_at", "resolution_due_at", "escalate_at")
    qs = Ticket.objects.filter(status__in=OPEN_STATUSES, deleted_at__isnull=True)
    if priority:
        qs = qs.filter(priority=priority)
    pks = list(qs.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for n, pk in enumerate(pks, 1):
        with transaction.atomic():
            ticket = lock(pk)
            before = [getattr(ticket, f) for f in fields]
            sla_refresh(ticket=ticket, now=now)
            if [getattr(ticket, f) for f in fields] != before:
                changed += 1
                if not dry_run:
                    ticket.save(update_fields=["sla_policy", "response_due_at", "resolution_due_at", "escalate_at"])
        if progress:
            progress(n, len(pks))
    return changed
