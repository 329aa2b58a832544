"""API: the caller's own notifications (list, unread count, mark read)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from notifications import selectors, services
from notifications.models import Notification
from notifications.serializers import MarkedSerializer, NotificationSerializer, UnreadCountSerializer


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        unread_only = self.request.query_params.get("unread") in ("1", "true")
        return selectors.notifications_for(self.request.user, unread_only=unread_only)

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="only unread notifications")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": selectors.unread_count(request.user)})

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = selectors.notification_get_for(request.user, pk)
        services.notification_mark_read(actor=request.user, notification=notification)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notification_mark_all_read(actor=request.user)})


def register(router) -> None:
    router.register("notifications", NotificationViewSet, basename="notification")


# --- messages between people (appended by the API branch): the same selectors, services and
# permissions as the conversation pages.

from django.core.exceptions import PermissionDenied as _DjangoPermissionDenied  # noqa: E402
from drf_spectacular.utils import extend_schema_view  # noqa: E402
from rest_framework import exceptions, status  # noqa: E402

from helpdesk.api.errors import Conflict  # noqa: E402
from helpdesk.api.schema import CONFLICT  # noqa: E402
from notifications.permissions import can_change_message, can_message  # noqa: E402
from notifications.serializers import ConversationSerializer, MessageSerializer, PersonRefSerializer  # noqa: E402


class ConversationViewSet(viewsets.GenericViewSet):
    """``/conversations/``: one row per person; ``/conversations/{user_id}/``: the messages with them."""

    serializer_class = MessageSerializer
    lookup_value_regex = "[0-9]+"
    lookup_url_kwarg = "user_id"

    @extend_schema(summary="The caller's conversations, most recent first",
                   responses=ConversationSerializer(many=True))
    def list(self, request):
        page = self.paginate_queryset(selectors.conversations_for(request.user))
        people = selectors.people_with_last_message(request.user, [row["other"] for row in page])
        rows = [{"other": people[row["other"]], "last": row["last"], "unread": row["unread"],
                 "last_body": people[row["other"]].last_body or ""} for row in page if row["other"] in people]
        return self.get_paginated_response(ConversationSerializer(rows, many=True).data)

    @extend_schema(summary="Messages with one person, oldest first (reading changes nothing: POST read/ for that)",
                   operation_id="conversations_messages",
                   parameters=[OpenApiParameter("user_id", int, OpenApiParameter.PATH)],
                   responses=MessageSerializer(many=True))
    def retrieve(self, request, user_id=None):
        other = selectors.conversation_partner_get(request.user, int(user_id))
        page = self.paginate_queryset(selectors.conversation_between(request.user, other))
        return self.get_paginated_response(MessageSerializer(page, many=True).data)

    @extend_schema(summary="Mark the messages this person sent you read",
                   parameters=[OpenApiParameter("user_id", int, OpenApiParameter.PATH)],
                   request=None, responses=MarkedSerializer)
    @action(detail=True, methods=["post"], url_path="read")
    def read(self, request, user_id=None):
        other = selectors.conversation_partner_get(request.user, int(user_id))
        return Response({"marked": services.messages_mark_read(actor=request.user, other=other)})

    @extend_schema(summary="Send a message to someone you work with (requester <-> assignee, anyone <-> admins)",
                   parameters=[OpenApiParameter("user_id", int, OpenApiParameter.PATH)],
                   request=MessageSerializer, responses={201: MessageSerializer})
    @action(detail=True, methods=["post"], url_path="send")
    def send(self, request, user_id=None):
        other = selectors.conversation_partner_get(request.user, int(user_id))
        if not can_message(request.user, other):
            raise exceptions.PermissionDenied("You no longer work with this person.")
        data = MessageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.message_send(actor=request.user, recipient=other, body=data.validated_data["body"])
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class ContactViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """People the caller may start a conversation with."""

    serializer_class = PersonRefSerializer

    def get_queryset(self):
        return selectors.contacts_for(self.request.user, search=self.request.query_params.get("q", "")[:100])

    @extend_schema(parameters=[OpenApiParameter("q", str, description="name or e-mail")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


@extend_schema_view(
    partial_update=extend_schema(summary="Edit your message within the edit window (409 after it)",
                                 responses={200: MessageSerializer, 409: CONFLICT}),
    destroy=extend_schema(summary="Delete your message within the edit window (409 after it)",
                          responses={204: None, 409: CONFLICT}),
)
class MessageViewSet(viewsets.GenericViewSet):
    serializer_class = MessageSerializer
    lookup_value_regex = "[0-9]+"
    http_method_names = ["patch", "delete", "options"]

    def _own(self, pk):
        message = selectors.message_get_own(self.request.user, int(pk))
        if not can_change_message(self.request.user, message):
            raise Conflict("The edit window of this message has passed.")
        return message

    def partial_update(self, request, pk=None):
        message = self._own(pk)
        data = MessageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            message = services.message_edit(actor=request.user, message=message, body=data.validated_data["body"])
        except _DjangoPermissionDenied:
            raise Conflict("The edit window of this message has passed.") from None
        return Response(MessageSerializer(message).data)

    def destroy(self, request, pk=None):
        message = self._own(pk)
        try:
            services.message_delete(actor=request.user, message=message)
        except _DjangoPermissionDenied:
            raise Conflict("The edit window of this message has passed.") from None
        return Response(status=status.HTTP_204_NO_CONTENT)


_register_notifications = register


def register(router) -> None:  # noqa: F811
    _register_notifications(router)
    router.register("conversations", ConversationViewSet, basename="conversation")
    router.register("contacts", ContactViewSet, basename="contact")
    router.register("messages", MessageViewSet, basename="message")
