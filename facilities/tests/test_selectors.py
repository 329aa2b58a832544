"""Assignment support: field staff with open jobs, free vehicles, statuses in step with tickets."""

import pytest

from facilities import selectors, services
from facilities.models import StaffProfile, Trade


def test_busy_statuses_match_the_ticket_statuses():
    from tickets.models import OPEN_STATUSES, Status

    assert set(selectors.BUSY_STATUSES) <= set(Status.values)
    assert set(selectors.TICKET_OPEN_STATUSES) == {s.value for s in OPEN_STATUSES}


@pytest.fixture
def vans(registry):
    actor = registry["actor"]
    return [services.vehicle_create(actor=actor, name=f"Van {i}", plate=f"AB1{i} CDE", home_site=registry["hq"])
            for i in range(3)]


@pytest.mark.parametrize("status,busy", [
    ("new", False), ("approved", False), ("assigned", True), ("in_progress", True), ("on_hold", True),
    ("resolved", False), ("closed", False), ("cancelled", False),
])
def test_a_vehicle_on_a_live_job_is_not_free(vans, make_ticket, engineer, status, busy):
    make_ticket(status=status, vehicle=vans[0], assignee=engineer)
    free = list(selectors.vehicles_free())
    assert (vans[0] not in free) is busy
    assert vans[1] in free and vans[2] in free
    assert selectors.vehicle_busy_on(vans[0]).exists() is busy


def test_the_job_holding_the_vehicle_may_keep_it(vans, make_ticket, engineer):
    ticket = make_ticket(status="assigned", vehicle=vans[0], assignee=engineer)
    other = make_ticket(status="approved")
    assert vans[0] in selectors.vehicles_free(for_ticket=ticket)
    assert vans[0] not in selectors.vehicles_free(for_ticket=other)
    assert list(selectors.vehicle_busy_on(vans[0], for_ticket=other)) == [ticket]
    assert not selectors.vehicle_busy_on(vans[0], for_ticket=ticket).exists()


def test_deleted_jobs_and_inactive_vehicles(vans, make_ticket, engineer, registry):
    from django.utils import timezone

    make_ticket(status="in_progress", vehicle=vans[0], assignee=engineer, deleted_at=timezone.now())
    services.vehicle_update(actor=registry["actor"], vehicle=vans[1], active=False)
    free = list(selectors.vehicles_free())
    assert vans[0] in free and vans[1] not in free


def test_staff_for_assignment_counts_open_jobs_with_trades_and_home_site(registry, users, make_ticket,
                                                                          django_assert_num_queries):
    engineer, technician = users["engineer"], users["technician"]
    profile = StaffProfile.objects.create(user=technician, home_site=registry["depot"])
    profile.trades.add(Trade.objects.create(name="Plumbing"))
    make_ticket(status="assigned", assignee=engineer)
    make_ticket(status="in_progress", assignee=engineer)
    make_ticket(status="closed", assignee=engineer)
    make_ticket(status="on_hold", assignee=technician)
    from django.utils import timezone

    make_ticket(status="assigned", assignee=technician, deleted_at=timezone.now())  # deleted: not counted
    with django_assert_num_queries(2):
        staff = list(selectors.staff_for_assignment())
        rows = {u.pk: (u.open_jobs, [t.name for t in u.staff_profile.trades.all()] if hasattr(u, "staff_profile")
                       else None) for u in staff}
    assert users["admin"].pk not in rows and users["customer"].pk not in rows
    assert rows[engineer.pk][0] == 2
    assert rows[technician.pk] == (1, ["Plumbing"])
    assert [u.pk for u in staff][0] == technician.pk  # fewest open jobs first


def test_location_tree_is_in_tree_order_with_depth(registry):
    actor = registry["actor"]
    services.location_create(actor=actor, site=registry["hq"], name="Annex")
    services.location_create(actor=actor, site=registry["hq"], name="Attic", parent=registry["block"])
    tree = [(loc.depth, loc.name) for loc in selectors.location_tree(registry["hq"])]
    assert tree == [(0, "Annex"), (0, "Block B"), (1, "Attic"), (1, "Floor 2"), (2, "Room 204")]


def test_staff_label_for_the_picker(registry, technician):
    profile = StaffProfile.objects.create(user=technician, home_site=registry["depot"])
    profile.trades.add(Trade.objects.create(name="Plumbing"))
    row = next(u for u in selectors.staff_for_assignment() if u.pk == technician.pk)
    assert selectors.staff_label(row) == f"{technician.get_full_name()} · Plumbing · Depot · 0 open jobs"


def test_travel_estimate_include_renders(registry, technician):
    from django.template.loader import render_to_string

    StaffProfile.objects.create(user=technician, home_site=registry["hq"])
    technician.refresh_from_db()
    est = selectors.travel_estimate_for(technician, registry["depot"])
    html = render_to_string("facilities/includes/travel_estimate.html", {"estimate": est})
    assert f"{est.distance_km} km" in html and f"{est.duration_min} min" in html and "approximate" in html
    assert "no travel estimate" in render_to_string("facilities/includes/travel_estimate.html", {"estimate": None})
