"""Delete media files no row points at (what a rolled-back upload leaves behind); see helpdesk/files.py.
Also a daily django-q2 schedule (helpdesk/schedules.py)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from helpdesk.files import orphan_files_purge


class Command(BaseCommand):
    help = "Delete media files that no database row references (left by rolled-back uploads)."

    def add_arguments(self, parser):
        parser.add_argument("--min-age-minutes", type=int, default=60)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, min_age_minutes=60, dry_run=False, **options):
        def progress(i, total):
            if i % 100 == 0 or i == total:
                self.stdout.write(f"{'would delete' if dry_run else 'deleted'} {i:,}/{total:,}")

        orphans = orphan_files_purge(min_age=timedelta(minutes=min_age_minutes), dry_run=dry_run, progress=progress)
        self.stdout.write(self.style.SUCCESS(
            f"{len(orphans):,} orphan file(s) {'found (dry run)' if dry_run else 'deleted'}"))
