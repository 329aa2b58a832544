"""The Django admin back office: lists with search and filters, autocomplete, paths kept by the services."""

import pytest
from django.urls import reverse

from facilities.models import Location

CHANGELISTS = ["site", "location", "manufacturer", "equipmentmodel", "equipment", "vehicle", "trade",
               "staffprofile"]


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelists_search_and_add_pages_load(registry, client_for, admin, model):
    c = client_for(admin)
    assert c.get(reverse(f"admin:facilities_{model}_changelist"), {"q": "HQ"}).status_code == 200
    assert c.get(reverse(f"admin:facilities_{model}_add")).status_code == 200


def test_equipment_changelist_filters_and_finds(registry, client_for, admin):
    c = client_for(admin)
    body = c.get(reverse("admin:facilities_equipment_changelist"), {"q": "Room 204"}).content.decode()
    assert "HQ-AC-1" in body and "DP-AC-9" not in body
    body = c.get(reverse("admin:facilities_equipment_changelist"), {"site__id__exact": registry["depot"].pk})
    assert b"DP-AC-9" in body.content and b"HQ-AC-1" not in body.content


def test_autocomplete_for_locations(registry, client_for, admin):
    response = client_for(admin).get(reverse("admin:autocomplete"), {
        "app_label": "facilities", "model_name": "equipment", "field_name": "location", "term": "204",
    })
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["HQ / Block B / Floor 2 / Room 204"]


def test_admin_location_add_and_rename_keep_paths(registry, client_for, admin):
    c = client_for(admin)
    response = c.post(reverse("admin:facilities_location_add"),
                      {"site": registry["hq"].pk, "parent": registry["block"].pk, "name": "Floor 3"})
    assert response.status_code == 302
    assert Location.objects.get(name="Floor 3").path == "HQ / Block B / Floor 3"
    c.post(reverse("admin:facilities_location_change", args=[registry["block"].pk]),
           {"site": registry["hq"].pk, "parent": "", "name": "Block C"})
    registry["room"].refresh_from_db()
    assert registry["room"].path == "HQ / Block C / Floor 2 / Room 204"


def test_admin_refuses_a_cycle_with_a_form_error(registry, client_for, admin):
    response = client_for(admin).post(reverse("admin:facilities_location_change", args=[registry["block"].pk]),
                                      {"site": registry["hq"].pk, "parent": registry["room"].pk, "name": "Block B"})
    assert response.status_code == 200 and b"cannot sit inside itself" in response.content
    registry["block"].refresh_from_db()
    assert registry["block"].parent is None


def test_admin_site_rename_rewrites_paths(registry, client_for, admin):
    hq = registry["hq"]
    client_for(admin).post(reverse("admin:facilities_site_change", args=[hq.pk]),
                           {"name": "Head Office", "address": hq.address, "latitude": hq.latitude,
                            "longitude": hq.longitude, "active": "on"})
    registry["room"].refresh_from_db()
    assert registry["room"].path == "Head Office / Block B / Floor 2 / Room 204"


@pytest.mark.parametrize("role", ["engineer", "technician", "customer"])
def test_others_have_no_back_office(registry, users, client_for, role):
    response = client_for(users[role]).get(reverse("admin:facilities_equipment_changelist"))
    assert response.status_code == 302


def test_admin_equipment_location_must_be_on_its_site(registry, client_for, admin):
    ac = registry["ac"]
    response = client_for(admin).post(reverse("admin:facilities_equipment_change", args=[ac.pk]), {
        "asset_tag": ac.asset_tag, "model": ac.model_id, "site": registry["depot"].pk, "location": ac.location_id,
        "status": "in_service",
    })
    assert response.status_code == 200 and b"not on the chosen site" in response.content
    ac.refresh_from_db()
    assert ac.site == registry["hq"]


def test_admin_edits_staff_names_and_phone_in_the_back_office(registry, client_for, admin, technician):
    from facilities.models import StaffProfile, Trade

    plumbing = Trade.objects.create(name="Plumbing")
    c = client_for(admin)
    response = c.post(reverse("admin:facilities_staffprofile_add"), {
        "user": technician.pk, "first_name": "Tia", "last_name": "Lee", "phone": "07911 123459",
        "trades": [plumbing.pk], "home_site": registry["depot"].pk,
    })
    assert response.status_code == 302
    technician.refresh_from_db()
    assert (technician.first_name, technician.last_name, technician.phone.as_e164) == ("Tia", "Lee", "+447911123459")
    profile = StaffProfile.objects.get(user=technician)
    assert list(profile.trades.all()) == [plumbing]
    response = c.post(reverse("admin:facilities_staffprofile_change", args=[profile.pk]), {
        "first_name": "T1a", "last_name": "Lee", "phone": "12", "home_site": "",
    })
    assert response.status_code == 200  # digits in a name and a bad phone are form errors
    technician.refresh_from_db()
    assert technician.first_name == "Tia"
    response = client_for(admin).post(reverse("admin:facilities_staffprofile_change", args=[profile.pk]), {
        "first_name": "Tess", "last_name": "Lee", "phone": "", "home_site": ""})
    assert response.status_code == 302
    technician.refresh_from_db()
    assert technician.first_name == "Tess" and not technician.phone


def test_admin_staff_profile_only_for_field_staff(client_for, admin, customer):
    response = client_for(admin).post(reverse("admin:facilities_staffprofile_add"), {
        "user": customer.pk, "first_name": "Cus", "last_name": "Tomer", "phone": "",
    })
    assert response.status_code == 200
    from facilities.models import StaffProfile

    assert not StaffProfile.objects.exists()
