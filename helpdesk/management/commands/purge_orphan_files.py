"""Delete media files no row points at: what a rolled-back upload leaves behind (storage is not
transactional). Only files older than --min-age-minutes, so uploads still in flight are kept."""

from datetime import timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import models
from django.utils import timezone

from helpdesk.backup import media_files


def referenced_files() -> set[str]:
    names = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.get_fields() if isinstance(f, models.FileField)]
        for field in fields:
            names.update(n for n in model._default_manager.exclude(**{field: ""}).values_list(field, flat=True) if n)
    return names


def orphan_files(*, min_age: timedelta) -> list[str]:
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


class Command(BaseCommand):
    help = "Delete media files that no database row references (left by rolled-back uploads)."

    def add_arguments(self, parser):
        parser.add_argument("--min-age-minutes", type=int, default=60)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, min_age_minutes=60, dry_run=False, **options):
        orphans = orphan_files(min_age=timedelta(minutes=min_age_minutes))
        for i, name in enumerate(orphans, start=1):
            if not dry_run:
                default_storage.delete(name)
            if i % 100 == 0 or i == len(orphans):
                self.stdout.write(f"{'would delete' if dry_run else 'deleted'} {i:,}/{len(orphans):,}")
        self.stdout.write(self.style.SUCCESS(
            f"{len(orphans):,} orphan file(s) {'found (dry run)' if dry_run else 'deleted'}"))
