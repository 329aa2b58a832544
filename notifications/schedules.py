"""The periodic django-q2 schedules of this app, registered idempotently."""

from helpdesk import schedules

SCHEDULES = [
    {
        "name": "notifications: sweep the outbox",
        "func": "notifications.tasks.sweep_deliveries",
        "minutes": 1,
    },
    {
        "name": "notifications: purge old history",
        "func": "notifications.tasks.purge_notifications",
        "minutes": 24 * 60,
    },
]


def ensure_schedules(*, dry_run: bool = False) -> list[tuple[str, str]]:
    """Create or update this app's schedules (helpdesk/schedules.py does the work)."""
    return schedules.ensure(SCHEDULES, dry_run=dry_run)


def ensure_schedules_after_migrate(sender=None, using="default", **kwargs):
    schedules.ensure_after_migrate(SCHEDULES, using=using)
