"""import_registry KIND FILE [--dry-run]: sites, locations, models or equipment from CSV."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role
from facilities import csvio
from facilities.management.commands._progress import Progress


class Command(BaseCommand):
    help = (
        "Import sites, locations, equipment models or equipment from a CSV file (UTF-8, header row). "
        "Every row is checked; with --dry-run, or when any row has an error, nothing is written. "
        "Columns: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in csvio.COLUMNS.items())
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=csvio.KINDS)
        parser.add_argument("file", help="path of the CSV file, or - for standard input")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--actor", help="e-mail of the admin recorded as doing the import "
                                            "(default: the first active admin)")

    def _actor(self, email):
        User = get_user_model()
        qs = User.objects.filter(role=Role.ADMIN, is_active=True)
        actor = qs.filter(email__iexact=email).first() if email else qs.order_by("pk").first()
        if actor is None:
            raise CommandError(f"No active admin {email or ''} to record as the importer (see --actor).")
        return actor

    def handle(self, *args, kind, file, dry_run, actor, **options):
        actor = self._actor(actor)
        progress = Progress(self.stderr, f"importing {kind}")
        try:
            if file == "-":
                import sys

                result = csvio.import_rows(kind, sys.stdin, actor=actor, dry_run=dry_run, progress=progress)
            else:
                with open(file, encoding="utf-8-sig", newline="") as stream:
                    result = csvio.import_rows(kind, stream, actor=actor, dry_run=dry_run, progress=progress)
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {file}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file} is not UTF-8 text: {exc}") from exc
        for line, message in result.errors:
            self.stdout.write(f"line {line}: {message}")
        summary = (f"{kind}: {result.total} rows, {result.created} new, {result.updated} changed, "
                   f"{result.unchanged} unchanged, {len(result.errors)} with errors")
        if result.errors:
            raise CommandError(f"{summary}. Nothing was written.")
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"{summary}. Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(f"{summary}. Imported."))
