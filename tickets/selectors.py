"""Reads of tickets. Every read starts from ``tickets_visible_to(user)``: the single door."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet
from django.http import Http404

from accounts.models import Role
from tickets.models import OPEN_STATUSES, Comment, Macro, Status, Ticket, TicketEvent
from tickets.permissions import can_see_internal
from tickets.search import text_match

LIST_RELATED = ("requester", "assignee", "category", "site", "location")

# ?sort= values accepted by the lists; anything else falls back to the default. Each is ordered
# (key, -id) and has an index in that order (Ticket.Meta.indexes, "ticket_sort_*"): a new sort
# needs its index too (tickets/tests/test_sort_indexes.py checks the plans).
SORTS = {
    "created": "created_at", "-created": "-created_at",
    "updated": "updated_at", "-updated": "-updated_at",
    "priority": "priority_rank", "-priority": "-priority_rank",
    "status": "status", "-status": "-status",
    "title": "title", "-title": "-title",
    "id": "id", "-id": "-id",
    # SLA: the resolution deadline nearest first; tickets without one last.
    "due": F("resolution_due_at").asc(nulls_last=True),
}


def tickets_deleted_for(user) -> QuerySet[Ticket]:
    """Soft-deleted tickets, newest deletion first: admins only (empty for everybody else)."""
    from tickets.permissions import can_restore

    qs = Ticket.objects.filter(deleted_at__isnull=False).select_related(*LIST_RELATED).order_by("-deleted_at", "-id")
    return qs if can_restore(user) else qs.none()


def tickets_visible_to(user) -> QuerySet[Ticket]:
    """The tickets ``user`` may see, never the soft-deleted ones; empty for anonymous users."""
    qs = Ticket.objects.filter(deleted_at__isnull=True)
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if user.role in (Role.ADMIN, Role.ENGINEER):
        return qs
    # Each branch is a plain column test on the ticket table, so each can use its own index
    # (requester, assignee); the organisation is a subquery on users, not a join, which made
    # the OR unindexable and "My tickets" take seconds at 100k tickets (docs/bench.md).
    mine = Q(requester_id=user.pk) | Q(assignee_id=user.pk)
    if user.role == Role.CUSTOMER and user.organization_id:
        shares, assigned = _organization_shares(user)
        if shares:
            # The members include the user. Without the assignee branch (a customer is assigned a
            # ticket only as a former technician) the list is one index range per member in the
            # lists' order (ticket_live_requester_idx), read without the table: page 1, a deep
            # page and the count at 7,000 shared tickets take an index walk, not a sort of rows.
            members = get_user_model()._default_manager.filter(organization_id=user.organization_id).values("pk")
            mine = Q(requester_id__in=members) | Q(assignee_id=user.pk) if assigned else Q(requester_id__in=members)
    return qs.filter(mine)


def _organization_shares(user) -> tuple[bool, bool]:
    """(the customer's organisation shares its tickets, a live ticket is assigned to the customer),
    read with ``user.organization`` in one query when that is not loaded yet (it stays cached)."""
    from django.db.models import Exists

    assigned = Ticket.objects.filter(assignee_id=user.pk, deleted_at__isnull=True)
    descriptor = get_user_model().organization
    if descriptor.is_cached(user):
        org = user.organization
        if org is None or not org.members_see_all_tickets:
            return False, False
        if not hasattr(org, "assignee_has_tickets"):  # loaded elsewhere: ask once, keep the answer
            org.assignee_has_tickets = assigned.exists()
        return True, org.assignee_has_tickets
    org = descriptor.get_queryset().annotate(assignee_has_tickets=Exists(assigned)).filter(
        pk=user.organization_id).first()
    if org is None:
        return False, False
    user.organization = org
    return org.members_see_all_tickets, org.assignee_has_tickets


def ticket_get_for(user, pk) -> Ticket:
    """The ticket ``pk`` if ``user`` may see it; Http404 otherwise (existence never leaks)."""
    try:
        return tickets_visible_to(user).select_related(
            *LIST_RELATED, "equipment__model__manufacturer", "vehicle", "requester__organization"
        ).get(pk=int(pk))
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise Http404("No such ticket.") from None


def ticket_list(*, user, filters: dict | None = None, sort: str = "", base: QuerySet | None = None) -> QuerySet:
    """Visible tickets filtered by the cleaned ``filters`` and sorted by an allow-listed key."""
    filters = filters or {}
    qs = base if base is not None else tickets_visible_to(user)
    qs = qs.select_related(*LIST_RELATED)
    status = filters.get("status")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        qs = qs.exclude(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    for field in ("priority", "category", "site", "assignee"):
        if filters.get(field):
            qs = qs.filter(**{field: filters[field]})
    if filters.get("unassigned"):
        qs = qs.filter(assignee__isnull=True)
    if filters.get("escalated"):
        qs = qs.filter(escalation_level__gt=0)
    if filters.get("sla"):
        from django.utils import timezone

        from tickets.sla import sla_filter

        qs = sla_filter(qs, filters["sla"], timezone.now())
    q = (filters.get("q") or "").strip()
    if q:
        match = text_match(q)
        ref = Ticket.pk_from_reference(q)
        if ref is not None:
            match |= Q(pk=ref)
        qs = qs.filter(match)
    order = SORTS.get(sort or "", "-created_at")
    return qs.order_by(order, "-id")


# What a row of the ticket lists shows (templates/tickets/includes/ticket_rows.html and the
# badges), the sort keys a cursor is read from, and the related rows' names: nothing else is
# loaded (no description, no phone number to parse, no password hashes of the people).
LIST_ROW_FIELDS = (
    "id", "title", "status", "priority", "escalation_level", "created_at", "updated_at",
    "responded_at", "response_due_at", "resolution_due_at", "resolved_at",
    "category", "category__name", "site", "site__name", "location", "location__name", "location__path",
    "requester", "requester__first_name", "requester__last_name",
    "assignee", "assignee__first_name", "assignee__last_name",
)


def ticket_rows_only(qs: QuerySet) -> QuerySet:
    """``ticket_list`` loading only what the list rows show (``LIST_ROW_FIELDS``)."""
    return qs.only(*LIST_ROW_FIELDS)


def jobs_for(user) -> QuerySet:
    """The user's open jobs, newest assignment first."""
    qs = tickets_visible_to(user).filter(
        assignee=user, status__in=(Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD)
    )
    return qs.select_related(*LIST_RELATED, "equipment__model", "vehicle").order_by("-assigned_at", "-id")


def comments_for(user, ticket) -> QuerySet[Comment]:
    """The comments ``user`` may read on ``ticket``: internal notes only for staff."""
    qs = ticket.comments.select_related("author")
    if not can_see_internal(user):
        qs = qs.filter(is_internal=False)
    return qs


# Events that carry internal text: customers see the status change, never the internal detail.
def events_for(user, ticket) -> QuerySet[TicketEvent]:
    return ticket.events.select_related("actor")


def timeline_for(user, ticket) -> list[dict]:
    """Events and the comments the user may read, merged oldest first."""
    staff = can_see_internal(user)
    items = []
    for event in events_for(user, ticket):
        if event.action == "comment":
            continue  # the comment itself is on the timeline
        changes = dict(event.changes or {})
        if not staff:
            changes.pop("internal_note", None)
        items.append({"kind": "event", "at": event.created_at, "id": event.pk, "event": event, "changes": changes})
    for comment in comments_for(user, ticket):
        items.append({"kind": "comment", "at": comment.created_at, "id": comment.pk, "comment": comment})
    return sorted(items, key=lambda i: (i["at"], 0 if i["kind"] == "event" else 1, i["id"]))


class InvalidTimelineCursor(ValueError):
    pass


@dataclass(frozen=True)
class TimelinePage:
    items: list[dict]  # oldest first, like timeline_for
    earlier: str | None  # cursor of the entries before these; None when these reach the beginning


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CURSOR = re.compile(r"(\d{1,17})\.([01])\.(\d{1,18})")


def _timeline_key(item: dict) -> tuple:
    return item["at"], 0 if item["kind"] == "event" else 1, item["id"]


def timeline_cursor(item: dict) -> str:
    """An opaque cursor naming the timeline position of ``item``: ``<microseconds>.<kind>.<id>``."""
    at, kind, pk = _timeline_key(item)
    return f"{(at - _EPOCH) // timedelta(microseconds=1)}.{kind}.{pk}"


def timeline_cursor_parse(value: str) -> tuple[datetime, int, int]:
    """The (time, kind, id) of a cursor from ``timeline_cursor``; InvalidTimelineCursor for anything else."""
    match = _CURSOR.fullmatch(value or "")
    if not match:
        raise InvalidTimelineCursor(value)
    try:
        at = _EPOCH + timedelta(microseconds=int(match[1]))
    except OverflowError:
        raise InvalidTimelineCursor(value) from None
    return at, int(match[2]), int(match[3])


def timeline_page(user, ticket, *, before: str = "", size: int | None = None) -> TimelinePage:
    """The newest ``size`` timeline entries the user may read (before the cursor ``before``, if given).

    Two keyset queries, events and comments, each at most ``size + 1`` rows newest first through
    their (ticket, created_at) index, merged in Python: the cost is the same for a ticket with ten
    entries or ten thousand, and an earlier page applies exactly the same visibility rules.
    """
    size = size or settings.FIXDESK_TIMELINE_PAGE_SIZE
    staff = can_see_internal(user)
    # The comment itself is on the timeline. People's phone numbers are not shown here: not read,
    # so not parsed (a phonenumbers parse per row was a tenth of the page).
    events = events_for(user, ticket).exclude(action="comment").defer("actor__phone")
    comments = comments_for(user, ticket).defer("author__phone")
    if before:
        at, kind, pk = timeline_cursor_parse(before)
        # Timeline order is (time, events before comments, id): keep what sorts before the cursor,
        # written as ``created_at <= at AND (...)`` so the index seeks to ``at``.
        events = events.filter(created_at__lte=at)
        comments = comments.filter(created_at__lte=at)
        if kind == 0:
            events = events.filter(Q(created_at__lt=at) | Q(id__lt=pk))
            comments = comments.filter(created_at__lt=at)
        else:
            comments = comments.filter(Q(created_at__lt=at) | Q(id__lt=pk))
    items = []
    for event in events.order_by("-created_at", "-id")[: size + 1]:
        changes = dict(event.changes or {})
        if not staff:
            changes.pop("internal_note", None)
        items.append({"kind": "event", "at": event.created_at, "id": event.pk, "event": event, "changes": changes})
    for comment in comments.order_by("-created_at", "-id")[: size + 1]:
        items.append({"kind": "comment", "at": comment.created_at, "id": comment.pk, "comment": comment})
    items.sort(key=_timeline_key, reverse=True)
    shown = items[:size][::-1]
    return TimelinePage(items=shown, earlier=timeline_cursor(shown[0]) if len(items) > size else None)


def photos_for(user, ticket):
    return ticket.photos.all()


def macros_for(user) -> QuerySet[Macro]:
    """Active shared macros plus the user's own personal ones."""
    return Macro.objects.filter(Q(owner__isnull=True) | Q(owner=user), active=True).select_related("assign_to")


def events_since(ticket, version: int) -> QuerySet[TicketEvent]:
    """What changed after the ``version`` a form was loaded at (for the conflict message)."""
    return ticket.events.filter(ticket_version__gt=version).select_related("actor")


def status_counts(qs: QuerySet) -> dict[str, int]:
    from django.db.models import Count

    return dict(qs.order_by().values_list("status").annotate(n=Count("*")))


__all__ = [
    "tickets_visible_to", "ticket_get_for", "ticket_list", "ticket_rows_only", "jobs_for", "comments_for",
    "timeline_for", "timeline_page", "timeline_cursor", "InvalidTimelineCursor", "TimelinePage",
    "photos_for", "macros_for", "events_since", "status_counts", "SORTS",
]
