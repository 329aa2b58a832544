"""Every write of the notifications app."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from notifications import content, permissions, rules
from notifications.models import Channel, Delivery, DeliveryStatus, Event, Message, Notification, Preference
from notifications.preferences import is_enabled, overrides_for
from notifications.sms.text import to_e164
from notifications.tasks import enqueue

# The same report announced by two signals (the ``resolve`` transition and ``report_submitted``)
# within this time is written once.
DUPLICATE_WINDOW = timedelta(minutes=1)
DEDUPLICATED = {Event.REPORT_SUBMITTED}


def _settings_link() -> str:
    try:
        return content.absolute(reverse("notifications:preferences"))
    except NoReverseMatch:
        return ""


def notify(*, event: Event, actor=None, ticket=None, recipient=None, staff_only: bool = False,
           extra: dict | None = None, url: str = "", message=None) -> list[Notification]:
    """Write the notifications and outbox deliveries the rule table asks for, in the caller's transaction.

    The send tasks are queued only when the transaction commits; if it rolls back, nothing exists
    and nothing is sent.
    """
    targets = rules.recipients_for(event, actor=actor, ticket=ticket, recipient=recipient, staff_only=staff_only)
    if not targets:
        return []
    if event in DEDUPLICATED and ticket is not None:
        already = set(
            Notification.objects.filter(
                ticket=ticket, event=event, created_at__gte=timezone.now() - DUPLICATE_WINDOW,
                recipient__in=list(targets),
            ).values_list("recipient_id", flat=True)
        )
        targets = {u: ch for u, ch in targets.items() if u.pk not in already}
    overrides = overrides_for(list(targets))
    url = url or (content.ticket_url(ticket) if ticket is not None else "")
    plan = []
    for user, channels in sorted(targets.items(), key=lambda item: item[0].pk):
        wanted = {c for c in channels if is_enabled(user, event, c, overrides)}
        if wanted:
            plan.append((user, wanted))
    if not plan:
        return []
    described = content.describe_many(event, [user for user, _ in plan], ticket=ticket, actor=actor, extra=extra)
    created = [
        Notification(recipient=user, event=event, actor=actor, ticket=ticket, title=title, body=text, url=url,
                     visible=Channel.WEB in wanted, message=message)
        for (user, wanted), (title, text) in zip(plan, described, strict=True)
    ]
    Notification.objects.bulk_create(created)  # SQLite and PostgreSQL hand back the ids
    link = content.absolute(url) if url else ""
    emails = content.EmailBatch(event, {"ticket": ticket, "event": event, "link": link,
                                        "settings_link": _settings_link()})
    sms_texts: dict = {}
    deliveries = []
    for notification, (user, wanted) in zip(created, plan, strict=True):
        title, text = notification.title, notification.body
        if Channel.EMAIL in wanted and user.email:
            deliveries.append(Delivery(notification=notification, channel=Channel.EMAIL, recipient=user,
                                       to=user.email, payload=emails.render(user, title, text)))
        if Channel.SMS in wanted and user.phone:
            try:
                number = to_e164(user.phone)
            except ValueError:
                number = ""
            if number:
                if title not in sms_texts:  # the SMS names nobody: the same for everyone with this title
                    sms_texts[title] = content.render_sms({"title": title, "ticket": ticket, "link": link})
                deliveries.append(Delivery(notification=notification, channel=Channel.SMS, recipient=user,
                                           to=number, payload=sms_texts[title]))
    Delivery.objects.bulk_create(deliveries)
    delivery_ids = [d.pk for d in deliveries]
    if delivery_ids:
        transaction.on_commit(lambda: enqueue(delivery_ids))
    return created


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (idempotent)."""
    if not permissions.can_view_notification(actor, notification):
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notification_mark_all_read(*, actor) -> int:
    """Mark every unread notification of the actor read; returns how many changed."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preferences_set(*, actor, user, choices: dict) -> int:
    """Store ``user``'s settings {(event, channel): enabled}; only rows that differ from the default are kept."""
    if not permissions.can_edit_preferences(actor, user):
        raise PermissionDenied
    offered = rules.channels_for_role(user.role)
    changed = 0
    for (event, channel), enabled in choices.items():
        if event not in offered or channel not in offered[event]:
            raise ValidationError(f"{event}/{channel} is not a setting for this person.")
        if enabled == rules.default_enabled(user.role, event, channel):
            changed += Preference.objects.filter(user=user, event=event, channel=channel).delete()[0]
        else:
            _, made = Preference.objects.update_or_create(
                user=user, event=event, channel=channel, defaults={"enabled": enabled}
            )
            changed += 1
    return changed


def delivery_retry(*, actor, deliveries) -> int:
    """Admin action: put failed (or pending) deliveries back in the queue now. Sent ones are never resent."""
    if not (actor.is_authenticated and actor.role == "admin"):
        raise PermissionDenied
    ids = list(
        Delivery.objects.filter(pk__in=[d.pk for d in deliveries])
        .filter(status__in=[DeliveryStatus.FAILED, DeliveryStatus.PENDING]).values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=ids, status__in=[DeliveryStatus.FAILED, DeliveryStatus.PENDING]).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    transaction.on_commit(lambda: enqueue(ids))
    return len(ids)


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write a message."})
    if len(body) > 5000:
        raise ValidationError({"body": "A message holds at most 5000 characters."})
    return body


@transaction.atomic
def message_send(*, actor, recipient, body: str, ticket=None) -> Message:
    """Send a message to someone the actor works with, and notify them through the outbox."""
    if not permissions.can_message(actor, recipient):
        raise PermissionDenied
    message = Message.objects.create(sender=actor, recipient=recipient, body=_clean_body(body), ticket=ticket)
    try:
        url = reverse("notifications:conversation", args=[actor.pk])
    except NoReverseMatch:
        url = ""
    notify(event=Event.MESSAGE, actor=actor, recipient=recipient, extra={"text": message.body}, url=url,
           message=message)
    return message


@transaction.atomic
def message_edit(*, actor, message: Message, body: str) -> Message:
    """The author changes their message within the edit window."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if not permissions.can_change_message(actor, message):
        raise PermissionDenied
    message.body = _clean_body(body)
    message.edited_at = timezone.now()
    message.save(update_fields=["body", "edited_at"])
    # The in-app notification shows the new text; an e-mail not yet sent is sent with it.
    for notification in message.notifications.select_related("recipient"):
        title, text = content.describe(Event.MESSAGE, actor=actor, extra={"text": message.body},
                                       recipient=notification.recipient)
        notification.body = text
        notification.save(update_fields=["body"])
        for delivery in notification.deliveries.filter(status=DeliveryStatus.PENDING, channel=Channel.EMAIL):
            context = {"recipient": notification.recipient, "title": title, "text": text, "ticket": None,
                       "event": Event.MESSAGE, "link": content.absolute(notification.url) if notification.url else "",
                       "settings_link": _settings_link()}
            delivery.payload = content.render_email(Event.MESSAGE, context)
            delivery.save(update_fields=["payload"])
    return message


@transaction.atomic
def message_delete(*, actor, message: Message) -> None:
    """The author deletes their message within the edit window."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if not permissions.can_change_message(actor, message):
        raise PermissionDenied
    # What has not gone out yet is not sent; the notification goes with the message.
    Delivery.objects.filter(notification__message=message, status=DeliveryStatus.PENDING).delete()
    message.delete()


def messages_mark_read(*, actor, other) -> int:
    """Mark the messages ``other`` sent to the actor read."""
    return Message.objects.filter(sender=other, recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
