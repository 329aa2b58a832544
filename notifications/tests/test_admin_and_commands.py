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
    schedule = Schedule.objects.get(name=SCHEDULES[0]["name"])
    assert schedule.func == SCHEDULES[0]["func"] and schedule.repeats == -1
    assert schedule.schedule_type == Schedule.MINUTES and schedule.minutes == 1


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
