"""Make tickets with the ORM and announce them as the tickets services do (inside a transaction)."""

import itertools

from django.db import transaction

from tickets import signals
from tickets.models import Comment, Status, Ticket, TicketEvent

_n = itertools.count(1)


def make_ticket(requester, *, assignee=None, status=Status.NEW, **extra) -> Ticket:
    n = next(_n)
    return Ticket.objects.create(
        title=extra.pop("title", f"Leaking tap {n}"), description=extra.pop("description", "Water on the floor."),
        requester=requester, assignee=assignee, status=status, **extra,
    )


def transition(ticket, action, *, actor, to_status=None, assignee=None, comment=""):
    """Do what ``ticket_transition`` does, as far as notifications can see it."""
    with transaction.atomic():
        from_status = ticket.status
        if assignee is not None:
            ticket.assignee = assignee
        if to_status:
            ticket.status = to_status
        ticket.save()
        event = TicketEvent.objects.create(
            ticket=ticket, actor=actor, action=action, from_status=from_status, to_status=ticket.status,
            changes={"comment": comment} if comment else {},
        )
        signals.ticket_transitioned.send(
            sender=Ticket, ticket=ticket, actor=actor, action=action, from_status=from_status,
            to_status=ticket.status, event=event, comment=comment,
        )
    return ticket


def create(requester, **extra) -> Ticket:
    with transaction.atomic():
        ticket = make_ticket(requester, **extra)
        event = TicketEvent.objects.create(ticket=ticket, actor=requester, action="create", to_status=ticket.status)
        signals.ticket_created.send(sender=Ticket, ticket=ticket, actor=requester, event=event)
    return ticket


def comment(ticket, *, author, body="Any news?", internal=False) -> Comment:
    with transaction.atomic():
        c = Comment.objects.create(ticket=ticket, author=author, body=body, is_internal=internal)
        signals.comment_added.send(sender=Ticket, ticket=ticket, comment=c, actor=author)
    return c


def escalate(ticket, *, level=1, reason="Response time exceeded"):
    with transaction.atomic():
        ticket.escalation_level = level
        ticket.save(update_fields=["escalation_level"])
        event = TicketEvent.objects.create(ticket=ticket, actor=None, action="escalate", changes={"level": level})
        signals.ticket_escalated.send(sender=Ticket, ticket=ticket, actor=None, level=level, reason=reason, event=event)


def report(ticket, signal_name: str, *, actor):
    with transaction.atomic():
        event = TicketEvent.objects.create(ticket=ticket, actor=actor, action=signal_name)
        getattr(signals, signal_name).send(sender=Ticket, ticket=ticket, report=None, actor=actor, event=event)


def update(ticket, *, actor, changes):
    with transaction.atomic():
        event = TicketEvent.objects.create(ticket=ticket, actor=actor, action="update", changes=changes)
        signals.ticket_updated.send(sender=Ticket, ticket=ticket, actor=actor, event=event, changes=changes)
