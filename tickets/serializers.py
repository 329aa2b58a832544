"""API shapes for tickets. Internal notes never appear for customers (the selectors filter them)."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from facilities.models import Equipment, Location, Site, Vehicle
from tickets import workflow
from tickets.models import Category, Comment, Priority, Ticket, TicketEvent


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class TicketSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    category = serializers.StringRelatedField()
    requester = PersonSerializer(read_only=True)
    assignee = PersonSerializer(read_only=True, allow_null=True)
    contact_phone = serializers.CharField(read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = ("id", "reference", "title", "description", "category", "priority", "status", "requester",
                  "assignee", "site", "location", "equipment", "affected_item", "contact_phone", "vehicle",
                  "escalation_level", "response_due_at", "resolution_due_at", "responded_at", "version",
                  "created_at", "updated_at", "available_actions")
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=workflow.ACTIONS)))
    def get_available_actions(self, obj) -> list[str]:
        return [t.action for t in workflow.available_actions(obj, self.context["request"].user)]


class TicketWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=20_000)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(active=True), required=False,
                                                  allow_null=True)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.all(), required=False, allow_null=True)
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    equipment = serializers.PrimaryKeyRelatedField(queryset=Equipment.objects.all(), required=False,
                                                   allow_null=True)
    affected_item = serializers.CharField(max_length=200, required=False, allow_blank=True)


class TicketUpdateSerializer(TicketWriteSerializer):
    version = serializers.IntegerField(min_value=1, help_text="The version the change is based on.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class ActionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False, allow_null=True)
    vehicle = serializers.PrimaryKeyRelatedField(queryset=Vehicle.objects.all(), required=False, allow_null=True)
    version = serializers.IntegerField(required=False, min_value=1)


class CommentSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)

    class Meta:
        model = Comment
        fields = ("id", "author", "body", "is_internal", "created_at")
        read_only_fields = ("id", "author", "created_at")


class EventSerializer(serializers.ModelSerializer):
    actor = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = TicketEvent
        fields = ("id", "actor", "action", "from_status", "to_status", "changes", "created_at")
        read_only_fields = fields
