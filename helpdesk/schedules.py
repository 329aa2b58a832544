"""Periodic django-q2 schedules, registered idempotently from each app's ``SCHEDULES`` list
(``<app>/schedules.py``, and this module's own): on ``migrate`` (post_migrate) and by
``manage.py setup_schedules``, which registers every installed app's schedules."""

from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

# The project's own jobs (files, not rows of one app).
SCHEDULES = [
    {
        "name": "helpdesk: purge orphan files",
        "func": "helpdesk.tasks.purge_orphan_files",
        "minutes": 24 * 60,
    },
]


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


def all_specs() -> list[dict]:
    """Every installed app's ``SCHEDULES`` (from ``<app>/schedules.py``), in INSTALLED_APPS order."""
    specs = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "schedules"):
            specs.extend(getattr(import_module(f"{config.name}.schedules"), "SCHEDULES", []))
    return specs


def ensure_all(*, dry_run: bool = False) -> list[tuple[str, str]]:
    """Create or update the schedules of every app (what ``manage.py setup_schedules`` does)."""
    return ensure(all_specs(), dry_run=dry_run)


def ensure_after_migrate(specs, using: str = "default") -> None:
    """post_migrate: a fresh database gets its schedules without an extra command."""
    from django.db import connections
    from django_q.models import Schedule

    if using == "default" and Schedule._meta.db_table in connections[using].introspection.table_names():
        ensure(specs)


def ensure_schedules_after_migrate(sender=None, using="default", **kwargs):
    """post_migrate receiver for this module's own ``SCHEDULES``."""
    ensure_after_migrate(SCHEDULES, using=using)
