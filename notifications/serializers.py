from rest_framework import serializers

from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    ticket_reference = serializers.SerializerMethodField()
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "event", "title", "body", "url", "ticket", "ticket_reference", "created_at", "read_at",
                  "is_read"]
        read_only_fields = fields

    def get_ticket_reference(self, obj) -> str:
        return obj.ticket.reference if obj.ticket_id else ""


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


# --- messages (the REST API) ----------------------------------------------------------------------

class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="get_full_name", read_only=True)
    role = serializers.CharField(read_only=True)


class ConversationSerializer(serializers.Serializer):
    other = PersonRefSerializer(read_only=True)
    last = serializers.DateTimeField(read_only=True, help_text="When the last message was sent")
    last_body = serializers.CharField(read_only=True)
    unread = serializers.IntegerField(read_only=True, help_text="Messages from them not read yet")


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    sender = PersonRefSerializer(read_only=True)
    body = serializers.CharField(max_length=5000)
    ticket = serializers.IntegerField(source="ticket_id", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    edited_at = serializers.DateTimeField(read_only=True, allow_null=True)
    read_at = serializers.DateTimeField(read_only=True, allow_null=True)
