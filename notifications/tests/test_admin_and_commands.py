"""The Django admin's outbox list and retry action; the schedule and sweep commands; demo data."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_q.models import OrmQ, Schedule

from accounts.models import Role
from notifications.models import Channel, Delivery, DeliveryStatus, Notification
from notifications.schedules import SCHEDULES


@pytest.fixture
def failed(db, technician):
    return Delivery.objects.create(channel=Channel.SMS, recipient=technician, to="+447911123456",
                                   payload={"text": "hi"}, status=DeliveryStatus.FAILED, attempts=6,
                                   last_error="SmsError: gateway answered HTTP 503: Service unavailable")


def test_admin_lists_failed_deliveries_with_their_error(client_for, admin, failed):
    response = client_for(admin).get(reverse("admin:notifications_delivery_changelist") + "?status__exact=failed")
    assert response.status_code == 200
    assert "gateway answered HTTP 503" in response.content.decode()


def test_admin_retry_action_requeues_failed_but_never_sent(client_for, admin, failed, technician,
                                                           django_capture_on_commit_callbacks):
    sent = Delivery.objects.create(channel=Channel.EMAIL, recipient=technician, to=technician.email,
                                   payload={"subject": "s", "text": "t"}, status=DeliveryStatus.SENT, attempts=1)
    before = OrmQ.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(reverse("admin:notifications_delivery_changelist"), {
            "action": "retry", "_selected_action": [failed.pk, sent.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.status == DeliveryStatus.PENDING and failed.attempts == 0
    assert sent.status == DeliveryStatus.SENT
    assert OrmQ.objects.count() == before + 1


@pytest.mark.parametrize("role", ["engineer", "technician", "customer"])
def test_non_admins_have_no_admin(client_for, users, role, failed):
    response = client_for(users[role]).get(reverse("admin:notifications_delivery_changelist"))
    assert response.status_code == 302  # to the admin login


def test_setup_schedules_is_idempotent(db):
    Schedule.objects.all().delete()
    out = io.StringIO()
    call_command("setup_schedules", "--dry-run", stdout=out)
    assert "would create" in out.getvalue() and not Schedule.objects.exists()
    call_command("setup_schedules", stdout=out)
    call_command("setup_schedules", stdout=out)
    assert "unchanged" in out.getvalue()
    assert Schedule.objects.filter(name__in=[s["name"] for s in SCHEDULES]).count() == len(SCHEDULES) == 2
    sweep = Schedule.objects.get(func="notifications.tasks.sweep_deliveries")
    assert sweep.repeats == -1 and sweep.schedule_type == Schedule.MINUTES and sweep.minutes == 1


def test_sweep_command(failed):
    out = io.StringIO()
    Delivery.objects.filter(pk=failed.pk).update(status=DeliveryStatus.PENDING, attempts=1)
    call_command("sweep_deliveries", "--dry-run", stdout=out)
    assert "due: 1" in out.getvalue()
    call_command("sweep_deliveries", stdout=out)
    assert "queued 1 deliveries" in out.getvalue()


def test_demo_seed_is_idempotent(db):
    from accounts import demo as accounts_demo
    from notifications import demo

    accounts_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    counts = (Notification.objects.count(), Delivery.objects.count())
    demo.seed(io.StringIO())
    assert (Notification.objects.count(), Delivery.objects.count()) == counts
    assert counts[0] > 0
    tech = accounts_demo.demo_user(Role.TECHNICIAN)
    assert Notification.objects.filter(recipient=tech).exists()


def test_purge_keeps_unread_and_pending(db, technician):
    from datetime import timedelta

    from django.utils import timezone

    from notifications.models import Event

    old = timezone.now() - timedelta(days=200)
    keep_unread = Notification.objects.create(recipient=technician, event=Event.APPROVED, title="u", created_at=old)
    Notification.objects.create(recipient=technician, event=Event.APPROVED, title="r", created_at=old, read_at=old)
    recent = Notification.objects.create(recipient=technician, event=Event.APPROVED, title="n", read_at=old)
    for status in (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.PENDING):
        Delivery.objects.create(channel=Channel.SMS, to="+447911123456", status=status, created_at=old)
    out = io.StringIO()
    call_command("purge_notifications", "--days", "90", "--dry-run", stdout=out)
    assert "would delete 1 notifications and 2 deliveries" in out.getvalue()
    assert Notification.objects.count() == 3
    call_command("purge_notifications", "--days", "90", stdout=out)
    assert set(Notification.objects.all()) == {keep_unread, recent}
    assert list(Delivery.objects.values_list("status", flat=True)) == [DeliveryStatus.PENDING]
