"""The outbox never loses a delivery and never sends one twice, with the SMTP server and the SMS
gateway faked at the network boundary (aiosmtpd, a local HTTP server)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import OrmQ

from accounts.models import Role
from notifications import services, tasks
from notifications.models import Channel, Delivery, DeliveryStatus
from notifications.tests import helpers
from notifications.tests.fakes import FakeSmsGateway, FakeSmtpServer, free_port
from tickets.models import Status


@pytest.fixture
def gateway(settings):
    gw = FakeSmsGateway()
    settings.SMS_BACKEND = "notifications.sms.backends.twilio.SmsBackend"
    settings.TWILIO_ACCOUNT_SID = "AC" + "1" * 32
    settings.TWILIO_AUTH_TOKEN = "secret-token"
    settings.TWILIO_FROM_NUMBER = "+447700900000"
    settings.TWILIO_API_URL = gw.url
    yield gw
    gw.stop()


@pytest.fixture
def smtp(settings):
    server = FakeSmtpServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def assigned(db, user_factory, django_capture_on_commit_callbacks):
    """A job just assigned to a technician: one SMS and one e-mail delivery in the outbox."""
    customer, tech, admin = user_factory(Role.CUSTOMER), user_factory(Role.TECHNICIAN), user_factory(Role.ADMIN)
    ticket = helpers.make_ticket(customer, status=Status.APPROVED)
    with django_capture_on_commit_callbacks(execute=False):
        helpers.transition(ticket, "assign", actor=admin, assignee=tech, to_status=Status.ASSIGNED)
    return {"ticket": ticket, "tech": tech, "admin": admin,
            "sms": Delivery.objects.get(channel=Channel.SMS), "email": Delivery.objects.get(channel=Channel.EMAIL)}


def _make_due(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_gateway_down_then_up_sends_exactly_once(assigned, gateway, settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 60
    sms = assigned["sms"]
    gateway.failing = True
    assert tasks.send_delivery(sms.pk) == "retry"
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.PENDING and sms.attempts == 1
    assert "503" in sms.last_error and "Service unavailable" in sms.last_error
    assert sms.next_attempt_at > timezone.now() + timedelta(seconds=50)  # backed off
    assert tasks.send_delivery(sms.pk) == "skipped"  # not due yet

    gateway.failing = False
    _make_due(sms)
    assert tasks.send_delivery(sms.pk) == "sent"
    assert tasks.send_delivery(sms.pk) == "skipped"  # a retry after success sends nothing
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.SENT and sms.provider_id.startswith("SM") and sms.attempts == 2
    assert len(gateway.received) == 1
    got = gateway.received[0]
    assert got["To"] == assigned["tech"].phone.as_e164 and got["From"] == "+447700900000"
    assert got["path"] == f"/2010-04-01/Accounts/{settings.TWILIO_ACCOUNT_SID}/Messages.json"
    assert got["auth"].startswith("Basic ")
    assert assigned["ticket"].reference in got["Body"] and len(got["Body"]) <= 160


def test_gateway_unreachable_is_recorded_not_raised(assigned, settings):
    settings.SMS_BACKEND = "notifications.sms.backends.twilio.SmsBackend"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM_NUMBER = "AC1", "t", "+447700900000"
    settings.TWILIO_API_URL = f"http://127.0.0.1:{free_port()}"  # nobody listens
    assert tasks.send_delivery(assigned["sms"].pk) == "retry"
    assigned["sms"].refresh_from_db()
    assert "unreachable" in assigned["sms"].last_error


def test_smtp_down_then_up_sends_exactly_once(assigned, smtp):
    mail = assigned["email"]
    # down: nothing listens on the port
    assert tasks.send_delivery(mail.pk) == "retry"
    mail.refresh_from_db()
    assert mail.status == DeliveryStatus.PENDING and mail.attempts == 1 and "Connection" in mail.last_error
    # up, but refusing with a temporary error
    smtp.start()
    smtp.failing = True
    _make_due(mail)
    assert tasks.send_delivery(mail.pk) == "retry"
    mail.refresh_from_db()
    assert "451" in mail.last_error and mail.attempts == 2
    # recovered
    smtp.failing = False
    _make_due(mail)
    assert tasks.send_delivery(mail.pk) == "sent"
    assert tasks.send_delivery(mail.pk) == "skipped"
    assert len(smtp.received) == 1
    data = smtp.received[0]["data"]
    assert smtp.received[0]["to"] == [assigned["tech"].email]
    assert "text/plain" in data and "text/html" in data and assigned["ticket"].reference in data


def test_a_resent_email_carries_the_same_message_id(assigned, smtp, settings):
    """SMTP has no idempotency key: a worker killed after the server's "250" sends the e-mail again.
    The resend carries the first attempt's Message-ID, so a mail client that collapses duplicates by
    Message-ID shows one message; provider_id records it."""
    from email import message_from_string

    smtp.start()
    mail = assigned["email"]
    assert tasks.send_delivery(mail.pk) == "sent"
    Delivery.objects.filter(pk=mail.pk).update(status=DeliveryStatus.SENDING, sent_at=None, provider_id="",
                                               claimed_at=timezone.now() - timedelta(hours=1))
    settings.NOTIFICATIONS_QUEUE_GRACE_SECONDS = 0
    tasks.sweep_deliveries()
    assert tasks.send_delivery(mail.pk) == "sent"
    mail.refresh_from_db()
    ids = [message_from_string(m["data"])["Message-ID"] for m in smtp.received]
    assert len(ids) == 2 and ids[0] == ids[1] == mail.provider_id == tasks.message_id(mail)
    assert ids[0].startswith(f"<fixdesk-delivery-{mail.pk}-") and ids[0].endswith(">")


def test_max_attempts_then_failed_then_admin_retry(assigned, gateway, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    sms = assigned["sms"]
    gateway.failing = True
    results = []
    for _ in range(3):
        _make_due(sms)
        results.append(tasks.send_delivery(sms.pk))
    assert results == ["retry", "retry", "failed"]
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.FAILED and sms.attempts == 3
    _make_due(sms)
    assert tasks.send_delivery(sms.pk) == "skipped"  # failed rows are not retried by themselves
    assert sms.pk not in tasks.due_deliveries().values_list("pk", flat=True)

    gateway.failing = False
    assert services.delivery_retry(actor=assigned["admin"], deliveries=[sms, assigned["email"]]) == 2
    assert tasks.send_delivery(sms.pk) == "sent"
    assert len(gateway.received) == 1


def test_retry_never_resends_a_sent_delivery(assigned, gateway):
    sms = assigned["sms"]
    assert tasks.send_delivery(sms.pk) == "sent"
    assert services.delivery_retry(actor=assigned["admin"], deliveries=[sms]) == 0
    assert tasks.send_delivery(sms.pk) == "skipped"
    assert len(gateway.received) == 1


def test_a_resend_after_a_lost_answer_carries_the_same_key_and_the_gateway_sends_once(assigned, gateway, settings):
    """The gateway accepted the SMS but the worker died before marking the row sent: the sweep
    releases the claim and sends again with the same Idempotency-Key, which the gateway (like
    one that honours the header) answers with the first message instead of sending it twice."""
    sms = assigned["sms"]
    assert tasks.send_delivery(sms.pk) == "sent"
    sms.refresh_from_db()
    first_sid = sms.provider_id
    # What a worker killed right after the gateway's answer leaves behind: a claim never marked sent.
    Delivery.objects.filter(pk=sms.pk).update(status=DeliveryStatus.SENDING, sent_at=None, provider_id="",
                                              claimed_at=timezone.now() - timedelta(hours=1))
    settings.NOTIFICATIONS_QUEUE_GRACE_SECONDS = 0
    tasks.sweep_deliveries()  # releases the stuck claim (its task is queued on the broker)
    assert tasks.send_delivery(sms.pk) == "sent"
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.SENT and sms.attempts == 2 and sms.provider_id == first_sid
    assert gateway.requests == 2 and len(gateway.received) == 1  # asked twice, sent once
    assert gateway.received[0]["key"] == tasks.idempotency_key(sms) and str(sms.pk) in gateway.received[0]["key"]


def test_a_gateway_without_idempotency_would_send_twice(assigned, gateway):
    """The honest boundary: without the key (Twilio documents none) a resend is a second SMS."""
    from notifications.sms import SmsMessage, get_connection

    for _ in range(2):
        get_connection().send_messages([SmsMessage(to=assigned["sms"].to, body="Same text")])
    assert gateway.requests == 2 and len(gateway.received) == 2


def test_backoff_doubles():
    assert [tasks.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]


def test_sweep_queues_due_rows_and_releases_stuck_ones(assigned, settings):
    settings.NOTIFICATIONS_QUEUE_GRACE_SECONDS = 30
    settings.NOTIFICATIONS_STUCK_SECONDS = 600
    sms, mail = assigned["sms"], assigned["email"]
    before = OrmQ.objects.count()
    assert tasks.sweep_deliveries() == 0  # just written: their own tasks are on the way
    old = timezone.now() - timedelta(minutes=20)
    Delivery.objects.filter(pk=sms.pk).update(created_at=old, next_attempt_at=old)  # a task lost with the broker
    Delivery.objects.filter(pk=mail.pk).update(status=DeliveryStatus.SENDING, claimed_at=old, attempts=1)
    assert tasks.sweep_deliveries() == 2
    assert OrmQ.objects.count() == before + 2
    mail.refresh_from_db()
    assert mail.status == DeliveryStatus.PENDING and "lost" in mail.last_error


def test_broker_down_at_commit_loses_nothing(assigned, settings, monkeypatch):
    """async_task raising (broker unreachable) is logged; the row stays pending for the sweep."""
    import django_q.tasks

    def broken(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(django_q.tasks, "async_task", broken)
    assert tasks.enqueue([assigned["sms"].pk]) == 0
    assigned["sms"].refresh_from_db()
    assert assigned["sms"].status == DeliveryStatus.PENDING


def test_writing_the_outbox_makes_no_network_call(db, user_factory, smtp, gateway, django_capture_on_commit_callbacks):
    """The web request only writes rows: with the SMTP server down and the gateway failing it still succeeds."""
    gateway.failing = True
    customer, tech, admin = user_factory(Role.CUSTOMER), user_factory(Role.TECHNICIAN), user_factory(Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=False):
        helpers.transition(helpers.make_ticket(customer, status=Status.APPROVED), "assign", actor=admin,
                           assignee=tech, to_status=Status.ASSIGNED)
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 2
    assert gateway.received == [] and smtp.received == []
