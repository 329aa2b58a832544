"""The periodic django-q2 schedules of the tickets app, registered idempotently.

Created on ``migrate`` (post_migrate, ``TicketsConfig.ready``) and by ``manage.py setup_schedules``.
"""

from helpdesk import schedules

SCHEDULES = [
    {
        "name": "tickets: escalation sweep",
        "func": "tickets.tasks.escalate_tickets",
        "minutes": 5,
    },
]


def ensure_schedules(*, dry_run: bool = False) -> list[tuple[str, str]]:
    """Create or update this app's schedules (helpdesk/schedules.py does the work)."""
    return schedules.ensure(SCHEDULES, dry_run=dry_run)


def ensure_schedules_after_migrate(sender=None, using="default", **kwargs):
    schedules.ensure_after_migrate(SCHEDULES, using=using)
