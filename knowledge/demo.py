"""Demo knowledge base and a failure history for the reliability page, through the services.

Idempotent: articles are looked up by title and history tickets by title + asset tag.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.demo import demo_user
from accounts.models import Role
from facilities.models import Equipment, EquipmentModel
from knowledge import services
from knowledge.models import Article
from tickets import services as ticket_services
from tickets.models import Ticket, TicketEvent

# (title, body, visibility, tags, equipment model name, category, author role, final state)
ARTICLES = [
    ("Printer shows “paper jam” but no paper is stuck",
     "1. Open **front door** and **tray 2**.\n2. Look for a torn corner behind the fuser (green lever).\n"
     "3. Close everything; the error clears within a minute.\n\nStill there? Report a problem with the "
     "printer's asset tag.", "customers", "printer, jam", "imageRUNNER C3226i", "Printer", "engineer", "published"),
    ("Radiator leaking at the valve",
     "Small drips at the valve are usually the **gland nut**.\n\n- Put a towel under the valve.\n"
     "- Do not open the bleed screw.\n- Report it: a technician tightens or repacks the gland.",
     "customers", "heating, leak", "", "Boiler", "engineer", "published"),
    ("VRV IV: warm air from indoor units",
     "Check the outdoor unit's error code first (remote: hold *TEST* 5 s).\n\n| code | cause |\n|---|---|\n"
     "| E7 | fan motor |\n| L5 | compressor overcurrent |\n\nA slow fan with E7: replace the run capacitor.",
     "staff", "hvac, compressor", "VRV IV heat pump", "HVAC", "engineer", "published"),
    ("Lift stops between floors after a power dip",
     "The Gen2 controller needs a manual reset after brown-outs: key switch in the machine-room-less "
     "controller cabinet, then run a recall to the main floor.", "staff", "lift, power", "Gen2 Life", "Lift",
     "technician", "review"),
    ("UPS beeping every 30 seconds",
     "The Smart-UPS beeps on battery. Check the input breaker before anything else.",
     "staff", "ups, power", "Smart-UPS SRT 5000", "Power", "technician", "draft"),
]

# asset tag -> days ago the failures were reported, (start hours after report, resolve hours after start)
HISTORY = {
    "HQ-HVAC-001": [(200, 2, 3), (150, 1, 2), (122, 4, 5), (40, 1, 1)],
    "HQ-LIFT-001": [(90, 1, 2), (81, 2, 1)],
    "HQ-PRN-101": [(60, 3, 1), (45, 2, 1), (31, 1, 1), (10, 1, 1)],
    "RD-BLR-001": [(300, 6, 4)],
}
TITLE = "Breakdown"


def _articles(people, stdout) -> int:
    created = 0
    for title, body, visibility, tags, model_name, category, role, state in ARTICLES:
        if Article.objects.filter(title=title).exists():
            continue
        author = people[role]
        models = EquipmentModel.objects.filter(name=model_name) if model_name else []
        article = services.article_create(actor=author, title=title, body=body, visibility=visibility, tags=tags,
                                          equipment_models=models, categories=category)
        if state in ("review", "published") and role == "technician":
            article = services.article_propose(actor=author, article=article)
        if state == "published":
            article = services.article_publish(actor=people[Role.ENGINEER], article=article)
        created += 1
    resolved = Ticket.objects.filter(title="Blocked sink in kitchen", status="resolved").first()
    if resolved and not Article.objects.filter(source_ticket=resolved).exists():
        from knowledge.selectors import article_prefill_from_ticket

        data = article_prefill_from_ticket(resolved)
        services.article_create_from_ticket(actor=people[Role.ENGINEER], ticket=resolved, title=data["title"],
                                            body=data["body"], visibility="staff", tags="plumbing",
                                            equipment_models=data["equipment_models"], categories="Plumbing")
        created += 1
    return created


def _history(people) -> int:
    """Past breakdowns driven through the ticket services, then dated back (demo only)."""
    created = 0
    now = timezone.now()
    for tag, failures in HISTORY.items():
        unit = Equipment.objects.filter(asset_tag=tag).select_related("site").first()
        if unit is None:
            continue
        for days, start_after, repair_hours in failures:
            title = f"{TITLE}: {tag} ({days} days ago)"
            if Ticket.objects.filter(title=title).exists():
                continue
            t = ticket_services.ticket_create(actor=people[Role.CUSTOMER], title=title, site=unit.site,
                                              description=f"{unit.model} out of order.", equipment=unit)
            t = ticket_services.ticket_transition(actor=people[Role.ADMIN], ticket=t, action="assign",
                                                  assignee=people[Role.TECHNICIAN])
            t = ticket_services.ticket_transition(actor=people[Role.TECHNICIAN], ticket=t, action="start")
            t = ticket_services.ticket_transition(actor=people[Role.TECHNICIAN], ticket=t, action="resolve",
                                                  comment="Repaired and tested.")
            t = ticket_services.ticket_transition(actor=people[Role.ADMIN], ticket=t, action="close")
            reported = now - timedelta(days=days)
            started = reported + timedelta(hours=start_after)
            resolved = started + timedelta(hours=repair_hours)
            Ticket.objects.filter(pk=t.pk).update(created_at=reported, assigned_at=reported, resolved_at=resolved,
                                                  closed_at=resolved + timedelta(hours=1))
            TicketEvent.objects.filter(ticket=t, action="start").update(created_at=started)
            created += 1
    return created


def seed(stdout) -> None:
    people = {role: demo_user(role) for role in (Role.ADMIN, Role.ENGINEER, Role.TECHNICIAN, Role.CUSTOMER)}
    if not all(people.values()):
        stdout.write("  knowledge: demo users missing (seed accounts first); skipped")
        return
    articles = _articles(people, stdout)
    history = _history(people)
    from knowledge import reliability

    reliability.invalidate()
    stdout.write(f"  knowledge: {articles} articles and {history} past breakdowns created, "
                 f"{Article.objects.count()} articles in total")
