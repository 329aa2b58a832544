"""Periodic django-q2 schedules, registered idempotently from each app's ``SCHEDULES`` list
(``<app>/schedules.py``): on ``migrate`` (post_migrate) and by ``manage.py setup_schedules``."""


def ensure(specs, *, dry_run: bool = False) -> list[tuple[str, str]]:
    """Create or update each schedule; returns [(name, "created"|"updated"|"unchanged"|"would ...")]."""
    from django_q.models import Schedule

    done = []
    for spec in specs:
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


def ensure_after_migrate(specs, using: str = "default") -> None:
    """post_migrate: a fresh database gets its schedules without an extra command."""
    from django.db import connections
    from django_q.models import Schedule

    if using == "default" and Schedule._meta.db_table in connections[using].introspection.table_names():
        ensure(specs)
