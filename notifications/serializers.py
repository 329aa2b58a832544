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
