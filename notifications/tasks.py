"""django-q2 tasks: send one delivery (claimed atomically), and the periodic sweep.

A delivery is claimed by one UPDATE from ``pending`` to ``sending``; only the worker whose
UPDATE changed the row sends it, so a duplicate task, a retry after success or a second
worker sends nothing. A failure puts the row back to ``pending`` with an exponential back-off
(or ``failed`` after ``NOTIFICATIONS_MAX_ATTEMPTS``); the sweep re-queues due rows.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.utils import DNS_NAME
from django.db.models import F, Q
from django.utils import timezone

from notifications.models import Channel, Delivery, DeliveryStatus
from notifications.sms import SmsMessage
from notifications.sms import get_connection as get_sms_connection

logger = logging.getLogger(__name__)

SEND_TASK = "notifications.tasks.send_delivery"
SWEEP_TASK = "notifications.tasks.sweep_deliveries"


def enqueue(delivery_ids) -> int:
    """Queue one send task per delivery. A broker that is down loses nothing: the sweep finds the rows."""
    from django_q.tasks import async_task

    queued = 0
    for pk in delivery_ids:
        try:
            async_task(SEND_TASK, pk, group="notifications")
            queued += 1
        except Exception:  # broker down: the row stays pending for the sweep
            logger.exception("could not queue delivery %s; the sweep will retry", pk)
    return queued


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt after ``attempts`` failures: base * 2**(n-1), at most a day."""
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 24 * 3600))


def idempotency_key(delivery: Delivery) -> str:
    """One key per delivery, the same on every attempt (a resend after a lost answer is the same message)."""
    return f"fixdesk-delivery-{delivery.pk}-{delivery.created_at:%Y%m%d%H%M%S%f}"


def message_id(delivery: Delivery) -> str:
    """The e-mail's Message-ID: the delivery's idempotency key, the same on every attempt. A resend
    after a lost "250" is the same message, so mail clients and services that collapse duplicates
    by Message-ID (RFC 5322 3.6.4) show it once."""
    return f"<{idempotency_key(delivery)}@{DNS_NAME}>"


def _send(delivery: Delivery) -> str:
    payload = delivery.payload
    if delivery.channel == Channel.EMAIL:
        message = EmailMultiAlternatives(
            subject=payload["subject"], body=payload["text"], from_email=settings.DEFAULT_FROM_EMAIL,
            to=[delivery.to], connection=get_connection(fail_silently=False),
            # Auto-Submitted keeps out-of-office replies from answering machine-sent mail (RFC 3834).
            headers={"X-Fixdesk-Delivery": str(delivery.pk), "Auto-Submitted": "auto-generated",
                     "Message-ID": message_id(delivery)},
        )
        if payload.get("html"):
            message.attach_alternative(payload["html"], "text/html")
        message.send()
        return message.extra_headers.get("Message-ID", "")
    if delivery.channel == Channel.SMS:
        sms = SmsMessage(to=delivery.to, body=payload["text"], idempotency_key=idempotency_key(delivery))
        get_sms_connection().send_messages([sms])
        return sms.provider_id
    raise ValueError(f"unknown channel {delivery.channel!r}")


def send_delivery(delivery_id: int) -> str:
    """Send one delivery if it is pending and due; returns what happened."""
    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"
    delivery = Delivery.objects.get(pk=delivery_id)
    try:
        provider_id = _send(delivery)
    except Exception as exc:  # any failure of the SMTP server or gateway is recorded, never raised
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if delivery.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
            Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING).update(
                status=DeliveryStatus.FAILED, last_error=error
            )
            logger.error("delivery %s failed for good after %s attempts: %s", delivery_id, delivery.attempts, error)
            return "failed"
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.PENDING, last_error=error,
            next_attempt_at=timezone.now() + backoff(delivery.attempts),
        )
        logger.warning("delivery %s attempt %s failed: %s", delivery_id, delivery.attempts, error)
        return "retry"
    Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), provider_id=(provider_id or "")[:100]
    )
    return "sent"


def due_deliveries(now=None):
    """Pending rows whose time has come: retries, and first attempts whose task never ran."""
    now = now or timezone.now()
    grace = now - timedelta(seconds=settings.NOTIFICATIONS_QUEUE_GRACE_SECONDS)
    return Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now).filter(
        Q(attempts__gt=0) | Q(created_at__lte=grace)
    )


def stuck_deliveries(now=None):
    """Rows claimed by a worker that died mid-send (claimed longer ago than the stuck limit)."""
    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.NOTIFICATIONS_STUCK_SECONDS)
    return Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lte=limit)


def sweep_deliveries(limit: int = 500) -> int:
    """Periodic task: release stuck rows, then queue every due pending row. Returns how many were queued."""
    released = stuck_deliveries().update(status=DeliveryStatus.PENDING, last_error="worker lost while sending")
    if released:
        logger.warning("released %s deliveries left in 'sending' by a lost worker", released)
    ids = list(due_deliveries().order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    return enqueue(ids)


def purge_old(*, days: int, dry_run: bool = False) -> dict:
    """Delete read notifications and sent/failed deliveries older than ``days``; unread and pending stay."""
    from notifications.models import Notification

    cutoff = timezone.now() - timedelta(days=days)
    notifications = Notification.objects.filter(created_at__lt=cutoff, read_at__isnull=False)
    deliveries = Delivery.objects.filter(
        created_at__lt=cutoff, status__in=[DeliveryStatus.SENT, DeliveryStatus.FAILED]
    )
    counts = {"notifications": notifications.count(), "deliveries": deliveries.count()}
    if not dry_run:
        deliveries.delete()
        notifications.delete()
    return counts


def purge_notifications() -> dict:
    """Daily task: keep NOTIFICATIONS_KEEP_DAYS of history."""
    return purge_old(days=settings.NOTIFICATIONS_KEEP_DAYS)
