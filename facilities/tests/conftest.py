"""Fixtures of the facilities tests: a small registry built through the services."""

import pytest
from django.core.cache import cache

from accounts.models import Role
from accounts.tests.factories import make_user
from facilities import services


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def registry(db):
    """HQ (with coordinates) > Block B > Floor 2 > Room 204, a depot, two models, three pieces of equipment."""
    actor = make_user(Role.ADMIN)
    hq = services.site_create(actor=actor, name="HQ", address="1 Main St", latitude="51.507400", longitude="-0.127800")
    depot = services.site_create(actor=actor, name="Depot", latitude="51.454900", longitude="0.226500")
    block = services.location_create(actor=actor, site=hq, name="Block B")
    floor = services.location_create(actor=actor, site=hq, name="Floor 2", parent=block)
    room = services.location_create(actor=actor, site=hq, name="Room 204", parent=floor)
    yard = services.location_create(actor=actor, site=depot, name="Yard")
    hvac = services.equipment_model_create(actor=actor, manufacturer="Daikin", name="VRV IV", category="HVAC")
    printer = services.equipment_model_create(actor=actor, manufacturer="Canon", name="C3226i", category="Printer")
    ac = services.equipment_create(actor=actor, asset_tag="HQ-AC-1", model=hvac, site=hq, location=room,
                                   serial_number="SN-1")
    prn = services.equipment_create(actor=actor, asset_tag="HQ-PRN-1", model=printer, site=hq, location=floor)
    boiler = services.equipment_create(actor=actor, asset_tag="DP-AC-9", model=hvac, site=depot, location=yard)
    return {
        "actor": actor, "hq": hq, "depot": depot, "block": block, "floor": floor, "room": room, "yard": yard,
        "hvac": hvac, "printer": printer, "ac": ac, "prn": prn, "boiler": boiler,
    }


@pytest.fixture
def make_ticket(db):
    """Tickets are created directly (tests only): facilities code itself never imports tickets."""
    from tickets.models import Ticket

    def make(**kwargs):
        kwargs.setdefault("title", "Leaking unit")
        kwargs.setdefault("description", "Water on the floor")
        if "requester" not in kwargs:
            kwargs["requester"] = make_user(Role.CUSTOMER)
        return Ticket.objects.create(**kwargs)

    return make
