"""The report form's location and equipment lists stay short however large the estate."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facilities import forms
from facilities.models import Equipment, Location
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _options(html: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


@pytest.fixture
def small_max(monkeypatch):
    """A list limit of 2 stands for an estate of thousands of rows."""
    monkeypatch.setattr(forms, "PLACE_LIST_MAX", 2)


def test_a_small_estate_lists_every_place_without_a_site(client_for, users, place):
    html = client_for(users["customer"]).get(reverse("tickets:create")).content.decode()
    assert {label for _v, label in _options(html, "location")} >= {"Head Office / Block B", "Warehouse / Dock"}
    assert str(place["equipment"].pk) in {v for v, _label in _options(html, "equipment")}


def test_a_large_estate_waits_for_a_site(client_for, users, place, small_max):
    html = client_for(users["customer"]).get(reverse("tickets:create")).content.decode()
    assert _options(html, "location") == [("", "Choose a site first")]
    # Equipment is one row here: under the limit, it is still listed.
    assert str(place["equipment"].pk) in {v for v, _label in _options(html, "equipment")}


def test_a_chosen_site_lists_all_of_its_places(client_for, users, place, small_max):
    for n in range(3):
        Location.objects.create(site=place["site"], name=f"Room {n}", path=f"Head Office / Room {n}")
    url = reverse("tickets:create") + f"?site={place['site'].pk}"
    html = client_for(users["customer"]).get(url).content.decode()
    labels = [label for _v, label in _options(html, "location")]
    assert "Head Office / Room 2" in labels and "Warehouse / Dock" not in labels
    assert len(labels) == 1 + 5  # the empty choice and the site's five locations


def test_a_large_estate_keeps_what_the_user_chose_and_still_validates_it(client_for, users, place, small_max):
    """Submitted without a site and with a mistake elsewhere: the chosen location stays chosen."""
    client = client_for(users["customer"])
    data = {"title": "", "description": "Drips", "priority": "normal", "location": place["other_room"].pk}
    html = client.post(reverse("tickets:create"), data).content.decode()
    assert ("", "Choose a site first") in _options(html, "location")
    assert f'<option value="{place["other_room"].pk}" selected>' in html
    data["title"] = "Leak"
    response = client.post(reverse("tickets:create"), data)
    assert response.status_code == 302
    assert Ticket.objects.get(title="Leak").location == place["other_room"]


def test_a_large_estate_still_rejects_a_place_that_does_not_exist(client_for, users, place, small_max):
    data = {"title": "Leak", "description": "Drips", "priority": "normal", "equipment": 999_999}
    response = client_for(users["customer"]).post(reverse("tickets:create"), data)
    assert response.status_code == 200
    assert not Ticket.objects.filter(title="Leak").exists()


def _place_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if '"facilities_location"' in q["sql"] or '"facilities_equipment"' in q["sql"]]


def test_many_places_cost_no_more_queries_than_a_few(client_for, users, place):
    """A short list: a probe and the rows, per list. A long one: the probe alone, with no row fetched."""
    client = client_for(users["customer"])
    client.get(reverse("tickets:create"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("tickets:create"))
    assert len(_place_queries(few.captured_queries)) == 4
    model = place["equipment"].model
    Location.objects.bulk_create(Location(site=place["site"], name=f"L{n}", path=f"Head Office / L{n}")
                                 for n in range(forms.PLACE_LIST_MAX + 50))
    Equipment.objects.bulk_create(Equipment(asset_tag=f"X-{n}", model=model, site=place["site"])
                                  for n in range(forms.PLACE_LIST_MAX + 50))
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("tickets:create")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries) - 2
    assert all(sql.startswith("SELECT 1 AS") for sql in _place_queries(many.captured_queries))
    assert len(_options(html, "location")) == 1
    assert len(_options(html, "equipment")) == 1


def test_each_list_is_worked_out_once_a_render(client_for, users, place, small_max):
    """The widget reads its choices twice (the required attribute, then the options): one probe each."""
    data = {"title": "", "description": "Drips", "priority": "normal", "location": place["other_room"].pk}
    with CaptureQueriesContext(connection) as queries:
        html = client_for(users["customer"]).post(reverse("tickets:create"), data).content.decode()
    location = [sql for sql in _place_queries(queries.captured_queries) if '"facilities_location"' in sql]
    # Validation fetches the chosen row; the list: the probe, then the chosen row again.
    assert len(location) == 3, location
    assert f'<option value="{place["other_room"].pk}" selected>' in html


def test_the_equipment_form_waits_for_a_site_on_a_large_estate(client_for, users, place, small_max):
    client = client_for(users["admin"])
    html = client.get(reverse("facilities:equipment_create")).content.decode()
    assert _options(html, "location") == [("", "Choose a site first")]
    edit = client.get(reverse("facilities:equipment_edit", args=[place["equipment"].pk])).content.decode()
    labels = [label for _v, label in _options(edit, "location")]
    assert "Head Office / Block B / Room 204" in labels and "Warehouse / Dock" not in labels
