"""Every read of the notifications app starts from what the person may see: their own rows."""

from django.db.models import Case, Count, F, Max, OuterRef, Q, Subquery, When
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from notifications.models import Message, Notification
from notifications.permissions import can_message


def notifications_for(user, *, unread_only: bool = False):
    """The person's in-app notifications, newest first."""
    qs = Notification.objects.filter(recipient=user, visible=True).select_related("actor", "ticket")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, visible=True, read_at__isnull=True).count()


def notification_get_for(user, pk: int) -> Notification:
    """One of the person's notifications; anyone else's is a 404."""
    return get_object_or_404(Notification.objects.filter(recipient=user), pk=pk)


def unread_messages_count(user) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def conversations_for(user):
    """[{"other": id, "last": datetime, "unread": n}], most recent first (one row per person)."""
    return (
        Message.objects.filter(Q(sender=user) | Q(recipient=user))
        .annotate(other=Case(When(sender=user, then=F("recipient")), default=F("sender")))
        .values("other")
        .annotate(last=Max("created_at"), unread=Count("id", filter=Q(recipient=user, read_at__isnull=True)))
        .order_by("-last", "-other")
    )


def people_with_last_message(user, ids):
    """The people of a conversations page, each with the last message text (one query)."""
    last = Message.objects.filter(
        Q(sender=user, recipient=OuterRef("pk")) | Q(sender=OuterRef("pk"), recipient=user)
    ).order_by("-created_at", "-id")
    qs = User.objects.filter(pk__in=ids).annotate(
        last_body=Subquery(last.values("body")[:1]), last_sender=Subquery(last.values("sender")[:1])
    )
    return {u.pk: u for u in qs}


def conversation_between(user, other):
    """Messages between two people, oldest first."""
    return (
        Message.objects.filter(Q(sender=user, recipient=other) | Q(sender=other, recipient=user))
        .select_related("sender", "ticket")
        .order_by("created_at", "id")
    )


def conversation_partner_get(user, pk: int):
    """A person the user may write to or already talks with; else 404 (who exists is not revealed)."""
    other = get_object_or_404(User.objects.exclude(pk=user.pk), pk=pk)
    if can_message(user, other) or conversation_between(user, other).exists():
        return other
    from django.http import Http404

    raise Http404


def contacts_for(user, *, search: str = ""):
    """People the user may start a conversation with."""
    qs = User.objects.filter(is_active=True).exclude(pk=user.pk)
    if user.role != Role.ADMIN:
        # Two index-served IN subqueries (requesters of the user's jobs, assignees of the user's
        # tickets) instead of OR-ed joins under DISTINCT, which read every user's tickets (0.3 s at 100k).
        Ticket = User._meta.get_field("assigned_tickets").related_model
        live = Ticket._base_manager.filter(deleted_at__isnull=True)
        qs = qs.filter(
            Q(role=Role.ADMIN)
            | Q(pk__in=live.filter(assignee=user).values("requester"))
            | Q(pk__in=live.filter(requester=user, assignee__isnull=False).values("assignee"))
        )
    if search:
        qs = qs.filter(Q(first_name__icontains=search) | Q(last_name__icontains=search) | Q(email__icontains=search))
    return qs.order_by("last_name", "first_name", "pk")


def message_get_own(user, pk: int) -> Message:
    """A message the user wrote; 404 for any other."""
    return get_object_or_404(Message.objects.filter(sender=user).select_related("recipient"), pk=pk)
