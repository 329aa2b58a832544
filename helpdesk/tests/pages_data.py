"""Demo data for the page-list tests, loaded once per module (seed_demo is slow enough to share)."""

import io

import pytest
from django.core.management import call_command


def seed_everything() -> dict:
    """seed_demo plus a second customer's ticket (a ticket the demo customer may not see)."""
    from accounts.demo import demo_user
    from accounts.tests.factories import make_user
    from helpdesk.pages import demo_objects
    from tickets import services
    from tickets.models import Ticket
    from tickets.tests.report_helpers import ensure_codes

    ensure_codes()  # a data migration's rows, gone after an earlier transactional test's flush
    call_command("seed_demo", stdout=io.StringIO())
    technician = demo_user("technician")
    job = Ticket.objects.filter(assignee=technician, status="assigned").order_by("pk").first()
    services.ticket_transition(actor=technician, ticket=job, action="start")
    stranger = make_user("customer", email="stranger@example.com")
    services.ticket_create(actor=stranger, title="Someone else's broken lamp", description="It flickers.")
    return demo_objects()


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker):
    """seed_demo once for the module's tests, like TestCase.setUpTestData: an outer transaction that each
    test's own transaction nests in, rolled back at the end (no flush: migration data stays)."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            objects = seed_everything()
            yield objects
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
