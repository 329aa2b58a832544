import pytest
from django.urls import reverse

from tickets.models import Status
from tickets.tests.conftest import make_ticket


@pytest.mark.parametrize("role,expected", [
    ("admin", ["Tickets by status", "Waiting for approval", "My jobs"]),
    ("engineer", ["Jobs to take", "My jobs"]),
    ("technician", ["My jobs"]),
    ("customer", ["My open tickets"]),
])
def test_dashboard_panels_per_role(client_for, users, role, expected):
    make_ticket(requester=users["customer"], title="Dripping tap")
    make_ticket(requester=users["customer"], status=Status.ASSIGNED, assignee=users["technician"],
                title="Fuse box")
    html = client_for(users[role]).get(reverse("dashboard")).content.decode()
    for title in expected:
        assert title in html
    assert ("Dripping tap" in html) is (role in ("admin", "engineer", "customer"))
    assert ("Fuse box" in html) is (role in ("technician", "customer"))
