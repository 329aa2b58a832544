"""Two admins demoting each other at the same moment must not leave the site without an admin.

Needs real row locks, so it runs on PostgreSQL only (SQLite serialises writers anyway)."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from accounts import services
from accounts.models import Role, User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.parametrize("action", ["demote", "deactivate"])
def test_two_admins_cannot_remove_each_other_at_once(action, user_factory):
    first, second = user_factory(Role.ADMIN), user_factory(Role.ADMIN)
    barrier = threading.Barrier(2)
    outcomes = []

    def act(actor, target):
        try:
            barrier.wait(timeout=10)
            if action == "demote":
                services.user_change_role(actor=actor, user=target, role=Role.CUSTOMER)
            else:
                services.user_deactivate(actor=actor, user=target)
            outcomes.append("done")
        except (PermissionDenied, ValidationError):
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(first, second)), threading.Thread(target=act, args=(second, first))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["done", "refused"]
    assert User.objects.filter(role=Role.ADMIN, is_active=True).count() == 1
