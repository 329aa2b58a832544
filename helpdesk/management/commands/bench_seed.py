from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.seed import BENCH_PASSWORD, LOGIN_EMAILS, load_world, world_sizes
from bench.seed import seed as seed_tickets


class Command(BaseCommand):
    help = (
        "Fill a benchmark database: users of every role, sites, equipment and N tickets in every status "
        "with events, comments and photo records (bulk inserts, progress shown). Adds to what is there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tickets", type=int, default=100_000, help="how many tickets to add (default 100,000)")
        parser.add_argument("--chunk", type=int, default=5000, help="tickets per transaction (default 5,000)")
        parser.add_argument("--seed", type=int, default=11, help="random seed, for a repeatable data set")
        parser.add_argument("--no-long-history", action="store_true",
                            help="skip the few tickets with hundreds of events and comments")
        parser.add_argument("--dry-run", action="store_true", help="say what would be created, write nothing")

    def handle(self, *args, tickets, chunk, seed: int, no_long_history, dry_run, **options):
        if tickets < 0 or chunk < 1:
            raise CommandError("--tickets must be 0 or more and --chunk at least 1.")
        world = load_world()
        if dry_run:
            if world is None:
                sizes = ", ".join(f"{v:,} {k}" for k, v in world_sizes(tickets).items())
                self.stdout.write(f"would build the bench world ({sizes})")
            else:
                self.stdout.write("would reuse the bench world already in the database")
            self.stdout.write(f"would add {tickets:,} tickets to {connection.vendor} "
                              f"({connection.settings_dict['NAME']}); nothing written (dry run)")
            return
        summary = seed_tickets(tickets=tickets, stdout=self.stdout, rng_seed=seed, chunk=chunk,
                       long_history=not no_long_history)
        rate = summary.tickets / summary.seconds if summary.seconds else 0
        self.stdout.write(self.style.SUCCESS(
            f"Added {summary.tickets:,} tickets, {summary.events:,} events, {summary.comments:,} comments, "
            f"{summary.photos:,} photos in {summary.seconds:,.1f} s ({rate:,.0f} tickets/s)."
        ))
        logins = ", ".join(LOGIN_EMAILS.values())
        self.stdout.write(f"Sign in as {logins} with password {BENCH_PASSWORD!r}.")
