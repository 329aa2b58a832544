"""Notifications: in-app rows, the outbox of e-mail and SMS deliveries, preferences, messages."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """Kinds of event a user can hear about; the rule table (rules.py) maps them to people."""

    CREATED = "created", _("New request")
    APPROVED = "approved", _("Request approved")
    REJECTED = "rejected", _("Request rejected")
    ASSIGNED = "assigned", _("Job assigned")
    STATUS_CHANGED = "status_changed", _("Status changed")
    UPDATED = "updated", _("Ticket details changed")
    REPORT_SUBMITTED = "report_submitted", _("Service report submitted")
    REPORT_SIGNED = "report_signed", _("Service report signed")
    REPORT_REFUSED = "report_refused", _("Service report refused")
    ESCALATED = "escalated", _("Ticket escalated")
    COMMENT = "comment", _("New comment")
    MESSAGE = "message", _("New message")


class Channel(models.TextChoices):
    WEB = "web", _("In-app")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class Notification(models.Model):
    """One in-app notification for one person (also the anchor of its e-mail/SMS deliveries)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Set for a new-message notification: deleting the message takes its notification along.
    message = models.ForeignKey("notifications.Message", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="notifications")
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # False when the person switched the in-app channel off: the row still anchors e-mail/SMS.
    visible = models.BooleanField(default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "visible", "read_at"], name="notif_recipient_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(event__in=[e.value for e in Event]), name="notifications_notification_event_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # What it is about; opening it through the centre (POST notifications:open) also marks it read.
        return self.url or reverse("notifications:list")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """The outbox: one e-mail or SMS to send, written in the transaction of the change it reports."""

    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    # E-mail address or E.164 number, taken when the delivery was written.
    to = models.CharField(_("to"), max_length=254)
    # Rendered at write time: {"subject", "text", "html"} for e-mail, {"text"} for SMS.
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_id = models.CharField(_("provider id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_status_next_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=[Channel.EMAIL.value, Channel.SMS.value]),
                name="notifications_delivery_channel_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in DeliveryStatus]),
                name="notifications_delivery_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.to} ({self.get_status_display()})"


class Preference(models.Model):
    """A person's choice for one event kind on one channel; absent rows mean the default (rules.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(_("enabled"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "event", "channel"], name="notifications_preference_unique"),
        ]

    def __str__(self) -> str:
        state = "on" if self.enabled else "off"
        return f"{self.user} {self.event}/{self.channel}: {state}"


class Message(models.Model):
    """A message from one person to another (requester <-> assignee, anyone <-> admins)."""

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_sent")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_received"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["sender", "recipient", "created_at"], name="message_pair_created_idx"),
            models.Index(fields=["recipient", "read_at"], name="message_recipient_read_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(sender=models.F("recipient")), name="message_not_to_self"),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} from {self.sender_id} to {self.recipient_id}"
