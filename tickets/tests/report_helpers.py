"""Builders for the service report tests: a job in progress with a site, equipment and a travel estimate."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from facilities.models import Equipment, EquipmentModel, Location, Manufacturer, Site, StaffProfile
from tickets.models import ReportCode, Status
from tickets.tests.conftest import make_ticket


def ensure_codes():
    """The default code lists of migration 0004 (gone after a transactional test's flush)."""
    import importlib

    for kind, rows in importlib.import_module("tickets.migrations.0004_report_codes").CODES.items():
        for order, (code, label) in enumerate(rows, start=1):
            ReportCode.objects.get_or_create(kind=kind, code=code, defaults={"label": label, "sort_order": order})


def codes():
    return {kind: ReportCode.objects.filter(kind=kind, active=True).order_by("sort_order").first()
            for kind in ("symptom", "cause", "action")}


def make_job(*, requester, assignee, status=Status.IN_PROGRESS):
    """A ticket worked by ``assignee`` at a site 'far' from the assignee's home site."""
    site = Site.objects.create(name="Riverside Clinic", latitude=Decimal("51.500000"), longitude=Decimal("-0.120000"))
    home = Site.objects.create(name="Depot", latitude=Decimal("51.550000"), longitude=Decimal("-0.200000"))
    StaffProfile.objects.update_or_create(user=assignee, defaults={"home_site": home})
    room = Location.objects.create(site=site, name="Plant room", path="Riverside Clinic / Plant room")
    model = EquipmentModel.objects.create(manufacturer=Manufacturer.objects.create(name="Grundfos"), name="UPS 25")
    pump = Equipment.objects.create(asset_tag="PUMP-7", model=model, site=site, location=room)
    return make_ticket(requester=requester, assignee=assignee, status=status, site=site, location=room,
                       equipment=pump, title="Circulation pump noisy", description="Loud grinding noise.")


def report_fields(**extra):
    c = codes()
    end = timezone.now().replace(microsecond=0) - timedelta(minutes=5)
    fields = {
        "arrived_at": end - timedelta(minutes=90), "departed_at": end, "travel_distance_km": Decimal("7.5"),
        "travel_minutes": 20, "labour_minutes": 75, "symptom": c["symptom"], "symptom_text": "Grinding at start-up",
        "cause": c["cause"], "cause_text": "Bearing worn out", "action": c["action"],
        "action_text": "Replaced the bearing and tested for 30 minutes", "follow_up_needed": False,
        "follow_up_note": "",
    }
    fields.update(extra)
    return fields


def post_data(**extra):
    """The report form as a browser posts it (no parts unless given)."""
    f = report_fields()
    data = {
        "arrived_at": timezone.localtime(f["arrived_at"]).strftime("%Y-%m-%dT%H:%M"),
        "departed_at": timezone.localtime(f["departed_at"]).strftime("%Y-%m-%dT%H:%M"),
        "travel_distance_km": "7.5", "travel_minutes": "20", "labour_minutes": "75",
        "symptom": f["symptom"].pk, "symptom_text": f["symptom_text"], "cause": f["cause"].pk,
        "cause_text": f["cause_text"], "action": f["action"].pk, "action_text": f["action_text"],
        "parts-TOTAL_FORMS": "3", "parts-INITIAL_FORMS": "0", "parts-MIN_NUM_FORMS": "0", "parts-MAX_NUM_FORMS": "50",
    }
    for i in range(3):
        data.update({f"parts-{i}-part_number": "", f"parts-{i}-description": "", f"parts-{i}-quantity": ""})
    data.update(extra)
    return data
