from django.core.management.base import BaseCommand

from knowledge import reliability
from knowledge.search import backend_name, install_search_index
from knowledge.services import articles_rerender


class Command(BaseCommand):
    help = ("Re-render every article with the current sanitiser, rebuild the full-text index and drop "
            "cached reliability figures. Safe to run again; --dry-run only counts.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would change, change nothing")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, dry_run=False, batch_size=500, **options):
        last = {"decile": -1}

        def progress(done, total):
            decile = int(10 * done / total) if total else 10
            if decile != last["decile"] or done == total:
                last["decile"] = decile
                self.stdout.write(f"articles: {done}/{total} ({done / total:.0%})")

        changed = articles_rerender(batch_size=max(1, batch_size), dry_run=dry_run, progress=progress)
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"{changed} article(s) {verb} by re-rendering.")
        if dry_run:
            self.stdout.write(f"search backend: {backend_name()} (index not touched in a dry run)")
            return
        self.stdout.write(install_search_index(rebuild=True))
        reliability.invalidate()
        self.stdout.write(self.style.SUCCESS("Knowledge base rebuilt; reliability figures will be recomputed."))
