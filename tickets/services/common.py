"""Helpers shared by the ticket services."""

from django.utils import timezone

from tickets.models import Ticket, TicketEvent


def display(value) -> str:
    """How an old/new value is kept in an event: text, never a live object."""
    if value is None or value == "":
        return ""
    if hasattr(value, "get_full_name"):
        return value.get_full_name() or str(value)
    return str(value)


def record_event(*, ticket: Ticket, actor, action: str, from_status: str = "", to_status: str = "",
                 changes: dict | None = None) -> TicketEvent:
    """Append one audit row, stamped with the ticket version it produced."""
    return TicketEvent.objects.create(
        ticket=ticket, actor=actor, action=action, from_status=from_status, to_status=to_status,
        changes=changes or {}, ticket_version=ticket.version,
    )


def lock(ticket_or_pk) -> Ticket:
    """The ticket row, locked until the transaction ends (no outer joins: PostgreSQL refuses them)."""
    pk = getattr(ticket_or_pk, "pk", ticket_or_pk)
    return Ticket.objects.select_for_update().get(pk=pk)


def now():
    return timezone.now()
