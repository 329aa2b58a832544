import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import make_user
from tickets.models import Macro


@pytest.mark.parametrize("role,status", [("admin", 200), ("engineer", 200), ("technician", 403),
                                         ("customer", 403)])
def test_macro_pages_by_role(client_for, users, role, status):
    client = client_for(users[role])
    assert client.get(reverse("tickets:macros")).status_code == status
    assert client.get(reverse("tickets:macro_create")).status_code == status


def test_engineer_keeps_personal_macros(client_for, users):
    client = client_for(users["engineer"])
    response = client.post(reverse("tickets:macro_create"), {
        "name": "On my way", "body": "Hi {requester_first_name}, I am on my way.", "shared": "on"})
    assert response.status_code == 302
    macro = Macro.objects.get()
    assert macro.owner == users["engineer"]  # engineers cannot make shared macros
    other = make_user(Role.ENGINEER)
    assert "On my way" not in client_for(other).get(reverse("tickets:macros")).content.decode()
    assert client_for(other).get(reverse("tickets:macro_edit", args=[macro.pk])).status_code == 403
    assert client_for(other).post(reverse("tickets:macro_delete", args=[macro.pk])).status_code == 403
    client.post(reverse("tickets:macro_edit", args=[macro.pk]), {"name": "Coming", "body": "Soon"})
    macro.refresh_from_db()
    assert macro.name == "Coming"
    client.post(reverse("tickets:macro_delete", args=[macro.pk]))
    assert not Macro.objects.exists()


def test_admin_shared_macro_and_validation(client_for, users):
    client = client_for(users["admin"])
    response = client.post(reverse("tickets:macro_create"), {"name": "Assign", "body": "x", "action": "assign"})
    assert response.status_code == 200 and not Macro.objects.exists()  # assign needs a person
    assert 'value="Assign"' in response.content.decode()
    client.post(reverse("tickets:macro_create"), {"name": "Ack", "body": "Thanks", "shared": "on"})
    assert Macro.objects.get().owner is None
