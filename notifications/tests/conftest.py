"""Fixtures for the notifications tests.

The test database is a FILE when SQLite is used (``.test-notifications.sqlite3``, one per xdist
worker), not the in-memory default: the qcluster integration test starts a separate process
that must see the same data. This applies to the whole pytest session that collects this app.
"""

import pytest
from django.conf import settings

from notifications import sms

_db = settings.DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3" and not _db.get("TEST", {}).get("NAME"):
    _db.setdefault("TEST", {})["NAME"] = str(settings.BASE_DIR / ".test-notifications.sqlite3")


@pytest.fixture(autouse=True)
def _sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def make_ticket(db):
    from notifications.tests.helpers import make_ticket

    return make_ticket
