"""export_registry KIND [-o FILE]: sites, locations, models or equipment as CSV (importable again)."""

from django.core.management.base import BaseCommand

from facilities import csvio


class Command(BaseCommand):
    help = "Export sites, locations, equipment models or equipment as CSV, in the columns import_registry reads."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=csvio.KINDS)
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, kind, output, **options):
        if output:
            with open(output, "w", encoding="utf-8", newline="") as out:
                n = csvio.export_rows(kind, out)
            self.stderr.write(f"{n} {kind} rows written to {output}")
        else:
            n = csvio.export_rows(kind, self.stdout._out)  # raw stream: csv writes its own line ends
            self.stderr.write(f"{n} {kind} rows written")
