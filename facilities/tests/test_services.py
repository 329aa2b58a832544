import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from facilities import selectors, services
from facilities.models import Equipment, Location, Vehicle


def test_location_paths_follow_the_tree(registry):
    assert registry["room"].path == "HQ / Block B / Floor 2 / Room 204"
    assert str(registry["room"]) == "HQ / Block B / Floor 2 / Room 204"
    assert registry["room"].depth_path == "Block B / Floor 2 / Room 204"


def test_renaming_a_site_rewrites_every_path_under_it(registry):
    services.site_update(actor=registry["actor"], site=registry["hq"], name="Head Office")
    paths = sorted(Location.objects.filter(site=registry["hq"]).values_list("path", flat=True))
    assert paths == ["Head Office / Block B", "Head Office / Block B / Floor 2",
                     "Head Office / Block B / Floor 2 / Room 204"]


def test_moving_a_location_moves_its_subtree(registry):
    actor, hq = registry["actor"], registry["hq"]
    annex = services.location_create(actor=actor, site=hq, name="Annex")
    services.location_update(actor=actor, location=registry["floor"], parent=annex, name="Level 2")
    registry["room"].refresh_from_db()
    assert registry["room"].path == "HQ / Annex / Level 2 / Room 204"
    assert list(selectors.location_subtree(annex).values_list("name", flat=True)) == ["Annex", "Level 2", "Room 204"]


def test_a_location_cannot_move_under_itself(registry):
    with pytest.raises(ValidationError) as exc:
        services.location_update(actor=registry["actor"], location=registry["block"], parent=registry["room"])
    assert "parent" in exc.value.message_dict
    registry["room"].refresh_from_db()
    assert registry["room"].path == "HQ / Block B / Floor 2 / Room 204"


def test_a_parent_on_another_site_is_refused(registry):
    with pytest.raises(ValidationError):
        services.location_create(actor=registry["actor"], site=registry["hq"], name="X", parent=registry["yard"])


def test_duplicate_names_side_by_side_are_refused_also_at_the_top(registry):
    with pytest.raises(ValidationError):
        services.location_create(actor=registry["actor"], site=registry["hq"], name="block b")
    with pytest.raises(ValidationError):
        services.location_create(actor=registry["actor"], site=registry["hq"], name="Floor 2", parent=registry["block"])
    # The same name under another parent is fine.
    services.location_create(actor=registry["actor"], site=registry["depot"], name="Block B")


def test_prefix_siblings_are_not_in_each_others_subtree(registry):
    actor = registry["actor"]
    room20 = services.location_create(actor=actor, site=registry["hq"], name="Room 20", parent=registry["floor"])
    assert list(selectors.location_subtree(room20)) == [room20]


def test_deleting_a_location_with_equipment_is_refused(registry):
    with pytest.raises(ValidationError):
        services.location_delete(actor=registry["actor"], location=registry["block"])
    assert Location.objects.filter(pk=registry["block"].pk).exists()


def test_deleting_an_empty_location_removes_its_subtree(registry):
    actor = registry["actor"]
    wing = services.location_create(actor=actor, site=registry["hq"], name="Wing")
    services.location_create(actor=actor, site=registry["hq"], name="Store", parent=wing)
    services.location_delete(actor=actor, location=wing)
    assert not Location.objects.filter(path__startswith="HQ / Wing").exists()


def test_location_ensure_path_creates_only_missing_levels(registry):
    before = Location.objects.count()
    loc = services.location_ensure_path(actor=registry["actor"], site=registry["hq"],
                                        names=["Block B", "Floor 3", "Room 301"])
    assert loc.path == "HQ / Block B / Floor 3 / Room 301"
    assert Location.objects.count() == before + 2


def test_equipment_location_must_be_on_its_site(registry):
    with pytest.raises(ValidationError) as exc:
        services.equipment_create(actor=registry["actor"], asset_tag="X-1", model=registry["hvac"],
                                  site=registry["hq"], location=registry["yard"])
    assert "location" in exc.value.message_dict
    assert not Equipment.objects.filter(asset_tag="X-1").exists()


def test_asset_tags_are_unique(registry):
    with pytest.raises(ValidationError):
        services.equipment_create(actor=registry["actor"], asset_tag="HQ-AC-1", model=registry["hvac"],
                                  site=registry["hq"])


def test_manufacturers_are_matched_without_case(registry):
    model = services.equipment_model_create(actor=registry["actor"], manufacturer="daikin", name="Split X")
    assert model.manufacturer == registry["hvac"].manufacturer


def test_vehicle_plates_are_normalised_and_unique(registry):
    van = services.vehicle_create(actor=registry["actor"], name="Van", plate=" ld21  fxd ", home_site=registry["hq"])
    assert van.plate == "LD21 FXD"
    with pytest.raises(ValidationError):
        services.vehicle_create(actor=registry["actor"], name="Other", plate="LD21 FXD")
    assert Vehicle.objects.count() == 1


@pytest.mark.parametrize("role", ["engineer", "technician", "customer"])
def test_only_admins_write(registry, users, role):
    actor = users[role]
    with pytest.raises(PermissionDenied):
        services.site_create(actor=actor, name="Nope")
    with pytest.raises(PermissionDenied):
        services.equipment_update(actor=actor, equipment=registry["ac"], status="retired")
    with pytest.raises(PermissionDenied):
        services.staff_create(actor=actor, email="x@example.com", first_name="A", last_name="B", role="technician")
    registry["ac"].refresh_from_db()
    assert registry["ac"].status == "in_service"


def test_staff_create_invites_a_field_user_with_profile(registry, admin):
    trade = services.trade_get_or_create(actor=admin, name="Plumbing")
    user = services.staff_create(actor=admin, email="Pat.Jones@Example.com", first_name="Pat", last_name="Jones",
                                 role="technician", phone="+447911123456", trades=[trade], home_site=registry["hq"])
    user.refresh_from_db()
    assert user.email == "pat.jones@example.com"
    assert user.role == "technician"
    assert not user.has_usable_password()
    assert user.staff_profile.home_site == registry["hq"]
    assert [t.name for t in user.staff_profile.trades.all()] == ["Plumbing"]


def test_staff_must_be_field_roles(admin):
    with pytest.raises(ValidationError):
        services.staff_create(actor=admin, email="c@example.com", first_name="C", last_name="D", role="customer")


def test_staff_update_changes_names_phone_and_profile(registry, admin, technician):
    services.staff_update(actor=admin, user=technician, first_name="Tess", last_name="Ng", phone="+447911123457",
                          role="engineer", home_site=registry["depot"], is_active=True)
    technician.refresh_from_db()
    assert (technician.first_name, technician.last_name, technician.role) == ("Tess", "Ng", "engineer")
    assert technician.phone.as_e164 == "+447911123457"
    assert technician.staff_profile.home_site == registry["depot"]
    assert technician.has_usable_password()  # untouched


def test_renaming_keeps_other_sites_and_prefix_lookalikes_alone(registry):
    actor = registry["actor"]
    hq2 = services.site_create(actor=actor, name="HQ North")
    services.location_create(actor=actor, site=hq2, name="Block B")
    services.location_create(actor=actor, site=registry["hq"], name="Block BB")
    services.location_update(actor=actor, location=registry["block"], name="Block C")
    paths = set(Location.objects.values_list("path", flat=True))
    assert {"HQ / Block C", "HQ / Block C / Floor 2", "HQ / Block C / Floor 2 / Room 204", "HQ / Block BB",
            "HQ North / Block B"} <= paths
    services.site_update(actor=actor, site=registry["hq"], name="H")
    assert set(Location.objects.filter(site=hq2).values_list("path", flat=True)) == {"HQ North / Block B"}
    assert Location.objects.get(pk=registry["room"].pk).path == "H / Block C / Floor 2 / Room 204"


def test_paths_that_would_grow_too_long_are_refused(registry):
    actor, depot = registry["actor"], registry["depot"]  # "Depot / " + 5 levels of 190 characters = 979
    node = None
    for i in range(5):
        node = services.location_create(actor=actor, site=depot, name=f"{i}" + "n" * 189, parent=node)
    assert len(node.path) == len("Depot") + 5 * (3 + 190)
    with pytest.raises(ValidationError):
        services.site_update(actor=actor, site=depot, name="Depot" + "x" * 40)
    node.refresh_from_db()
    assert node.path.startswith("Depot / 0")
    with pytest.raises(ValidationError):
        services.location_create(actor=actor, site=depot, name="one more level, far too deep", parent=node)


def test_admin_style_rebuild_rewrites_from_the_tree(registry):
    from facilities.models import Site

    Site.objects.filter(pk=registry["hq"].pk).update(name="Renamed")
    registry["hq"].refresh_from_db()
    services.site_paths_rebuild(site=registry["hq"])
    registry["room"].refresh_from_db()
    assert registry["room"].path == "Renamed / Block B / Floor 2 / Room 204"
