"""Bulk actions from the queue: each ticket through ``ticket_transition``, one transaction each."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from tickets import permissions
from tickets.errors import TicketError
from tickets.models import Ticket

BULK_ACTIONS = ("approve", "assign", "close")


def tickets_bulk_transition(*, actor, tickets, action: str, assignee=None, vehicle=None,
                            comment: str = "") -> tuple[list[Ticket], list[tuple[Ticket, str]]]:
    """Apply ``action`` to each ticket; returns (done, [(ticket, why refused)]). One failure stops none."""
    from tickets.services.tickets import ticket_transition

    if not permissions.can_bulk_edit(actor):
        raise PermissionDenied(_("Only admins use bulk actions."))
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": _("Choose an action.")})
    done, failed = [], []
    for ticket in tickets:
        try:
            done.append(ticket_transition(actor=actor, ticket=ticket, action=action, comment=comment,
                                          assignee=assignee, vehicle=vehicle if action == "assign" else None))
        except TicketError as exc:
            failed.append((ticket, exc.message))
        except ValidationError as exc:
            failed.append((ticket, "; ".join(exc.messages)))
    return done, failed
