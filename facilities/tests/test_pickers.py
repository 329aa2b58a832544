"""The htmx pickers of contracts.md: <option> fragments for every signed-in user."""

import re

import pytest
from django.urls import reverse

from facilities import services

ROLES = ["admin", "engineer", "technician", "customer"]


def _options(response) -> list[tuple[str, str]]:
    return re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', response.content.decode())


@pytest.mark.parametrize("role", ROLES)
def test_every_role_picks_locations(registry, users, client_for, role):
    response = client_for(users[role]).get(reverse("facilities:pick_locations"), {"site": registry["hq"].pk})
    assert response.status_code == 200
    assert _options(response)[1:] == [
        (str(registry["block"].pk), "HQ / Block B"),
        (str(registry["floor"].pk), "HQ / Block B / Floor 2"),
        (str(registry["room"].pk), "HQ / Block B / Floor 2 / Room 204"),
    ]
    assert _options(response)[0][0] == ""  # an empty choice first


@pytest.mark.parametrize("role", ROLES)
def test_every_role_picks_equipment_under_a_location(registry, users, client_for, role):
    url = reverse("facilities:pick_equipment")
    c = client_for(users[role])
    response = c.get(url, {"site": registry["hq"].pk, "location": registry["floor"].pk})
    tags = [label.split(" · ")[0] for value, label in _options(response) if value]
    assert tags == ["HQ-AC-1", "HQ-PRN-1"]  # the room under the floor counts
    response = c.get(url, {"site": registry["hq"].pk, "location": registry["room"].pk})
    assert [v for v, _ in _options(response) if v] == [str(registry["ac"].pk)]


def test_retired_equipment_and_inactive_sites_are_not_offered(registry, client_for, customer):
    services.equipment_update(actor=registry["actor"], equipment=registry["prn"], status="retired")
    c = client_for(customer)
    response = c.get(reverse("facilities:pick_equipment"), {"site": registry["hq"].pk})
    assert [v for v, _ in _options(response) if v] == [str(registry["ac"].pk)]
    services.site_update(actor=registry["actor"], site=registry["depot"], active=False)
    assert [v for v, _ in _options(c.get(reverse("facilities:pick_locations"), {"site": registry["depot"].pk}))
            if v] == []


@pytest.mark.parametrize("query", [{}, {"site": "x"}, {"site": "999999"}, {"site": "0", "location": "abc"},
                                   {"site": "%00"}, {"site": "99999999999999999999999"}, {"site": "٣"},
                                   {"site": "-1"}])
def test_bad_input_gives_an_empty_list_not_an_error(registry, client_for, customer, query):
    for name in ["facilities:pick_locations", "facilities:pick_equipment"]:
        response = client_for(customer).get(reverse(name), query)
        assert response.status_code == 200
        assert [v for v, _ in _options(response) if v] == []


def test_a_bad_location_on_a_real_site_gives_nothing(registry, client_for, customer):
    response = client_for(customer).get(reverse("facilities:pick_equipment"),
                                        {"site": registry["hq"].pk, "location": "abc"})
    assert response.status_code == 200 and [v for v, _ in _options(response) if v] == []


def test_a_location_of_another_site_gives_nothing(registry, client_for, customer):
    response = client_for(customer).get(reverse("facilities:pick_equipment"),
                                        {"site": registry["hq"].pk, "location": registry["yard"].pk})
    assert [v for v, _ in _options(response) if v] == []


def test_selected_value_is_kept(registry, client_for, customer):
    response = client_for(customer).get(reverse("facilities:pick_locations"),
                                        {"site": registry["hq"].pk, "location": registry["room"].pk})
    assert f'<option value="{registry["room"].pk}" selected>' in response.content.decode()


def test_anonymous_cannot_pick(registry, client):
    response = client.get(reverse("facilities:pick_locations"), {"site": registry["hq"].pk})
    assert response.status_code == 302


def test_an_expired_session_under_htmx_is_sent_to_login_not_swapped_in(registry, client):
    response = client.get(reverse("facilities:pick_locations"), {"site": registry["hq"].pk},
                          HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/tickets/new/?site=1")
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"] == reverse("accounts:login") + "?next=%2Ftickets%2Fnew%2F%3Fsite%3D1"


def test_pickers_hold_their_query_budget(registry, client_for, customer, django_assert_max_num_queries):
    for i in range(20):
        services.equipment_create(actor=registry["actor"], asset_tag=f"P-{i}", model=registry["hvac"],
                                  site=registry["hq"], location=registry["room"])
    c = client_for(customer)
    with django_assert_max_num_queries(4):
        c.get(reverse("facilities:pick_equipment"), {"site": registry["hq"].pk, "location": registry["block"].pk})
    with django_assert_max_num_queries(3):
        c.get(reverse("facilities:pick_locations"), {"site": registry["hq"].pk})
