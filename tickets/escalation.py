"""The escalation sweep: late tickets and unusually delayed ones go up one level, once per level.

``escalation_sweep(now=...)`` runs every 5 minutes (django-q2 schedule, ``tickets/schedules.py``)
and on demand (``manage.py escalate_tickets [--dry-run]``). Two steps:

1. **Deadlines.** Every live ticket carries ``escalate_at``, the moment it must go up next
   (kept by ``tickets/sla.py``, NULL when nothing is pending, e.g. on hold). The candidates are
   one range scan on the partial index ``ticket_escalate_at_idx``: cost grows with the number
   of tickets due, not with the number of open tickets.
2. **Unusual delays.** For each (category, status) with at least ``FIXDESK_DELAY_MIN_SAMPLES``
   finished stays in the last ``FIXDESK_DELAY_HISTORY_DAYS``, the 90th percentile of the time
   tickets spent in that status; open tickets in that status for longer are flagged (once per
   stay in a status) and escalated the same way, with or without an SLA policy.

Each escalation locks the ticket row and re-checks, under the lock, that the ticket is still at
the level the sweep saw and still due: a second sweep running at the same moment, or a sweep
replaying after a long pause, finds nothing left to do. Level 1 notifies the assignee and the
admins; level 2 the admins again and raises the priority one step (``ticket_escalated``).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Window
from django.db.models.functions import Lag
from django.utils.translation import gettext as _

from tickets import signals
from tickets.models import Category, Status, Ticket, TicketEvent
from tickets.presentation import status_label
from tickets.services.common import display, lock, record_event
from tickets.sla import MAX_LEVEL, RUNNING, hours_for, humanize_span, next_escalation_at, priority_raised

DELAY_STATUSES = (*RUNNING, Status.ON_HOLD)
SLA, DELAY = "sla", "delay"


def _setting(name: str, default):
    return getattr(settings, name, default)


@dataclass
class Candidate:
    pk: int
    level: int
    source: str  # SLA | DELAY
    reason: str


@dataclass
class SweepResult:
    now: datetime
    dry_run: bool
    escalated: list[tuple[Ticket, int, str]] = field(default_factory=list)  # (ticket, new level, reason)
    skipped: int = 0  # candidates another sweep (or a change) got to first
    remaining: int = 0  # left for the next run when the time budget ran out

    @property
    def count(self) -> int:
        return len(self.escalated)


# Step 1: deadlines ------------------------------------------------------------------------

def due_for_escalation(*, now: datetime) -> list[Candidate]:
    """Live tickets whose next escalation time has come: one indexed range scan."""
    rows = (
        Ticket.objects.filter(escalate_at__lte=now, deleted_at__isnull=True)
        .order_by("escalate_at", "pk")
        .values_list("pk", "escalation_level", "responded_at", "response_due_at", "resolution_due_at")
    )
    out = []
    for pk, level, responded_at, response_due, resolution_due in rows:
        if responded_at is None and response_due is not None and response_due <= now:
            what = _("response overdue since %(due)s") % {"due": response_due.isoformat(timespec="minutes")}
        elif resolution_due is not None:
            what = _("resolution overdue since %(due)s") % {"due": resolution_due.isoformat(timespec="minutes")}
        else:
            what = _("deadline passed")
        if level >= 1:
            what = _("still late after the first escalation: %(what)s") % {"what": what}
        out.append(Candidate(pk, level, SLA, what))
    return out


# Step 2: unusual delays -------------------------------------------------------------------

def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def status_durations(*, now: datetime) -> dict[tuple[int, str], list[float]]:
    """{(category id, status): [seconds spent in that status]} for stays that ended in the history window."""
    since = now - timedelta(days=_setting("FIXDESK_DELAY_HISTORY_DAYS", 90))
    order = [F("created_at").asc(), F("id").asc()]
    rows = (
        TicketEvent.objects.filter(created_at__gte=since, created_at__lte=now, ticket__category__isnull=False)
        .exclude(to_status="")
        .annotate(
            prev_at=Window(Lag("created_at"), partition_by=[F("ticket_id")], order_by=order),
            prev_status=Window(Lag("to_status"), partition_by=[F("ticket_id")], order_by=order),
        )
        .values_list("ticket__category_id", "prev_status", "prev_at", "created_at")
    )
    out: dict[tuple[int, str], list[float]] = defaultdict(list)
    for category_id, prev_status, prev_at, left_at in rows:
        if prev_at is not None and prev_status in DELAY_STATUSES:
            out[(category_id, prev_status)].append((left_at - prev_at).total_seconds())
    return out


def delay_thresholds(*, now: datetime) -> dict[tuple[int, str], float]:
    """{(category id, status): seconds} above which a stay is unusual (only with enough history)."""
    pct = _setting("FIXDESK_DELAY_PERCENTILE", 90)
    minimum = _setting("FIXDESK_DELAY_MIN_SAMPLES", 20)
    return {key: percentile(values, pct) for key, values in status_durations(now=now).items()
            if len(values) >= minimum}


def unusually_delayed(*, now: datetime, thresholds: dict | None = None) -> list[Candidate]:
    """Open tickets in their current status longer than the percentile, not yet flagged for this stay."""
    thresholds = delay_thresholds(now=now) if thresholds is None else thresholds
    if not thresholds:
        return []
    match = Q()
    for (category_id, status), seconds in thresholds.items():
        match |= Q(category_id=category_id, status=status, status_changed_at__lt=now - timedelta(seconds=seconds))
    rows = (
        Ticket.objects.filter(match, deleted_at__isnull=True, escalation_level__lt=MAX_LEVEL)
        .filter(Q(delay_flagged_at__isnull=True) | Q(delay_flagged_at__lt=F("status_changed_at")))
        .order_by("status_changed_at", "pk")
        .values_list("pk", "escalation_level", "category_id", "status", "status_changed_at")
    )
    names = dict(Category.objects.values_list("pk", "name"))
    out = []
    for pk, level, category_id, status, since in rows:
        limit = thresholds[(category_id, status)]
        out.append(Candidate(pk, level, DELAY, _(
            "unusual delay: %(status)s for %(span)s, longer than 9 in 10 %(category)s tickets (%(limit)s)"
        ) % {"status": status_label(status).lower(), "span": humanize_span(now - since),
             "category": names.get(category_id, "?"), "limit": humanize_span(timedelta(seconds=limit))}))
    return out


# The escalation itself --------------------------------------------------------------------

def _still_due(ticket: Ticket, candidate: Candidate, now: datetime) -> bool:
    if ticket.deleted_at is not None or ticket.escalation_level != candidate.level:
        return False
    if ticket.escalation_level >= MAX_LEVEL:
        return False
    if candidate.source == SLA:
        return ticket.status in RUNNING and ticket.escalate_at is not None and ticket.escalate_at <= now
    return ticket.status in DELAY_STATUSES and (
        ticket.delay_flagged_at is None
        or (ticket.status_changed_at is not None and ticket.delay_flagged_at < ticket.status_changed_at)
    )


@transaction.atomic
def ticket_escalate(*, candidate: Candidate, now: datetime, actor=None) -> Ticket | None:
    """Raise one ticket one level if, under its row lock, it is still due; None when it no longer is."""
    ticket = lock(candidate.pk)
    if not _still_due(ticket, candidate, now):
        return None
    old_level, new_level = ticket.escalation_level, ticket.escalation_level + 1
    changes: dict = {"level": new_level, "escalation_level": [old_level, new_level], "reason": candidate.reason,
                     "source": candidate.source}
    if new_level >= 2:
        raised = priority_raised(ticket.priority)
        if raised != ticket.priority:
            changes["priority"] = [display(ticket.priority), display(raised)]
            ticket.priority = raised
    if candidate.source == DELAY:
        ticket.delay_flagged_at = now
    ticket.escalation_level = new_level
    ticket.escalated_at = now
    policy = ticket.sla_policy if ticket.sla_policy_id else None
    ticket.escalate_at = next_escalation_at(ticket, policy, hours_for(policy))
    ticket.version += 1
    ticket.save()
    event = record_event(ticket=ticket, actor=actor, action="escalate", changes=changes)
    signals.ticket_escalated.send(sender=Ticket, ticket=ticket, actor=actor, level=new_level,
                                  reason=candidate.reason, event=event)
    return ticket


def escalation_sweep(*, now: datetime, dry_run: bool = False, max_seconds: float | None = None,
                     progress: Callable[[int, int], None] | None = None) -> SweepResult:
    """Escalate every ticket due now, each by one level; ``dry_run`` reports and writes nothing.

    ``max_seconds`` bounds a scheduled run (the job timeout): the most overdue tickets go first
    and whatever is left is picked up by the next run, since each escalation commits on its own.
    """
    result = SweepResult(now=now, dry_run=dry_run)
    candidates = due_for_escalation(now=now)
    seen = {c.pk for c in candidates}
    candidates += [c for c in unusually_delayed(now=now) if c.pk not in seen]  # one level per sweep
    total = len(candidates)
    if dry_run:
        tickets = Ticket.objects.in_bulk([c.pk for c in candidates])
        for n, c in enumerate(candidates, 1):
            result.escalated.append((tickets[c.pk], c.level + 1, c.reason))
            if progress:
                progress(n, total)
        return result
    started = time.monotonic()
    for n, c in enumerate(candidates, 1):
        if max_seconds is not None and time.monotonic() - started >= max_seconds:
            result.remaining = total - n + 1
            break
        ticket = ticket_escalate(candidate=c, now=now)
        if ticket is None:
            result.skipped += 1
        else:
            result.escalated.append((ticket, ticket.escalation_level, c.reason))
        if progress:
            progress(n, total)
    return result
