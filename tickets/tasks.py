"""django-q2 tasks of the tickets app (safe to run twice: each one re-checks under row locks)."""

from django.utils import timezone


def escalate_tickets() -> str:
    """The scheduled escalation sweep (every 5 minutes, ``tickets/schedules.py``)."""
    from django.conf import settings

    from tickets.escalation import escalation_sweep

    # Stay well inside the job timeout; what is left goes first in the next run.
    budget = max(5, settings.Q_CLUSTER.get("timeout", 60) * 2 / 3)
    result = escalation_sweep(now=timezone.now(), max_seconds=budget)
    return f"escalated {result.count}, skipped {result.skipped}, left for the next run {result.remaining}"
