"""django-q2 tasks of the tickets app (safe to run twice: each one re-checks under row locks)."""

from django.utils import timezone


def escalate_tickets() -> str:
    """The scheduled escalation sweep (every 5 minutes, ``tickets/schedules.py``)."""
    from tickets.escalation import escalation_sweep

    result = escalation_sweep(now=timezone.now())
    return f"escalated {result.count}, skipped {result.skipped}"
