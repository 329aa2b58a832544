from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from notifications.tasks import purge_old


class Command(BaseCommand):
    help = "Delete read notifications and sent or failed deliveries older than --days (unread/pending stay)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.NOTIFICATIONS_KEEP_DAYS)
        parser.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")

    def handle(self, *args, days, dry_run, **options):
        if days < 1:
            raise CommandError("--days must be at least 1")
        counts = purge_old(days=days, dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{verb} {counts['notifications']} notifications and {counts['deliveries']} deliveries "
                          f"older than {days} days")
