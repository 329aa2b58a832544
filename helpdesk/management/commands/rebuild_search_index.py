from time import monotonic

from django.core.management.base import BaseCommand

from knowledge.search import install_search_index as install_articles
from tickets.search import install_search_index as install_tickets


class Command(BaseCommand):
    help = ("Re-index every ticket and article for search (SQLite's FTS5 tables; on PostgreSQL only "
            "creates missing indexes, which the database keeps current). Safe to run again.")

    def handle(self, *args, **options):
        for name, install in (("tickets", install_tickets), ("articles", install_articles)):
            self.stdout.write(f"{name}: indexing ...")
            started = monotonic()
            done = install(rebuild=True)
            self.stdout.write(f"{name}: {done} in {monotonic() - started:.1f} s")
        self.stdout.write(self.style.SUCCESS("Search indexes rebuilt."))
