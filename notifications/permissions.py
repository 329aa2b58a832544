"""Who may do what with notifications, preferences and messages."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts.models import Role


def _is_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role == Role.ADMIN)


def can_view_notification(user, notification) -> bool:
    """Only the recipient sees a notification (others get a 404)."""
    return user.is_authenticated and notification.recipient_id == user.pk


def can_edit_preferences(user, target) -> bool:
    """Everyone edits their own settings; admins anyone's."""
    return user.is_authenticated and (user.pk == target.pk or _is_admin(user))


def can_message(sender, recipient) -> bool:
    """People who work together may write: requester <-> assignee on a ticket, anyone <-> admins."""
    if not (sender.is_authenticated and sender.is_active and recipient.is_active) or sender.pk == recipient.pk:
        return False
    if _is_admin(sender) or recipient.role == Role.ADMIN:
        return True
    from tickets.models import Ticket

    return Ticket.objects.filter(
        Q(requester=sender, assignee=recipient) | Q(requester=recipient, assignee=sender), deleted_at__isnull=True
    ).exists()


def message_edit_window() -> timedelta:
    return timedelta(minutes=settings.MESSAGE_EDIT_WINDOW_MINUTES)


def can_change_message(user, message, *, now=None) -> bool:
    """The author may edit or delete a message within the edit window."""
    now = now or timezone.now()
    return (
        user.is_authenticated and message.sender_id == user.pk and now - message.created_at <= message_edit_window()
    )


def can_view_message(user, message) -> bool:
    return user.is_authenticated and user.pk in (message.sender_id, message.recipient_id)
