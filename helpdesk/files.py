"""Media files no row points at: what a rolled-back upload leaves behind (storage is not
transactional). Only files older than ``min_age`` count, so uploads still in flight are kept."""

from collections.abc import Callable
from datetime import timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from helpdesk.backup import media_files


def referenced_files() -> set[str]:
    """Every file name some FileField/ImageField of some model holds."""
    names = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.get_fields() if isinstance(f, models.FileField)]
        for field in fields:
            names.update(n for n in model._default_manager.exclude(**{field: ""}).values_list(field, flat=True) if n)
    return names


def orphan_files(*, min_age: timedelta) -> list[str]:
    """Files of the default storage that no row references and that are older than ``min_age``."""
    keep = referenced_files()
    cutoff = timezone.now() - min_age
    orphans = []
    for name in media_files():
        if name in keep:
            continue
        try:
            if default_storage.get_modified_time(name) > cutoff:
                continue
        except (NotImplementedError, OSError):
            continue
        orphans.append(name)
    return orphans


def orphan_files_purge(*, min_age: timedelta, dry_run: bool = False,
                       progress: Callable[[int, int], None] | None = None) -> list[str]:
    """Delete the orphan files (none with ``dry_run``); returns their names."""
    orphans = orphan_files(min_age=min_age)
    for i, name in enumerate(orphans, start=1):
        if not dry_run:
            default_storage.delete(name)
        if progress is not None:
            progress(i, len(orphans))
    return orphans
