"""The periodic django-q2 schedules of the tickets app, registered idempotently.

Created on ``migrate`` (post_migrate, ``TicketsConfig.ready``) and by ``manage.py setup_schedules``.
"""

SCHEDULES = [
    {
        "name": "tickets: escalation sweep",
        "func": "tickets.tasks.escalate_tickets",
        "minutes": 5,
    },
]


def ensure_schedules(*, dry_run: bool = False) -> list[tuple[str, str]]:
    """Create or update each schedule; returns [(name, "created"|"updated"|"unchanged"|"would ...")]."""
    from django_q.models import Schedule

    done = []
    for spec in SCHEDULES:
        wanted = {"func": spec["func"], "schedule_type": Schedule.MINUTES, "minutes": spec["minutes"], "repeats": -1}
        existing = Schedule.objects.filter(name=spec["name"]).first()
        if existing is not None and all(getattr(existing, k) == v for k, v in wanted.items()):
            done.append((spec["name"], "unchanged"))
            continue
        if dry_run:
            done.append((spec["name"], "would update" if existing else "would create"))
            continue
        _, created = Schedule.objects.update_or_create(name=spec["name"], defaults=wanted)
        done.append((spec["name"], "created" if created else "updated"))
    return done


def ensure_schedules_after_migrate(sender=None, using="default", **kwargs):
    """post_migrate: a fresh database gets the sweep without an extra command."""
    from django.db import connections
    from django_q.models import Schedule

    if using == "default" and Schedule._meta.db_table in connections[using].introspection.table_names():
        ensure_schedules()
