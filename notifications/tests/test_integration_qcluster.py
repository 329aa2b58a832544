"""A real ``qcluster`` process (ORM broker) sends the outbox through a local SMTP server and a
local SMS gateway that first fail, then recover: every delivery is sent exactly once.

Needs the file-based SQLite test database set in notifications/tests/conftest.py (or PostgreSQL)
so the worker process sees the rows this test commits.
"""

import time

import pytest
from django_q.tasks import async_task

from accounts.models import Role
from helpdesk.tests.qcluster import start_cluster, stop_cluster, wait_for
from notifications.models import Channel, Delivery, DeliveryStatus
from notifications.tests import helpers
from notifications.tests.fakes import FakeSmsGateway, FakeSmtpServer
from tickets.models import Status

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

@pytest.fixture
def fakes():
    gateway, smtp = FakeSmsGateway(), FakeSmtpServer()
    yield gateway, smtp
    gateway.stop()
    smtp.stop()


@pytest.fixture
def cluster(fakes, tmp_path):
    gateway, smtp = fakes
    proc, log = start_cluster("notifications.tests.settings_qcluster", tmp_path / "qcluster.log",
                              FAKE_SMTP_PORT=str(smtp.port), FAKE_SMS_URL=gateway.url,
                              NOTIFICATIONS_RETRY_BASE_SECONDS="1")
    yield proc
    stop_cluster(proc, log, tmp_path / "qcluster.log")


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
