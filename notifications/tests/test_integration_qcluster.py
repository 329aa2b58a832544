"""A real ``qcluster`` process (ORM broker) sends the outbox through a local SMTP server and a
local SMS gateway that first fail, then recover: every delivery is sent exactly once.

Needs the file-based SQLite test database set in notifications/tests/conftest.py (or PostgreSQL)
so the worker process sees the rows this test commits.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_q.tasks import async_task

from accounts.models import Role
from notifications.models import Channel, Delivery, DeliveryStatus
from notifications.tests import helpers
from notifications.tests.fakes import FakeSmsGateway, FakeSmtpServer
from tickets.models import Status

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

WAIT = 90  # seconds: an upper bound for a slow shared machine, not a performance assertion


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if "memory" in name:
            pytest.skip("the test database is in memory: a second process cannot see it")
        return f"sqlite:///{Path(name).resolve()}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def wait_for(predicate, what: str):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    pytest.fail(f"gave up waiting for: {what}")


@pytest.fixture
def fakes():
    gateway, smtp = FakeSmsGateway(), FakeSmtpServer()
    yield gateway, smtp
    gateway.stop()
    smtp.stop()


@pytest.fixture
def cluster(fakes, tmp_path):
    gateway, smtp = fakes
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "notifications.tests.settings_qcluster",
        "DATABASE_URL": _database_url(),
        "FAKE_SMTP_PORT": str(smtp.port),
        "FAKE_SMS_URL": gateway.url,
        "NOTIFICATIONS_RETRY_BASE_SECONDS": "1",
        "Q_SYNC": "0",
    }
    log = open(tmp_path / "qcluster.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "qcluster"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR,
    )
    yield proc
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()
    if proc.returncode not in (0, -signal.SIGTERM):
        print((tmp_path / "qcluster.log").read_text()[-3000:])


def test_qcluster_sends_every_delivery_exactly_once_after_outages(user_factory, fakes, cluster):
    gateway, smtp = fakes
    gateway.failing = True  # the gateway answers 503; the SMTP server is not even listening
    customer, admin = user_factory(Role.CUSTOMER), user_factory(Role.ADMIN)
    techs = [user_factory(Role.TECHNICIAN) for _ in range(3)]
    for tech in techs:  # committed for real: the on-commit hook queues the send tasks in the ORM broker
        helpers.transition(helpers.make_ticket(customer, status=Status.APPROVED), "assign", actor=admin,
                           assignee=tech, to_status=Status.ASSIGNED)
    outbox = Delivery.objects.filter(channel__in=[Channel.SMS, Channel.EMAIL])
    assert outbox.count() == 6

    # A failed attempt leaves its error on the row (claiming alone only counts the attempt).
    wait_for(lambda: not outbox.filter(last_error="").exists(), "a first (failing) attempt on every delivery")
    assert not outbox.filter(status=DeliveryStatus.SENT).exists()
    assert all(d.attempts >= 1 for d in outbox)

    gateway.failing = False
    smtp.start()
    # Duplicate tasks, as a second worker or a re-delivered broker message would cause.
    for delivery in outbox:
        for _ in range(3):
            async_task("notifications.tasks.send_delivery", delivery.pk)

    def all_sent():
        async_task("notifications.tasks.sweep_deliveries")  # what the periodic schedule does
        return outbox.filter(status=DeliveryStatus.SENT).count() == 6

    wait_for(all_sent, "every delivery sent after the outage")
    time.sleep(2)  # let any duplicate task still in the queue run, to prove it sends nothing
    assert sorted(m["To"] for m in gateway.received) == sorted(t.phone.as_e164 for t in techs)
    assert sorted(m["to"][0] for m in smtp.received) == sorted(t.email for t in techs)
