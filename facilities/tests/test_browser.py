"""A real Chromium on a phone-sized screen: an admin adds equipment, the location list follows the site (htmx)."""

import pytest

from accounts.models import Role
from accounts.tests.factories import PASSWORD, make_user
from facilities import services
from facilities.models import Equipment


@pytest.mark.browser
def test_admin_adds_equipment_on_a_phone_with_the_location_picker(transactional_db, live_server, phone_page,
                                                                   screenshot):
    admin = make_user(Role.ADMIN)
    hq = services.site_create(actor=admin, name="HQ", latitude="51.5", longitude="-0.12")
    depot = services.site_create(actor=admin, name="Depot")
    services.location_create(actor=admin, site=hq, name="Plant room")
    yard = services.location_create(actor=admin, site=depot, name="Yard")
    model = services.equipment_model_create(actor=admin, manufacturer="Daikin", name="VRV IV", category="HVAC")

    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/?next=/facilities/equipment/new/")
    page.fill("input[name=username]", admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/facilities/equipment/new/")

    page.fill("#id_asset_tag", "DP-AC-1")
    page.select_option("#id_model", str(model.pk))
    with page.expect_response(lambda r: "/facilities/pick/locations/" in r.url):
        page.select_option("#id_site", str(depot.pk))
    options = page.locator("#id_location option").all_inner_texts()
    assert options[1:] == ["Depot / Yard"]  # the HQ rooms are gone
    page.select_option("#id_location", str(yard.pk))
    screenshot(page, "facilities-equipment-form-phone")
    page.click("main button[type=submit]")
    page.wait_for_url("**/facilities/equipment/*/")
    assert page.locator("h1").inner_text().startswith("DP-AC-1")
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "facilities-equipment-detail-phone")
    item = Equipment.objects.get(asset_tag="DP-AC-1")
    assert item.location == yard and item.site == depot
