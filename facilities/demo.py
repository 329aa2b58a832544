"""Demo facilities: sites with coordinates, a location tree, equipment, vehicles and field staff.

Idempotent: objects are looked up by natural key, so running it again changes nothing.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.models import Role, User
from facilities.models import (
    Equipment,
    EquipmentModel,
    Location,
    Manufacturer,
    Site,
    StaffProfile,
    Trade,
    Vehicle,
)
from facilities.services import PATH_SEPARATOR

SITES = [
    ("Head Office", "1 Canada Square, London E14 5AB", "51.504900", "-0.019500"),
    ("Riverside Depot", "Riverside Way, Dartford DA1 5PZ", "51.454900", "0.226500"),
    ("North Campus", "Science Park, Cambridge CB4 0WS", "52.234500", "0.141800"),
]
TREE = {
    "Head Office": {"Block A": {"Ground floor": ["Reception", "Plant room"], "Floor 1": ["Room 101", "Room 102"]},
                    "Block B": {"Floor 2": ["Room 204", "Server room"]}},
    "Riverside Depot": {"Warehouse": {"Loading bay": [], "Workshop": []}},
    "North Campus": {"Lab building": {"Level 1": ["Lab 1.01", "Cold store"]}},
}
MODELS = [
    ("Daikin", "VRV IV heat pump", "HVAC"), ("Carrier", "AquaForce 30XW", "HVAC"),
    ("Otis", "Gen2 Life", "Lift"), ("Canon", "imageRUNNER C3226i", "Printer"),
    ("Worcester Bosch", "Greenstar 8000", "Boiler"), ("APC", "Smart-UPS SRT 5000", "Power"),
]
EQUIPMENT = [
    ("HQ-HVAC-001", "Daikin", "VRV IV heat pump", "Head Office", ["Block A", "Ground floor", "Plant room"],
     "in_service"),
    ("HQ-LIFT-001", "Otis", "Gen2 Life", "Head Office", ["Block A", "Ground floor", "Reception"], "in_service"),
    ("HQ-PRN-101", "Canon", "imageRUNNER C3226i", "Head Office", ["Block A", "Floor 1", "Room 101"], "out_of_service"),
    ("HQ-UPS-201", "APC", "Smart-UPS SRT 5000", "Head Office", ["Block B", "Floor 2", "Server room"], "in_service"),
    ("HQ-PRN-204", "Canon", "imageRUNNER C3226i", "Head Office", ["Block B", "Floor 2", "Room 204"], "in_service"),
    ("RD-BLR-001", "Worcester Bosch", "Greenstar 8000", "Riverside Depot", ["Warehouse", "Workshop"], "in_service"),
    ("NC-HVAC-001", "Carrier", "AquaForce 30XW", "North Campus", ["Lab building", "Level 1", "Cold store"],
     "in_service"),
]
VEHICLES = [("Van 1", "LD21 FXD", "Transit van", 3, "Head Office"),
            ("Van 2", "KR70 MNT", "Crafter van", 3, "Riverside Depot")]
TRADES = ["Electrical", "Plumbing", "HVAC", "IT", "Lifts", "General maintenance"]
STAFF = [
    # e-mail, first, last, role, phone, trades, home site
    ("engineer@demo.fixdesk.test", "Eric", "Engineer", Role.ENGINEER, "+447911200101", ["HVAC", "Electrical"],
     "Head Office"),
    ("technician@demo.fixdesk.test", "Tara", "Technician", Role.TECHNICIAN, "+447911200102",
     ["Plumbing", "General maintenance"], "Riverside Depot"),
    ("sam.okafor@demo.fixdesk.test", "Sam", "Okafor", Role.TECHNICIAN, "+447911200104", ["Electrical", "IT"],
     "North Campus"),
    ("priya.nair@demo.fixdesk.test", "Priya", "Nair", Role.ENGINEER, "+447911200105", ["Lifts", "HVAC"],
     "Head Office"),
]


def _location(site: Site, parent: Location | None, name: str) -> Location:
    loc = Location.objects.filter(site=site, parent=parent, name=name).first()
    if loc is None:
        base = parent.path if parent else site.name
        loc = Location.objects.create(site=site, parent=parent, name=name, path=f"{base}{PATH_SEPARATOR}{name}")
    return loc


def _tree(site, parent, spec):
    if isinstance(spec, dict):
        for name, sub in spec.items():
            _tree(site, _location(site, parent, name), sub)
    else:
        for name in spec:
            _location(site, parent, name)


def seed(stdout) -> None:
    sites = {}
    for name, address, lat, lon in SITES:
        sites[name], created = Site.objects.get_or_create(
            name=name, defaults={"address": address, "latitude": Decimal(lat), "longitude": Decimal(lon)}
        )
        if created:
            stdout.write(f"  site {name}")
    for site_name, spec in TREE.items():
        _tree(sites[site_name], None, spec)
    models = {}
    for maker, model_name, category in MODELS:
        manufacturer, _ = Manufacturer.objects.get_or_create(name=maker)
        models[(maker, model_name)], _ = EquipmentModel.objects.get_or_create(
            manufacturer=manufacturer, name=model_name, defaults={"category": category}
        )
    today = timezone.localdate()
    for i, (tag, maker, model_name, site_name, path, status) in enumerate(EQUIPMENT):
        site = sites[site_name]
        location = Location.objects.get(site=site, path=PATH_SEPARATOR.join([site.name, *path]))
        _, created = Equipment.objects.get_or_create(asset_tag=tag, defaults={
            "model": models[(maker, model_name)], "site": site, "location": location, "status": status,
            "serial_number": f"SN{2024000 + i * 137}", "install_date": today - dt.timedelta(days=400 + 90 * i),
            "warranty_end": today + dt.timedelta(days=365 * 2 - 150 * i),
        })
        if created:
            stdout.write(f"  equipment {tag}")
    for name, plate, kind, capacity, site_name in VEHICLES:
        Vehicle.objects.get_or_create(plate=plate, defaults={
            "name": name, "kind": kind, "capacity": capacity, "home_site": sites[site_name]})
    trades = {name: Trade.objects.get_or_create(name=name)[0] for name in TRADES}
    for email, first, last, role, phone, trade_names, site_name in STAFF:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, first_name=first, last_name=last, role=role, phone=phone,
                        email_confirmed_at=timezone.now())
            from accounts.demo import DEMO_PASSWORD

            user.set_password(DEMO_PASSWORD)
            user.save()
            stdout.write(f"  staff {email}")
        profile, created = StaffProfile.objects.get_or_create(user=user, defaults={"home_site": sites[site_name]})
        if created:
            profile.trades.set([trades[t] for t in trade_names])
