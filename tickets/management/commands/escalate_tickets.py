from django.core.management.base import BaseCommand
from django.utils import timezone

from tickets.escalation import escalation_sweep


class Command(BaseCommand):
    help = ("Escalate late and unusually delayed tickets by one level each (what the 5-minute schedule runs). "
            "Safe to run at any time, also beside the schedule: a ticket goes up once per level.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="show what would be escalated, change nothing")

    def handle(self, *args, dry_run, verbosity, **options):
        now = timezone.now()
        step = {"every": 1}

        def progress(done, total):
            if total >= 200:
                step["every"] = max(1, total // 20)
            if verbosity >= 1 and (done % step["every"] == 0 or done == total):
                self.stderr.write(f"  {done}/{total}")

        result = escalation_sweep(now=now, dry_run=dry_run, progress=progress)
        verb = "would escalate" if dry_run else "escalated"
        for ticket, level, reason in result.escalated:
            self.stdout.write(f"{ticket.reference}: {verb} to level {level} ({reason})")
        summary = f"{verb} {result.count} ticket(s)"
        if result.skipped:
            summary += f", {result.skipped} already handled by another run"
        self.stdout.write(self.style.SUCCESS(summary) if not dry_run else summary)
