from django.core.management.base import BaseCommand

from notifications.schedules import ensure_schedules
from tickets.schedules import ensure_schedules as ensure_ticket_schedules


class Command(BaseCommand):
    help = ("Create or update the periodic django-q2 schedules (the outbox sweep, the escalation sweep). "
            "Safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")

    def handle(self, *args, dry_run, **options):
        for name, what in ensure_schedules(dry_run=dry_run) + ensure_ticket_schedules(dry_run=dry_run):
            self.stdout.write(f"{name}: {what}")
