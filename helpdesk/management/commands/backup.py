from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from helpdesk.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Write a backup archive (.tar.gz): the database as Django fixtures, every media file, and a "
            "manifest with row counts and checksums. Restore it with `manage.py restore`.")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="archive to write (default: fixdesk-backup-<time>.tar.gz)")

    def handle(self, *args, path=None, **options):
        path = Path(path or f"fixdesk-backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        if path.exists():
            raise CommandError(f"{path} exists; choose another name")
        try:
            manifest = backup(path, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"backup written: {sum(manifest['counts'].values()):,} rows, {len(manifest['media']):,} media files"))
