import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app may offer ``demo.py`` with ``seed(stdout) -> None``, idempotent; run in dependency order.
DEMO_APPS = ["accounts", "facilities", "tickets", "knowledge", "notifications"]


class Command(BaseCommand):
    help = "Load the demo data: one user per role and a small realistic data set. Safe to run again."

    def handle(self, *args, **options):
        for app in DEMO_APPS:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            self.stdout.write(f"seeding {app} ...")
            with transaction.atomic():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
