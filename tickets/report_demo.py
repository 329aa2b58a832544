"""Demo service reports (called by tickets/demo.py): one awaiting the customer's sign-off, one signed and closed."""

from datetime import timedelta

from django.utils import timezone

from accounts.demo import demo_user
from accounts.models import Role
from facilities.models import Equipment
from tickets import services
from tickets.models import ReportCode, Ticket
from tickets.services.reports import _sign

JOBS = [
    ("Boiler pressure keeps dropping", "The boiler pressure gauge drops below 1 bar every morning.",
     ("LEAK", "WEAR", "REPLACED"), "Replaced the pressure relief valve seal and topped up to 1.5 bar.", False),
    ("Extractor fan in toilets rattles", "Loud rattling from the ceiling fan in the ground floor toilets.",
     ("NOISE", "DIRT", "CLEANED"), "Cleaned the fan blades and refitted the loose cover.", True),
]


def _code(kind, code):
    return ReportCode.objects.filter(kind=kind, code=code).first() or ReportCode.objects.filter(kind=kind).first()


def seed(stdout) -> None:
    people = {role: demo_user(role) for role in (Role.ADMIN, Role.TECHNICIAN, Role.CUSTOMER)}
    if not all(people.values()) or not ReportCode.objects.exists():
        stdout.write("  reports: demo users or code lists missing; skipped")
        return
    tech, customer, admin = people[Role.TECHNICIAN], people[Role.CUSTOMER], people[Role.ADMIN]
    created = 0
    for title, description, (symptom, cause, action), work, sign in JOBS:
        if Ticket.objects.filter(title=title, requester=customer).exists():
            continue
        equipment = Equipment.objects.select_related("site").first()
        ticket = services.ticket_create(actor=customer, title=title, description=description,
                                        site=equipment.site if equipment else None, equipment=equipment)
        ticket = services.ticket_transition(actor=admin, ticket=ticket, action="assign", assignee=tech)
        ticket = services.ticket_transition(actor=tech, ticket=ticket, action="start")
        end = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=2)
        report = services.report_create(
            actor=tech, ticket=ticket, arrived_at=end - timedelta(minutes=70), departed_at=end, labour_minutes=55,
            symptom=_code("symptom", symptom), cause=_code("cause", cause), action=_code("action", action),
            action_text=work, parts=[{"part_number": "SEAL-22", "description": "Valve seal", "quantity": 1}],
            **services.travel_prefill(user=tech, ticket=ticket),
        )
        report = services.report_submit(actor=tech, report=report)
        if sign:
            # The demo signs without a password check (seed data, not a person at a screen).
            _sign(actor=customer, report=report, signer_name=customer.get_full_name(), ip=None,
                  user_agent="seed_demo")
            services.ticket_transition(actor=admin, ticket=ticket, action="close", comment="Processed.")
        created += 1
    stdout.write(f"  reports: {created} demo jobs with service reports created")
