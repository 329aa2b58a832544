import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from notifications.models import Event, Notification

ROLES = [r.value for r in Role]


def _api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def _notify(user, n=1):
    return [Notification.objects.create(recipient=user, event=Event.APPROVED, title=f"N{i}") for i in range(n)]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_only_its_own(users, role, django_assert_max_num_queries):
    for u in users.values():
        _notify(u, 2)
    c = _api(users[role])
    with django_assert_max_num_queries(4):
        data = c.get("/api/v1/notifications/").json()
    assert data["count"] == 2
    assert c.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}


def test_mark_read_and_all(customer, admin):
    a, b = _notify(customer, 2)
    (other,) = _notify(admin)
    c = _api(customer)
    # Reading changes nothing: GET on the item or on read/ leaves it unread; only POST marks it.
    assert c.get(f"/api/v1/notifications/{a.pk}/").json()["is_read"] is False
    assert c.get(f"/api/v1/notifications/{a.pk}/read/").status_code == 405
    assert c.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}
    assert c.post(f"/api/v1/notifications/{a.pk}/read/").json()["is_read"] is True
    assert c.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404
    assert c.get("/api/v1/notifications/?unread=1").json()["count"] == 1
    assert c.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    other.refresh_from_db()
    assert other.read_at is None


def test_anonymous_is_refused(db):
    assert APIClient().get("/api/v1/notifications/").status_code in (401, 403)


def test_schema_includes_the_endpoints(client, db):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert "/api/v1/notifications/unread-count/" in paths and "/api/v1/notifications/{id}/read/" in paths
