from django.core.management.base import BaseCommand

from notifications.tasks import due_deliveries, stuck_deliveries, sweep_deliveries


class Command(BaseCommand):
    help = "Queue every e-mail/SMS delivery that is due (what the periodic schedule does), now."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be queued, queue nothing")

    def handle(self, *args, dry_run, **options):
        if dry_run:
            self.stdout.write(f"due: {due_deliveries().count()}, stuck in sending: {stuck_deliveries().count()}")
            return
        self.stdout.write(f"queued {sweep_deliveries()} deliveries")
