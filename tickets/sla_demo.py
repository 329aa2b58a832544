"""Demo SLA data: an office-hours calendar with holidays, one policy per priority, and a few late
tickets escalated by the real sweep so the dashboard has something to show. Idempotent."""

from datetime import date, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tickets.models import Holiday, SLAPolicy, Status, Ticket, TicketEvent, WorkingCalendar

# (priority, name, response minutes, resolution minutes, business hours?)
POLICIES = [
    ("urgent", "Urgent: 30 min / 4 h, around the clock", 30, 4 * 60, False),
    ("high", "High: 2 h / 1 working day", 2 * 60, 9 * 60, True),
    ("normal", "Normal: 4 h / 3 working days", 4 * 60, 27 * 60, True),
    ("low", "Low: 1 working day / 5 working days", 9 * 60, 45 * 60, True),
]
LATE_TITLES = ["Leaking radiator in meeting room", "Projector will not switch on"]


def seed_policies(stdout) -> WorkingCalendar:
    calendar, _ = WorkingCalendar.objects.get_or_create(name="Office hours", defaults={
        "time_zone": settings.TIME_ZONE, "weekdays": "12345", "day_start": time(8), "day_end": time(17)})
    year = timezone.localdate().year
    for day, name in ((date(year, 12, 25), "Christmas Day"), (date(year, 12, 26), "Boxing Day"),
                      (date(year + 1, 1, 1), "New Year's Day")):
        Holiday.objects.get_or_create(calendar=calendar, date=day, defaults={"name": name})
    for priority, name, response, resolution, business in POLICIES:
        SLAPolicy.objects.get_or_create(priority=priority, category=None, site=None, active=True, defaults={
            "name": name, "response_minutes": response, "resolution_minutes": resolution,
            "calendar": calendar if business else None})
    return calendar


def seed_late_tickets(stdout) -> None:
    """Backdate two open demo tickets by three days (as if reported then), then run the real sweep."""
    from tickets import sla
    from tickets.escalation import escalation_sweep

    now = timezone.now()
    for title in LATE_TITLES:
        ticket = Ticket.objects.filter(title=title, status__in=sla.RUNNING, escalation_level=0,
                                       escalated_at__isnull=True).first()
        if ticket is None or ticket.created_at < now - timedelta(days=2):
            continue
        shift = timedelta(days=3)
        with transaction.atomic():
            Ticket.objects.filter(pk=ticket.pk).update(
                created_at=ticket.created_at - shift, status_changed_at=ticket.status_changed_at - shift)
            TicketEvent.objects.filter(ticket=ticket).update(created_at=ticket.created_at - shift)
            ticket.refresh_from_db()
            if ticket.status == Status.NEW:
                ticket.responded_at = None
            sla.sla_refresh(ticket=ticket, now=now)
            ticket.save()
    result = escalation_sweep(now=now)
    stdout.write(f"  tickets: SLA policies ready, {result.count} late demo ticket(s) escalated")
