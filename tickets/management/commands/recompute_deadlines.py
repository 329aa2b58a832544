from django.core.management.base import BaseCommand
from django.utils import timezone

from tickets.models import Priority
from tickets.sla import sla_recompute_open


class Command(BaseCommand):
    help = ("Re-match the SLA policy and recompute the due times of open tickets, e.g. after changing "
            "policies, working hours or holidays. Each ticket is updated in its own short transaction.")

    def add_arguments(self, parser):
        parser.add_argument("--priority", choices=Priority.values, help="only tickets of this priority")
        parser.add_argument("--dry-run", action="store_true", help="count what would change, change nothing")

    def handle(self, *args, priority, dry_run, verbosity, **options):
        def progress(done, total):
            if verbosity >= 1 and (done % max(1, total // 20) == 0 or done == total):
                self.stderr.write(f"  {done}/{total}")

        changed = sla_recompute_open(actor=None, now=timezone.now(), priority=priority, dry_run=dry_run,
                                     progress=progress)
        self.stdout.write(f"{'would change' if dry_run else 'changed'} the deadlines of {changed} open ticket(s)")
