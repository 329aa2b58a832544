"""Demo tickets in every status, driven through the real services. Idempotent."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.demo import demo_user
from accounts.models import Role
from facilities.models import Equipment, Location, Site, Vehicle
from tickets import services, sla_demo, workflow
from tickets.models import Category, Macro, Priority, ReportCode, Status, Ticket

CATEGORIES = ["Repair", "Maintenance", "IT incident", "Request", "Cleaning", "Health and safety"]
# Categories whose jobs are resolved without a service report (the others need one).
NO_REPORT = ("IT incident", "Request")
# Codes of the report that resolves a field job (``resolve`` steps of a category needing a report).
RESOLVE_CODES = {
    "Blocked sink in kitchen": ("BLOCKED", "DIRT", "CLEANED"),
    "Broken chair in reception": ("DAMAGE", "WEAR", "REPLACED"),
    "Heating timer wrong after clock change": ("INTERMIT", "SETTING", "ADJUSTED"),
}

# (title, description, category, priority, [(actor role, action, comment)], [(role, comment, internal)])
TICKETS = [
    ("Leaking radiator in meeting room", "Water is dripping from the radiator valve onto the carpet.",
     "Repair", Priority.HIGH, [], [("customer", "The carpet is getting soaked, towels are down for now.", False)]),
    ("Projector will not switch on", "The ceiling projector shows no standby light since this morning.",
     "IT incident", Priority.NORMAL, [("admin", "approve", "Approved, will be scheduled this week.")], []),
    ("Please paint the whole office purple", "We would like a brighter office.",
     "Request", Priority.LOW, [("admin", "reject", "Decoration requests go through the facilities budget "
                                                   "round in spring.")], []),
    ("Flickering lights in corridor B", "Three tubes flicker constantly near the lifts.",
     "Maintenance", Priority.NORMAL,
     [("admin", "approve", ""), ("admin", "assign:technician", "Bring two spare T8 tubes.")], []),
    ("Air conditioning blowing warm air", "Server room AC unit is blowing warm air, room at 29 °C.",
     "Repair", Priority.URGENT,
     [("engineer", "take", ""), ("engineer", "start", "")],
     [("engineer", "Compressor runs but fan is slow; checking capacitor.", True)]),
    ("Door closer broken on fire exit", "The fire door on floor 2 slams shut.",
     "Health and safety", Priority.HIGH,
     [("admin", "assign:technician", ""), ("technician", "start", ""),
      ("technician", "hold", "Waiting for a replacement closer from the supplier (ETA Friday).")], []),
    ("Blocked sink in kitchen", "The kitchen sink on floor 1 drains very slowly.",
     "Repair", Priority.NORMAL,
     [("admin", "assign:technician", ""), ("technician", "start", ""),
      ("technician", "resolve", "Cleared the trap and flushed the drain; drains normally now.")], []),
    ("Broken chair in reception", "One of the reception chairs has a cracked leg.",
     "Repair", Priority.LOW,
     [("admin", "assign:technician", ""), ("technician", "start", ""),
      ("technician", "resolve", "Replaced the chair from stock."), ("customer", "close", "Thanks!")], []),
    ("Printer jam on floor 3", "Paper jam error that does not clear.",
     "IT incident", Priority.NORMAL, [("customer", "close_solved", "Found the stuck sheet myself.")], []),
    ("Window blind stuck", "Blind in room 204 is stuck half way.",
     "Maintenance", Priority.LOW, [("customer", "cancel", "Reported twice by mistake.")], []),
    ("Heating timer wrong after clock change", "Heating comes on an hour late.",
     "Maintenance", Priority.NORMAL,
     [("admin", "assign:engineer", ""), ("engineer", "start", ""),
      ("engineer", "resolve", "Timer adjusted to winter time."), ("admin", "close", ""),
      ("customer", "reopen", "Still coming on late on Mondays.")], []),
]

MACROS = [
    ("Acknowledge", "Hello {requester_first_name},\n\nThank you for reporting {ticket_reference}. We are "
                    "looking into it and will keep you posted.\n\nKind regards,\n{agent_name}", "", "", None),
    ("Urgent: send to technician", "Hello {requester_first_name}, {ticket_reference} is urgent and has been "
                                   "given to {assignee_name}.", Priority.URGENT, "assign", "technician"),
]


AFFECTED = {
    "Leaking radiator in meeting room": "Radiator under the window",
    "Door closer broken on fire exit": "Fire door closer, floor 2",
    "Blocked sink in kitchen": "Kitchen sink, floor 1",
    "Broken chair in reception": "Reception chair",
    "Window blind stuck": "Roller blind, room 204",
}


def resolve_with_report(*, actor, ticket, work: str, codes=()):
    """Write and submit the job's (last) service report, which resolves it; unchanged without code lists."""
    picked = {}
    for kind, code in zip(("symptom", "cause", "action"), codes or ("OTHER", "OTHER", "OTHER"), strict=True):
        picked[kind] = (ReportCode.objects.filter(kind=kind, code=code).first()
                        or ReportCode.objects.filter(kind=kind, active=True).order_by("sort_order").first())
    if not all(picked.values()):
        return ticket
    end = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    report = services.report_create(
        actor=actor, ticket=ticket, arrived_at=end - timedelta(minutes=40), departed_at=end, labour_minutes=30,
        action_text=work, **picked, **services.travel_prefill(user=actor, ticket=ticket),
    )
    services.report_submit(actor=actor, report=report)
    ticket.refresh_from_db()
    return ticket


def _photo(title: str):
    img = Image.new("RGB", (640, 480), (70, 110, 160))
    ImageDraw.Draw(img).text((20, 20), title, fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return SimpleUploadedFile("demo.jpg", out.getvalue(), content_type="image/jpeg")


def seed(stdout) -> None:
    people = {role: demo_user(role) for role in (Role.ADMIN, Role.ENGINEER, Role.TECHNICIAN, Role.CUSTOMER)}
    if not all(people.values()):
        stdout.write("  tickets: demo users missing (seed accounts first); skipped")
        return
    categories = {name: Category.objects.get_or_create(
        name=name, defaults={"needs_service_report": name not in NO_REPORT})[0] for name in CATEGORIES}
    sla_demo.seed_policies(stdout)
    sites = list(Site.objects.filter(active=True)[:3])
    van = Vehicle.objects.filter(active=True).first()
    created = 0
    for n, (title, description, category, priority, steps, comments) in enumerate(TICKETS):
        if Ticket.objects.filter(title=title, requester=people[Role.CUSTOMER]).exists():
            continue
        site = sites[n % len(sites)] if sites else None
        location = Location.objects.filter(site=site).first() if site else None
        equipment = Equipment.objects.filter(site=site).first() if site and n % 3 == 0 else None
        ticket = services.ticket_create(
            actor=people[Role.CUSTOMER], title=title, description=description, category=categories[category],
            priority=priority, site=site, location=location if equipment is None else None, equipment=equipment,
            affected_item="" if equipment else AFFECTED.get(title, ""), photos=[_photo(title)] if n % 2 == 0 else [],
        )
        for role, action, comment in steps:
            assignee = None
            if action.startswith("assign:"):
                action, who = action.split(":")
                assignee = people[who]
            if action == "resolve" and workflow.report_required(ticket):
                # A field job is resolved by its service report, as the rule asks of everyone.
                ticket = resolve_with_report(actor=people[role], ticket=ticket, work=comment,
                                             codes=RESOLVE_CODES.get(title, ()))
                if ticket.status != Status.RESOLVED:
                    break  # no report codes installed: the job stays in progress
                continue
            ticket = services.ticket_transition(
                actor=people[role], ticket=ticket, action=action, comment=comment, assignee=assignee,
                vehicle=van if (assignee and van and n == 3) else None,
            )
        for role, body, internal in comments:
            services.comment_add(actor=people[role], ticket=ticket, body=body, is_internal=internal)
        created += 1
    for name, body, priority, action, assign_role in MACROS:
        Macro.objects.get_or_create(name=name, owner=None, defaults={
            "body": body, "set_priority": priority, "action": action,
            "assign_to": people[assign_role] if assign_role else None})
    Macro.objects.get_or_create(name="Parts on order", owner=people[Role.ENGINEER], defaults={
        "body": "Hello {requester_first_name}, the part for {ticket_reference} is on order; we will be back "
                "as soon as it arrives."})
    stdout.write(f"  tickets: {created} demo tickets created, {Ticket.objects.count()} in total")
    sla_demo.seed_late_tickets(stdout)


_seed_tickets = seed


def seed(stdout) -> None:  # noqa: F811 - tickets first, then the service reports built on them
    _seed_tickets(stdout)
    from tickets.report_demo import seed as seed_reports

    seed_reports(stdout)
