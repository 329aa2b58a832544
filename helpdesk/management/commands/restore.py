from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from helpdesk.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a `manage.py backup` archive: REPLACES every row of the database and the media files. "
            "The archive's checksums are verified first; --dry-run only verifies and reports.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="verify the archive, change nothing")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, path, dry_run=False, yes=False, **options):
        path = Path(path)
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        if not dry_run and not yes and options.get("interactive", True):
            answer = input("This replaces ALL data and media files by the backup's. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("restore cancelled")
        try:
            restore(path, progress=self.stdout.write, dry_run=dry_run)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("archive verified (dry run: nothing changed)" if dry_run
                                             else "restore complete"))
