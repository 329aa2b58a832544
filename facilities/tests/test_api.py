"""The facilities registry in the API: staff read, admins write (through the services), everyone picks."""

import pytest

from facilities.models import Equipment, EquipmentModel, Location, Manufacturer, Site, Vehicle

pytestmark = pytest.mark.django_db

ROLES = ["admin", "engineer", "technician", "customer"]
READERS = {"admin", "engineer", "technician"}


@pytest.fixture
def registry(db):
    site = Site.objects.create(name="Head Office", latitude="51.500000", longitude="-0.120000")
    block = Location.objects.create(site=site, name="Block B", path="Head Office / Block B")
    room = Location.objects.create(site=site, parent=block, name="Room 204", path="Head Office / Block B / Room 204")
    model = EquipmentModel.objects.create(manufacturer=Manufacturer.objects.create(name="Daikin"), name="FTXM35",
                                          category="HVAC")
    unit = Equipment.objects.create(asset_tag="AC-0204", model=model, site=site, location=room)
    retired = Equipment.objects.create(asset_tag="AC-OLD", model=model, site=site, status="retired")
    closed = Site.objects.create(name="Old Depot", active=False)
    van = Vehicle.objects.create(name="Van 1", plate="FX21 ABC")
    return {"site": site, "block": block, "room": room, "model": model, "unit": unit, "retired": retired,
            "closed": closed, "van": van}


READ_PATHS = ["/api/v1/sites/", "/api/v1/sites/{site}/", "/api/v1/locations/", "/api/v1/locations/{room}/",
              "/api/v1/equipment-models/", "/api/v1/equipment-models/{model}/", "/api/v1/equipment/",
              "/api/v1/equipment/{unit}/", "/api/v1/vehicles/", "/api/v1/vehicles/{van}/"]


def _path(template, registry):
    return template.format(**{k: getattr(v, "pk", v) for k, v in registry.items()})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("template", READ_PATHS)
def test_registry_reads_are_for_staff(api, users, registry, role, template):
    response = api(users[role]).get(_path(template, registry))
    assert response.status_code == (200 if role in READERS else 403)


@pytest.mark.parametrize("template", READ_PATHS)
def test_registry_is_closed_to_anonymous_callers(api, registry, template):
    assert api().get(_path(template, registry)).status_code == 401


WRITES = [
    ("post", "/api/v1/sites/", {"name": "Warehouse", "address": "1 Dock Road", "latitude": "51.1"}),
    ("patch", "/api/v1/sites/{site}/", {"name": "HQ"}),
    ("post", "/api/v1/locations/", {"site": "{site}", "parent": "{block}", "name": "Room 205"}),
    ("patch", "/api/v1/locations/{room}/", {"name": "Room 204a"}),
    ("post", "/api/v1/equipment-models/", {"manufacturer": "Bosch", "name": "GLL 3-80", "category": "Tools"}),
    ("patch", "/api/v1/equipment-models/{model}/", {"category": "Air conditioning"}),
    ("post", "/api/v1/equipment/", {"asset_tag": "AC-0205", "model": "{model}", "site": "{site}",
                                    "location": "{room}"}),
    ("patch", "/api/v1/equipment/{unit}/", {"status": "out_of_service"}),
    ("post", "/api/v1/vehicles/", {"name": "Van 2", "plate": "ab12 cde", "kind": "van"}),
    ("patch", "/api/v1/vehicles/{van}/", {"active": False}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template", "body"), WRITES)
def test_registry_writes_are_for_admins(api, users, registry, role, method, template, body):
    data = {k: _path(v, registry) if isinstance(v, str) else v for k, v in body.items()}
    response = getattr(api(users[role]), method)(_path(template, registry), data)
    if role == "admin":
        assert response.status_code == (201 if method == "post" else 200), response.content
    else:
        assert response.status_code == 403


def test_writes_go_through_the_services(api, users, registry):
    admin = api(users["admin"])
    assert admin.post("/api/v1/vehicles/", {"name": "Van 2", "plate": "ab12  cde"}).json()["plate"] == "AB12 CDE"
    clash = admin.post("/api/v1/vehicles/", {"name": "Van 3", "plate": "AB12CDE"})
    assert clash.status_code == 400 and "plate" in clash.json()["errors"]
    renamed = admin.patch(f"/api/v1/sites/{registry['site'].pk}/", {"name": "HQ"})
    assert renamed.status_code == 200
    registry["room"].refresh_from_db()
    assert registry["room"].path == "HQ / Block B / Room 204"
    loop = admin.patch(f"/api/v1/locations/{registry['block'].pk}/", {"parent": registry["room"].pk})
    assert loop.status_code == 400 and "parent" in loop.json()["errors"]
    wrong_site = admin.post("/api/v1/equipment/", {"asset_tag": "X-1", "model": registry["model"].pk,
                                                   "site": registry["closed"].pk, "location": registry["room"].pk})
    assert wrong_site.status_code == 400 and "location" in wrong_site.json()["errors"]


def test_a_location_with_equipment_cannot_be_deleted(api, users, registry):
    admin = api(users["admin"])
    response = admin.delete(f"/api/v1/locations/{registry['block'].pk}/")
    assert response.status_code == 409 and Location.objects.filter(pk=registry["block"].pk).exists()
    empty = Location.objects.create(site=registry["site"], name="Shed", path="Head Office / Shed")
    assert api(users["engineer"]).delete(f"/api/v1/locations/{empty.pk}/").status_code == 403
    assert admin.delete(f"/api/v1/locations/{empty.pk}/").status_code == 204
    assert not Location.objects.filter(pk=empty.pk).exists()


def test_equipment_filters(api, users, registry):
    client = api(users["technician"])
    tags = lambda url: [e["asset_tag"] for e in client.get(url).json()["results"]]  # noqa: E731
    assert tags(f"/api/v1/equipment/?location={registry['block'].pk}") == ["AC-0204"]
    assert tags("/api/v1/equipment/?status=retired") == ["AC-OLD"]
    assert tags("/api/v1/equipment/?q=daikin") == ["AC-0204", "AC-OLD"]
    assert client.get("/api/v1/equipment/?status=melted").status_code == 400


def test_free_vehicles(api, users, registry, customer):
    from tickets.tests.conftest import make_ticket

    make_ticket(requester=customer, status="in_progress", assignee=users["technician"], vehicle=registry["van"])
    Vehicle.objects.create(name="Van 2", plate="ZZ1")
    client = api(users["engineer"])
    assert [v["name"] for v in client.get("/api/v1/vehicles/?free=true").json()["results"]] == ["Van 2"]
    busy = next(v for v in client.get("/api/v1/vehicles/").json()["results"] if v["name"] == "Van 1")
    assert busy["busy_on"] == 1


@pytest.mark.parametrize("role", ROLES)
def test_pickers_are_for_everyone_signed_in(api, users, registry, role):
    client = api(users[role])
    assert [s["name"] for s in client.get("/api/v1/pick/sites/").json()] == ["Head Office"]
    paths = [loc["path"] for loc in client.get(f"/api/v1/pick/locations/?site={registry['site'].pk}").json()]
    assert paths == ["Head Office / Block B", "Head Office / Block B / Room 204"]
    tags = [e["asset_tag"] for e in client.get(
        f"/api/v1/pick/equipment/?site={registry['site'].pk}&location={registry['block'].pk}").json()]
    assert tags == ["AC-0204"]  # retired equipment is not offered
    assert client.get(f"/api/v1/pick/locations/?site={registry['closed'].pk}").json() == []
    assert client.get("/api/v1/pick/locations/").status_code == 400
    assert api().get("/api/v1/pick/sites/").status_code == 401
