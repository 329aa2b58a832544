"""Each role against each page: admins manage, field staff read, customers only pick a place."""

import pytest
from django.urls import reverse

from facilities.models import Equipment, Location, Site, StaffProfile, Vehicle

ROLES = ["admin", "engineer", "technician", "customer"]

# (url name, registry key giving the pk or None)
READ_PAGES = [
    ("facilities:index", None), ("facilities:site_list", None), ("facilities:site_detail", "hq"),
    ("facilities:location_detail", "floor"), ("facilities:equipment_list", None),
    ("facilities:equipment_detail", "ac"), ("facilities:model_list", None), ("facilities:vehicle_list", None),
    ("facilities:staff_list", None),
]
MANAGE_PAGES = [
    ("facilities:site_create", None), ("facilities:site_edit", "hq"), ("facilities:location_edit", "floor"),
    ("facilities:equipment_create", None), ("facilities:equipment_edit", "ac"), ("facilities:model_create", None),
    ("facilities:model_edit", "hvac"), ("facilities:vehicle_create", None), ("facilities:staff_create", None),
]
LABEL_PAGES = [("facilities:equipment_label", "ac"), ("facilities:location_labels", "block"),
               ("facilities:site_labels", "depot")]


def _url(registry, name, key):
    return reverse(name, args=[registry[key].pk]) if key else reverse(name)


EXPECTED_READ = {"admin": 200, "engineer": 200, "technician": 200, "customer": 403}
EXPECTED_MANAGE = {"admin": 200, "engineer": 403, "technician": 403, "customer": 403}
EXPECTED_LABELS = {"admin": 200, "engineer": 200, "technician": 403, "customer": 403}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,key", READ_PAGES)
def test_read_pages_per_role(registry, users, client_for, role, name, key):
    response = client_for(users[role]).get(_url(registry, name, key))
    assert response.status_code == EXPECTED_READ[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,key", MANAGE_PAGES + [("facilities:location_create", "hq")])
def test_manage_pages_per_role(registry, users, client_for, role, name, key):
    response = client_for(users[role]).get(_url(registry, name, key))
    assert response.status_code == EXPECTED_MANAGE[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,key", LABEL_PAGES)
def test_label_pages_per_role(registry, users, client_for, role, name, key):
    response = client_for(users[role]).get(_url(registry, name, key))
    assert response.status_code == EXPECTED_LABELS[role]


def test_staff_edit_per_role(users, client_for, technician):
    url = reverse("facilities:staff_edit", args=[technician.pk])
    assert client_for(users["admin"]).get(url).status_code == 200
    for role in ["engineer", "technician", "customer"]:
        assert client_for(users[role]).get(url).status_code == 403


def test_staff_edit_is_only_for_field_staff(users, client_for):
    url = reverse("facilities:staff_edit", args=[users["customer"].pk])
    assert client_for(users["admin"]).get(url).status_code == 404


@pytest.mark.parametrize("name,key", READ_PAGES + MANAGE_PAGES + LABEL_PAGES)
def test_anonymous_is_sent_to_login(registry, client, name, key):
    response = client.get(_url(registry, name, key))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ["engineer", "technician", "customer"])
def test_non_admins_cannot_post(registry, users, client_for, role):
    c = client_for(users[role])
    assert c.post(reverse("facilities:site_create"), {"name": "Sneaky"}).status_code == 403
    assert c.post(reverse("facilities:location_delete", args=[registry["room"].pk])).status_code == 403
    assert c.get(reverse("facilities:export_csv", args=["equipment"])).status_code == 403
    assert not Site.objects.filter(name="Sneaky").exists()
    assert Location.objects.filter(pk=registry["room"].pk).exists()


def test_pages_show_what_users_expect(registry, client_for, users):
    c = client_for(users["engineer"])
    body = c.get(reverse("facilities:site_detail", args=[registry["hq"].pk])).content.decode()
    assert "Block B" in body and "Room 204" in body and "Add a location" not in body
    body = c.get(reverse("facilities:equipment_list") + "?q=daikin").content.decode()
    assert "HQ-AC-1" in body and "DP-AC-9" in body and "HQ-PRN-1" not in body
    body = c.get(reverse("facilities:equipment_list") + f"?location={registry['block'].pk}").content.decode()
    assert "HQ-AC-1" in body and "HQ-PRN-1" in body and "DP-AC-9" not in body
    body = client_for(users["admin"]).get(reverse("facilities:site_detail", args=[registry["hq"].pk])).content
    assert b"Add a location" in body


def test_bad_filters_do_not_fail(registry, client_for, users):
    c = client_for(users["admin"])
    url = reverse("facilities:equipment_list") + "?site=abc&location=%00&status=bogus&page=999"
    assert c.get(url).status_code == 200
    huge = "9" * 30
    assert c.get(reverse("facilities:equipment_list"), {"site": huge, "location": huge}).status_code == 200
    assert c.get(reverse("facilities:equipment_create"), {"site": huge, "model": huge}).status_code == 200
    assert c.get(reverse("facilities:location_create", args=[registry["hq"].pk]), {"parent": huge}).status_code == 200


def test_admin_adds_a_site_and_a_location_tree(client_for, admin):
    c = client_for(admin)
    response = c.post(reverse("facilities:site_create"),
                      {"name": "Annex", "address": "2 Side St", "latitude": "51.5", "longitude": "-0.1",
                       "active": "on"})
    site = Site.objects.get(name="Annex")
    assert response.status_code == 302 and response["Location"] == site.get_absolute_url()
    c.post(reverse("facilities:location_create", args=[site.pk]), {"name": "Floor 1"})
    floor = Location.objects.get(site=site, name="Floor 1")
    c.post(reverse("facilities:location_create", args=[site.pk]), {"name": "Room 1", "parent": floor.pk})
    assert Location.objects.get(name="Room 1").path == "Annex / Floor 1 / Room 1"


def test_site_form_keeps_input_and_shows_errors(client_for, admin):
    response = client_for(admin).post(reverse("facilities:site_create"),
                                      {"name": "Half", "address": "Kept address", "latitude": "95"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kept address" in body and "is-invalid" in body
    assert not Site.objects.filter(name="Half").exists()


def test_location_move_into_own_subtree_is_a_form_error(registry, client_for, admin):
    response = client_for(admin).post(reverse("facilities:location_edit", args=[registry["block"].pk]),
                                      {"name": "Block B", "parent": registry["room"].pk})
    assert response.status_code == 200  # the room is not even offered: invalid choice
    registry["room"].refresh_from_db()
    assert registry["room"].path == "HQ / Block B / Floor 2 / Room 204"


def test_location_delete_with_equipment_is_refused_with_a_message(registry, client_for, admin):
    response = client_for(admin).post(reverse("facilities:location_delete", args=[registry["block"].pk]), follow=True)
    assert response.status_code == 200
    assert "Move or retire the equipment" in response.content.decode()
    assert Location.objects.filter(pk=registry["block"].pk).exists()


def test_admin_adds_equipment_and_a_mismatched_location_is_a_field_error(registry, client_for, admin):
    c = client_for(admin)
    data = {"asset_tag": "NEW-1", "model": registry["hvac"].pk, "site": registry["depot"].pk,
            "location": registry["room"].pk, "status": "in_service", "notes": "typed notes"}
    response = c.post(reverse("facilities:equipment_create"), data)
    assert response.status_code == 200
    assert "not on the chosen site" in response.content.decode() and "typed notes" in response.content.decode()
    data["location"] = registry["yard"].pk
    response = c.post(reverse("facilities:equipment_create"), data)
    item = Equipment.objects.get(asset_tag="NEW-1")
    assert response["Location"] == item.get_absolute_url()
    assert item.location == registry["yard"]


def test_equipment_photo_upload_and_permission_checked_download(registry, client_for, admin, customer, engineer):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buf, "PNG")
    photo = SimpleUploadedFile("unit.png", buf.getvalue(), content_type="image/png")
    ac = registry["ac"]
    data = {"asset_tag": ac.asset_tag, "model": ac.model_id, "site": ac.site_id, "location": ac.location_id,
            "status": "in_service", "photo": photo}
    assert client_for(admin).post(reverse("facilities:equipment_edit", args=[ac.pk]), data).status_code == 302
    ac.refresh_from_db()
    assert ac.photo.name.startswith("equipment/") and "unit" not in ac.photo.name and ac.photo.name.endswith(".png")
    url = reverse("facilities:equipment_photo", args=[ac.pk])
    response = client_for(engineer).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert client_for(customer).get(url).status_code == 403
    assert client_for(engineer).get(reverse("facilities:equipment_photo", args=[registry["prn"].pk])).status_code == 404


def test_admin_adds_a_model_creating_the_manufacturer(client_for, admin):
    c = client_for(admin)
    assert c.post(reverse("facilities:model_create"),
                  {"manufacturer": "Otis", "name": "Gen2", "category": "Lift"}).status_code == 302
    response = c.post(reverse("facilities:model_create"), {"manufacturer": "otis", "name": "Gen2"})
    assert response.status_code == 200 and "already exists" in response.content.decode()


def test_admin_adds_and_edits_a_vehicle(registry, client_for, admin):
    c = client_for(admin)
    c.post(reverse("facilities:vehicle_create"), {"name": "Van 1", "plate": "ab12 cde", "kind": "Van",
                                                  "capacity": "3", "home_site": registry["hq"].pk, "active": "on"})
    van = Vehicle.objects.get()
    assert van.plate == "AB12 CDE"
    response = c.post(reverse("facilities:vehicle_create"), {"name": "Van 2", "plate": "AB12CDE ", "active": "on"})
    assert response.status_code == 200 and "Another vehicle has this plate" in response.content.decode()
    assert Vehicle.objects.count() == 1
    c.post(reverse("facilities:vehicle_edit", args=[van.pk]), {"name": "Van One", "plate": "AB12 CDE"})
    van.refresh_from_db()
    assert van.name == "Van One" and van.active is False


def test_admin_adds_maintenance_staff(registry, client_for, admin):
    from facilities.models import Trade

    Trade.objects.create(name="HVAC")
    hvac = Trade.objects.get()
    response = client_for(admin).post(reverse("facilities:staff_create"), {
        "first_name": "Pat", "last_name": "O'Neill", "email": "pat@example.com", "phone": "07911 123456",
        "role": "technician", "trades": [hvac.pk], "new_trades": "Plumbing, Lifts", "home_site": registry["hq"].pk,
    })
    assert response.status_code == 302
    profile = StaffProfile.objects.select_related("user").get(user__email="pat@example.com")
    assert profile.user.phone.as_e164 == "+447911123456"
    assert sorted(t.name for t in profile.trades.all()) == ["HVAC", "Lifts", "Plumbing"]
    assert not profile.user.has_usable_password()
    body = client_for(admin).get(reverse("facilities:staff_list") + "?q=plumbing").content.decode()
    assert "O&#x27;Neill" in body and "+44 7911 123456" in body


def test_staff_form_errors_keep_input(client_for, admin, engineer):
    response = client_for(admin).post(reverse("facilities:staff_create"), {
        "first_name": "R2D2", "last_name": "Droid", "email": engineer.email, "phone": "12", "role": "admin",
    })
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("is-invalid") >= 4 and "Droid" in body


def test_admin_edits_staff_names_phone_and_deactivates(registry, client_for, admin, technician):
    response = client_for(admin).post(reverse("facilities:staff_edit", args=[technician.pk]), {
        "first_name": "Tia", "last_name": "Lee", "email": "ignored@example.com", "phone": "+447911123458",
        "role": "technician", "home_site": registry["depot"].pk,
    })
    assert response.status_code == 302
    technician.refresh_from_db()
    assert technician.first_name == "Tia" and technician.email != "ignored@example.com"
    assert technician.is_active is False  # unticked
    assert technician.staff_profile.home_site == registry["depot"]


def test_equipment_page_shows_open_tickets_and_history_newest_first(registry, client_for, engineer, make_ticket):
    ac = registry["ac"]
    old = make_ticket(title="Old noise", equipment=ac, site=ac.site, status="closed")
    current = make_ticket(title="Cold air", equipment=ac, site=ac.site, status="in_progress", assignee=engineer)
    make_ticket(title="Other unit", equipment=registry["prn"], site=ac.site)
    from django.utils import timezone

    make_ticket(title="Deleted one", equipment=ac, site=ac.site, deleted_at=timezone.now())
    body = client_for(engineer).get(reverse("facilities:equipment_detail", args=[ac.pk])).content.decode()
    open_part = body.split('id="open-tickets"')[1].split('id="history"')[0]
    assert "Cold air" in open_part and "Old noise" not in open_part
    history = body.split('id="history"')[1]
    assert history.index("Cold air") < history.index("Old noise")
    assert "Other unit" not in body and "Deleted one" not in body
    assert current.reference in body and old.reference in body


def test_list_pages_hold_their_query_budget(registry, client_for, admin, django_assert_max_num_queries):
    from facilities import services

    for i in range(30):
        services.equipment_create(actor=registry["actor"], asset_tag=f"BULK-{i}", model=registry["hvac"],
                                  site=registry["hq"], location=registry["room"])
    c = client_for(admin)
    for name in ["facilities:equipment_list", "facilities:site_list", "facilities:staff_list",
                 "facilities:vehicle_list", "facilities:model_list"]:
        with django_assert_max_num_queries(12):
            assert c.get(reverse(name)).status_code == 200
    with django_assert_max_num_queries(14):
        c.get(reverse("facilities:site_detail", args=[registry["hq"].pk]))
    with django_assert_max_num_queries(12):
        c.get(reverse("facilities:equipment_detail", args=[registry["ac"].pk]))


def test_dashboard_panel_for_staff_only(registry, client_for, users):
    assert b"out of service" not in client_for(users["customer"]).get(reverse("dashboard")).content
    assert b"3 pieces of equipment" in client_for(users["engineer"]).get(reverse("dashboard")).content


def test_registry_counts_read_the_active_registry_in_one_query(registry, django_assert_num_queries):
    from facilities import services
    from facilities.dashboard import registry_counts

    actor = registry["actor"]
    with django_assert_num_queries(1):
        assert registry_counts() == {"sites": 2, "vehicles": 0, "equipment": 3, "out_of_service": 0}
    services.site_update(actor=actor, site=registry["depot"], active=False)
    services.equipment_update(actor=actor, equipment=registry["ac"], status=Equipment.Status.OUT_OF_SERVICE)
    services.vehicle_create(actor=actor, name="Van 1", plate="AB12 CDE")
    retired = services.vehicle_create(actor=actor, name="Van 2", plate="AB12 CDF")
    services.vehicle_update(actor=actor, vehicle=retired, active=False)
    assert registry_counts() == {"sites": 1, "vehicles": 1, "equipment": 3, "out_of_service": 1}


@pytest.mark.django_db
def test_registry_counts_of_an_empty_registry_are_zero():
    from facilities.dashboard import registry_counts

    assert registry_counts() == {"sites": 0, "vehicles": 0, "equipment": 0, "out_of_service": 0}


def test_equipment_page_offers_the_prefilled_report_link(registry, client_for, technician):
    from facilities import labels

    ac = registry["ac"]
    body = client_for(technician).get(reverse("facilities:equipment_detail", args=[ac.pk])).content.decode()
    expected = f"{labels.REPORT_PATH}?site={ac.site_id}&amp;location={ac.location_id}&amp;equipment={ac.pk}"
    assert expected in body


def test_equipment_form_offers_the_locations_of_the_chosen_site(registry, client_for, admin):
    body = client_for(admin).get(reverse("facilities:equipment_edit", args=[registry["boiler"].pk])).content.decode()
    assert "Depot / Yard" in body and "Room 204" not in body


def test_label_sheet_holds_its_query_budget(registry, client_for, admin, django_assert_max_num_queries):
    from facilities import services

    for i in range(25):
        services.equipment_create(actor=registry["actor"], asset_tag=f"L-{i}", model=registry["hvac"],
                                  site=registry["hq"], location=registry["room"])
    c = client_for(admin)
    with django_assert_max_num_queries(8):
        response = c.get(reverse("facilities:location_labels", args=[registry["block"].pk]))
    assert response.content.decode().count('class="qr-label"') == 27
