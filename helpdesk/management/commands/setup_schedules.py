from django.core.management.base import BaseCommand

from helpdesk.schedules import ensure_all


class Command(BaseCommand):
    help = ("Create or update the periodic django-q2 schedules of every app (the outbox sweep and purge, the "
            "escalation sweep, the orphan-file purge). Safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")

    def handle(self, *args, dry_run, **options):
        for name, what in ensure_all(dry_run=dry_run):
            self.stdout.write(f"{name}: {what}")
