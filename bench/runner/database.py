"""The database under test: the production profile's environment, migrations, the seed, the fixtures."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bench.runner.paths import ROOT


def configure_environment(args) -> None:
    """The production profile, with what a benchmark needs on loopback."""
    db = os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'bench' / 'data' / f'bench-{args.tickets}.sqlite3'}"
    os.environ["DATABASE_URL"] = db
    if db.startswith("sqlite:///"):
        Path(db[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    defaults = {
        "DEBUG": "0", "SECRET_KEY": "bench-only-not-secret", "HTTPS": "0", "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "LOG_LEVEL": "WARNING",
        # The API's per-user throttle would turn the benchmark into a 429 counter.
        "API_THROTTLE_USER": "100000000/min", "API_THROTTLE_ANON": "100000000/min",
    }
    for k, v in defaults.items():
        os.environ.setdefault(k, v)
    os.environ["DJANGO_SETTINGS_MODULE"] = "helpdesk.settings"
    sys.path.insert(0, str(ROOT))


def prepare_database(args) -> dict:
    """Migrate, seed up to ``--tickets``, collect static files; returns the fixtures scenarios need."""
    from django.core.management import call_command

    from accounts.models import User
    from bench.seed import LOGIN_EMAILS, LONG_HISTORY_TITLE
    from tickets.models import Ticket

    call_command("migrate", interactive=False, verbosity=0)
    have = Ticket.objects.count()
    if args.seed and have < args.tickets:
        print(f"seeding {args.tickets - have:,} tickets (have {have:,}) ...", flush=True)
        call_command("bench_seed", tickets=args.tickets - have, stdout=sys.stdout)
    call_command("collectstatic", interactive=False, verbosity=0)
    long_ticket = Ticket.objects.filter(title=LONG_HISTORY_TITLE).order_by("pk").values_list("pk", flat=True).first()
    tokens = {}
    try:
        from rest_framework.authtoken.models import Token

        for role, email in LOGIN_EMAILS.items():
            tokens[role] = Token.objects.get_or_create(user=User.objects.get(email=email))[0].key
    except (ImportError, LookupError):
        pass
    deep_cursor = ""
    try:  # the cursor of the row three quarters down the admin's list (the deep page's first row)
        from tickets import selectors
        from tickets.pagination import encode_cursor

        admin = User.objects.get(email=LOGIN_EMAILS["admin"])
        qs = selectors.ticket_list(user=admin)
        count = Ticket.objects.count()
        row = qs[max(0, count * 3 // 4 - 1)]
        deep_cursor = encode_cursor(row, qs)
    except (ImportError, LookupError, IndexError, Ticket.DoesNotExist):
        pass
    return {"long_ticket": long_ticket, "tickets": Ticket.objects.count(), "tokens": tokens,
            "deep_cursor": deep_cursor}
