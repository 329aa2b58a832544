"""Every page of ``helpdesk/pages.py`` as each role on a bench database: the slow ones and any 5xx.

    DATABASE_URL=sqlite:///$PWD/bench/data/bench-100000.sqlite3 DEBUG=0 SECRET_KEY=x ALLOWED_HOSTS=testserver \\
        python bench/page_scan.py [MS]                  # pages slower than MS (default 25), best of 2

Signs in as the ``bench_seed`` accounts and fills the pages' object placeholders with the first
object of each kind (a ticket, a site, ...), so a page that grows with the data shows up here even
when no scenario of ``bench/run.py`` measures it. Prints one line per slow page or server error.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")


def objects() -> dict:
    from accounts.models import Organization, User
    from facilities.models import Equipment, EquipmentModel, Location, Site, Vehicle
    from knowledge.models import Article
    from tickets.models import Macro, ServiceReport, Ticket

    def first(model, **filters):
        return model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first() or 1

    report = ServiceReport.objects.order_by("pk").first()
    customer = User.objects.get(email="bench-customer@bench.fixdesk.test")
    return {
        "customer_user": customer.pk, "admin_user": first(User, role="admin"),
        "technician_user": first(User, role="technician"), "organization": first(Organization),
        "site": first(Site), "location": first(Location), "equipment": first(Equipment),
        "equipment_model": first(EquipmentModel), "vehicle": first(Vehicle),
        "ticket": first(Ticket, requester=customer), "foreign_ticket": first(Ticket, requester__role="customer"),
        "report_ticket": report.ticket_id if report else 1, "report": report.pk if report else 1,
        "macro": first(Macro), "article": first(Article),
    }


def main(argv=None) -> int:
    import django

    django.setup()
    import logging

    from django.test import Client

    from accounts.models import User
    from helpdesk.pages import PAGES, ROLES

    logging.disable(logging.ERROR)  # the 403/404 answers log a traceback each
    argv = argv if argv is not None else sys.argv[1:]
    limit = float(argv[0]) if argv else 25.0
    found, slow = objects(), 0
    for role in ROLES:
        client = Client()
        client.force_login(User.objects.get(email=f"bench-{role}@bench.fixdesk.test"))
        for page in PAGES:
            url = page.url(found)
            best = float("inf")
            for _ in range(2):
                started = time.perf_counter()
                response = client.get(url)
                best = min(best, time.perf_counter() - started)
            if best * 1000 > limit or response.status_code >= 500:
                slow += 1
                print(f"{role:10} {page.name:40} {url:45} {response.status_code} {best * 1000:6.0f} ms", flush=True)
    print(f"{len(PAGES)} pages x {len(ROLES)} roles: {slow} slower than {limit:g} ms or failing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
