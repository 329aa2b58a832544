"""schemathesis against the live schema, in process, with a user of each role and with nobody.

Every operation gets generated requests (valid and invalid): no 5xx, every response (status,
content type, body) matches the schema, and an anonymous caller never gets data. The number
of examples per operation comes from ``FIXDESK_SCHEMATHESIS_EXAMPLES`` (default 8; CI may
raise it).
"""

import os

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from accounts.models import Role
from accounts.tests.factories import make_user
from facilities.models import Equipment, EquipmentModel, Location, Manufacturer, Site, Vehicle
from helpdesk.wsgi import application
from knowledge.tests.conftest import make_article
from tickets import services as ticket_services
from tickets.models import Category, Status
from tickets.tests.conftest import make_ticket
from tickets.tests.report_helpers import ensure_codes, make_job, report_fields

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FIXDESK_SCHEMATHESIS_EXAMPLES", "8"))
# FIXDESK_SCHEMATHESIS_FULL=1 adds schemathesis' coverage phase (boundary values and every kind of
# invalid input for each parameter): thorough, and about five times slower.
PHASES = [Phase.generate, Phase.shrink] + ([Phase.explicit] if os.environ.get("FIXDESK_SCHEMATHESIS_FULL") else [])
# What an anonymous caller may reach: the schema, the token, sign-up and log-in endpoints.
PUBLIC_OPERATIONS = {"POST /api/v1/auth/token/", "POST /api/v1/auth/signup/", "POST /api/v1/auth/login/"}


# Loaded once at collection: building the schema needs no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture(autouse=True)
def _connection(wsgi_keeps_connection):
    pass


@pytest.fixture
def world(db):
    """A little of everything, so generated ids (small integers) often hit real rows."""
    users = {role.value: make_user(role.value) for role in Role}
    site = Site.objects.create(name="Head Office", latitude="51.5", longitude="-0.12")
    room = Location.objects.create(site=site, name="Room 1", path="Head Office / Room 1")
    model = EquipmentModel.objects.create(manufacturer=Manufacturer.objects.create(name="Daikin"), name="FTXM35")
    Equipment.objects.create(asset_tag="AC-1", model=model, site=site, location=room)
    Vehicle.objects.create(name="Van 1", plate="FX21 ABC")
    Category.objects.create(name="Repair")
    customer, tech = users["customer"], users["technician"]
    make_ticket(requester=customer)
    make_ticket(requester=customer, status=Status.ASSIGNED, assignee=tech)
    make_ticket(requester=users["engineer"], status=Status.IN_PROGRESS, assignee=tech)
    make_ticket(requester=customer, status=Status.CLOSED)
    # Service reports: a draft on one job, a submitted one (waiting for the customer) on another.
    ensure_codes()
    ticket_services.report_create(actor=tech, ticket=make_ticket(requester=customer, status=Status.IN_PROGRESS,
                                                                  assignee=tech), **report_fields())
    report = ticket_services.report_create(actor=tech, ticket=make_job(requester=customer, assignee=tech),
                                           **report_fields())
    ticket_services.report_submit(actor=tech, report=report)
    # Knowledge: a published article for everyone, a staff-only one, a technician's draft.
    make_article(author=users["engineer"])
    make_article(author=users["engineer"], title="Valve torque", visibility="staff")
    make_article(author=tech, title="Pump notes", status="draft")
    return users


# Input strictness is not what this test is about: "?status=" means "any status" as on the web
# pages, multipart "0" is a false boolean, and a schema-valid id may name no row (400/404).
LENIENT_INPUT = [negative_data_rejection, positive_data_acceptance]
ROLES = ["admin", "engineer", "technician", "customer", "anonymous"]


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck),
          phases=PHASES)
def test_api_matches_its_schema(case, world):
    """Each generated request is sent once per role (and once with no credentials)."""
    tokens = {role: Token.objects.get_or_create(user=user)[0].key for role, user in world.items()}
    public = f"{case.operation.method.upper()} {case.operation.path}" in PUBLIC_OPERATIONS
    for role in ROLES:
        cache.clear()  # throttling would otherwise answer 429 to most of the run
        headers = {"Authorization": f"Token {tokens[role]}"} if role in tokens else {}
        response = case.call_and_validate(headers=headers, excluded_checks=LENIENT_INPUT)
        if role == "anonymous" and not public:
            assert response.status_code in (401, 404, 405), (case.operation.label, response.status_code)
