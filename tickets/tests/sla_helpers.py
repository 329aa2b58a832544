"""Builders for the SLA and escalation tests: policies, calendars, tickets at a fixed creation time."""

from datetime import UTC, datetime, time, timedelta

from tickets import sla
from tickets.models import Holiday, SLAPolicy, Status, Ticket, WorkingCalendar
from tickets.tests.conftest import make_ticket

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday morning


def make_policy(priority="normal", response=60, resolution=8 * 60, calendar=None, **extra) -> SLAPolicy:
    extra.setdefault("name", f"{priority} {response}/{resolution}")
    return SLAPolicy.objects.create(priority=priority, response_minutes=response, resolution_minutes=resolution,
                                    calendar=calendar, **extra)


def make_calendar(name="Office", holidays=()) -> WorkingCalendar:
    cal = WorkingCalendar.objects.create(name=name, time_zone="UTC", weekdays="12345", day_start=time(8),
                                         day_end=time(17))
    for day in holidays:
        Holiday.objects.create(calendar=cal, date=day, name="Holiday")
    return cal


def sla_ticket(*, requester, created=T0, status=Status.NEW, assignee=None, **extra) -> Ticket:
    """A ticket created at ``created`` with its SLA clocks set as the create service sets them."""
    ticket = make_ticket(requester=requester, status=status, assignee=assignee, **extra)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=created, status_changed_at=created,
                                               assigned_at=created if assignee else None,
                                               responded_at=created if assignee else None)
    ticket.refresh_from_db()
    sla.sla_refresh(ticket=ticket, now=created)
    ticket.save()
    return ticket


def move(ticket: Ticket, to_status: str, at: datetime, action: str = "") -> Ticket:
    """Apply a status change at ``at`` exactly as ticket_transition does (clock bookkeeping included)."""
    from_status = ticket.status
    ticket.status = to_status
    ticket.status_changed_at = at
    sla.sla_on_transition(ticket=ticket, action=action or to_status, from_status=from_status, to_status=to_status,
                          now=at)
    ticket.save()
    return ticket


H = timedelta(hours=1)
