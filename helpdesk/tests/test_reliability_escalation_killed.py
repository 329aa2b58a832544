"""The django-q2 worker killed (SIGKILL, whole process group) in the middle of an escalation sweep:
after a restart every due ticket is escalated exactly once per level and every escalation
notification (in-app, e-mail, SMS) is delivered exactly once. Real ``qcluster`` processes, a local
SMTP server and SMS gateway. The sweep is stopped mid-way by a real row lock this test holds on
one due ticket (PostgreSQL row locks, so this module needs PostgreSQL: CI's PostgreSQL pass)."""

import signal
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.db.models import Count
from django.utils import timezone
from django_q.tasks import async_task

from accounts.models import Role
from helpdesk.tests.qcluster import database_url as _database_url
from helpdesk.tests.qcluster import stop_cluster, wait_for
from helpdesk.tests.test_reliability_worker_killed import _kill_group, _start_cluster
from notifications.models import Channel, Delivery, DeliveryStatus, Notification
from notifications.tests import helpers
from notifications.tests.fakes import FakeSmsGateway, FakeSmtpServer
from tickets.models import Status, Ticket, TicketEvent

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

DUE = 6  # tickets due for escalation
HELD = 3  # the sweep stops at this one (0-based, in sweep order): 3 done before it, 3 left


def _make_due(tickets, *, level: int):
    """Their next escalation moment has passed (one level at a time, as the SLA clock would)."""
    past = timezone.now() - timedelta(hours=1)
    for n, ticket in enumerate(tickets):  # the sweep takes the most overdue first: this order
        Ticket.objects.filter(pk=ticket.pk).update(
            escalate_at=past + timedelta(seconds=n), resolution_due_at=past, escalation_level=level - 1)


class RowLockHolder(threading.Thread):
    """Holds ``SELECT ... FOR UPDATE`` on one ticket in its own connection until released."""

    def __init__(self, pk):
        super().__init__(daemon=True)
        self.pk, self.locked, self.release = pk, threading.Event(), threading.Event()

    def run(self):
        try:
            with transaction.atomic():
                Ticket.objects.select_for_update().get(pk=self.pk)
                self.locked.set()
                self.release.wait(120)
        finally:
            connections.close_all()


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


def _escalations():
    """{(ticket pk, level): how many escalate events}."""
    counts = {}
    for event in TicketEvent.objects.filter(action="escalate"):
        key = (event.ticket_id, event.changes["level"])
        counts[key] = counts.get(key, 0) + 1
    return counts


def test_worker_killed_mid_sweep_each_level_once_and_each_notification_once(user_factory, tmp_path):
    database_url = _database_url()  # skips when the test database is in memory
    if connection.vendor != "postgresql":
        pytest.skip("holds a row lock while another process waits on it: PostgreSQL")
    assert database_url
    gateway, smtp = FakeSmsGateway(), FakeSmtpServer().start()
    customer, admin = user_factory(Role.CUSTOMER), user_factory(Role.ADMIN)
    techs = [user_factory(Role.TECHNICIAN) for _ in range(DUE)]
    tickets = [helpers.make_ticket(customer, assignee=tech, status=Status.IN_PROGRESS) for tech in techs]
    _make_due(tickets, level=1)
    holder = RowLockHolder(tickets[HELD].pk)
    holder.start()
    assert holder.locked.wait(30)
    first, log1 = _start_cluster(smtp, gateway, tmp_path / "qcluster.log")
    second = log2 = None
    try:
        async_task("tickets.tasks.escalate_tickets")  # what the schedule does every 5 minutes

        sent_before = Delivery.objects.filter(notification__event="escalated")

        def stuck_mid_sweep():
            done = Ticket.objects.filter(pk__in=[t.pk for t in tickets], escalation_level=1).count()
            # The kill lands mid-sweep, not mid-send (that case is test_reliability_worker_killed.py's).
            sent = (sent_before.values("notification__ticket").distinct().count() == HELD
                    and not sent_before.exclude(status=DeliveryStatus.SENT).exists())
            return done == HELD and sent and _waiting_for_a_lock()

        wait_for(stuck_mid_sweep, "the sweep escalated the first tickets and waits on the locked one")
        _kill_group(first, signal.SIGKILL)  # the whole cluster, mid-sweep, inside the held ticket's transaction
        log1.close()
        holder.release.set()
        holder.join(30)
        # What the dead worker had not committed is not there: the held ticket and those after it.
        assert sorted(Ticket.objects.filter(escalation_level=1).values_list("pk", flat=True)) == sorted(
            t.pk for t in tickets[:HELD])

        second, log2 = _start_cluster(smtp, gateway, tmp_path / "qcluster.log")

        def level_reached(level):
            def check():
                for _ in range(2):  # duplicate sweeps: the row lock and re-check make them harmless
                    async_task("tickets.tasks.escalate_tickets")
                async_task("notifications.tasks.sweep_deliveries")
                time.sleep(0.5)
                return Ticket.objects.filter(pk__in=[t.pk for t in tickets], escalation_level=level).count() == DUE
            return check

        wait_for(level_reached(1), "every due ticket at level 1 after the restart")
        _make_due(tickets, level=2)  # the next level comes due (as the SLA clock would make it)
        wait_for(level_reached(2), "every ticket at level 2")

        outbox = Delivery.objects.filter(notification__event="escalated")
        told = Notification.objects.filter(event="escalated")

        def all_sent():
            async_task("notifications.tasks.sweep_deliveries")
            time.sleep(0.5)
            # Level 1: each assignee and the admin; level 2: the admin again.
            return told.count() == DUE * 3 and not outbox.exclude(status=DeliveryStatus.SENT).exists()

        wait_for(all_sent, "every escalation notification sent")
        time.sleep(3)  # duplicate sweep and send tasks still queued must change nothing
    finally:
        holder.release.set()
        if first.poll() is None:
            _kill_group(first, signal.SIGKILL)
        if second is not None:
            stop_cluster(second, log2)
        gateway.stop()
        smtp.stop()

    # Exactly once per ticket and level, in the history and in what people were told.
    assert _escalations() == {(t.pk, level): 1 for t in tickets for level in (1, 2)}
    per_person = (Notification.objects.filter(event="escalated").values("ticket", "recipient")
                  .annotate(n=Count("id")))
    assert {(row["ticket"], row["recipient"]): row["n"] for row in per_person} == {
        **{(t.pk, tech.pk): 1 for t, tech in zip(tickets, techs, strict=True)},
        **{(t.pk, admin.pk): 2 for t in tickets},  # level 1 and level 2
    }
    # Each delivery row once per notification and channel, and each received exactly once outside.
    outbox = Delivery.objects.filter(notification__event="escalated")
    assert not outbox.values("notification", "channel").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert outbox.filter(status=DeliveryStatus.SENT).count() == outbox.count()
    sms = sorted(outbox.filter(channel=Channel.SMS).values_list("to", flat=True))
    assert sms == sorted(t.phone.as_e164 for t in techs)  # the assignees' SMS at level 1
    assert sorted(m["To"] for m in gateway.received) == sms
    mails = sorted(outbox.filter(channel=Channel.EMAIL).values_list("to", flat=True))
    assert mails == sorted([t.email for t in techs] + [admin.email] * DUE * 2)
    assert sorted(m["to"][0] for m in smtp.received) == mails
