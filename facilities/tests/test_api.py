import pytest

ROLES = ["admin", "engineer", "technician", "customer"]
ENDPOINTS = ["sites", "locations", "equipment", "vehicles"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_registry_api_per_role(registry, users, client_for, role, endpoint):
    response = client_for(users[role]).get(f"/api/v1/facilities/{endpoint}/")
    assert response.status_code == (403 if role == "customer" else 200)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_gets_no_registry(registry, client, endpoint):
    assert client.get(f"/api/v1/facilities/{endpoint}/").status_code in (401, 403)


def test_equipment_filters_and_shape(registry, client_for, engineer, django_assert_max_num_queries):
    c = client_for(engineer)
    with django_assert_max_num_queries(8):
        data = c.get("/api/v1/facilities/equipment/", {"site": registry["hq"].pk}).json()
    assert [e["asset_tag"] for e in data["results"]] == ["HQ-AC-1", "HQ-PRN-1"]
    ac = data["results"][0]
    assert ac["model"] == {"id": registry["hvac"].pk, "manufacturer": "Daikin", "name": "VRV IV", "category": "HVAC"}
    assert ac["location_path"] == "HQ / Block B / Floor 2 / Room 204"
    assert c.get("/api/v1/facilities/equipment/", {"search": "canon"}).json()["count"] == 1
    assert c.get(f"/api/v1/facilities/locations/?site={registry['depot'].pk}").json()["results"][0]["path"] == \
        "Depot / Yard"


def test_registry_api_is_read_only(registry, client_for, admin):
    c = client_for(admin)
    assert c.post("/api/v1/facilities/sites/", {"name": "X"}, content_type="application/json").status_code == 405
    assert c.delete(f"/api/v1/facilities/sites/{registry['hq'].pk}/").status_code == 405


def test_schema_still_builds(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert "/api/v1/facilities/equipment/" in response.json()["paths"]
