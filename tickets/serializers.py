"""API shapes for tickets. They only translate: every rule lives in the services, selectors,
permissions and the workflow table. Internal notes never reach customers (the selectors filter them).
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from facilities.models import Equipment, Location, Site, Vehicle
from tickets import selectors, workflow
from tickets.forms import STATUS_FILTERS
from tickets.models import Category, Comment, Macro, Photo, Priority, Status, Ticket, TicketEvent
from tickets.services import BULK_ACTIONS, MAX_PHOTOS
from tickets.services.photos import MAX_BYTES as MAX_PHOTO_BYTES

User = get_user_model()


class PhotoFileField(serializers.FileField):
    """An uploaded image; one over the photo size limit is 413 (the services refuse it too)."""

    def to_internal_value(self, data):
        from helpdesk.api.errors import PayloadTooLarge

        upload = super().to_internal_value(data)
        if getattr(upload, "size", 0) > MAX_PHOTO_BYTES:
            name = (getattr(upload, "name", "") or "photo")[-100:]
            raise PayloadTooLarge(gettext("“%(name)s” is larger than 10 MB.") % {"name": name})
        return upload

PHONE_HELP = ("Phone number. Sent as E.164 (+447911123456) or national (read in the default region); "
              "returned in international format (+44 7911 123456).")


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="get_full_name", read_only=True)


class RefSerializer(serializers.Serializer):
    """A related object by id and display name."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ("id", "name")
        read_only_fields = fields


class TicketSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True, help_text="FD-000123")
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    priority = serializers.ChoiceField(choices=Priority.choices, read_only=True)
    category = RefSerializer(read_only=True, allow_null=True)
    requester = PersonSerializer(read_only=True)
    assignee = PersonSerializer(read_only=True, allow_null=True)
    site = RefSerializer(read_only=True, allow_null=True)
    location = RefSerializer(read_only=True, allow_null=True)
    equipment = RefSerializer(read_only=True, allow_null=True)
    vehicle = RefSerializer(read_only=True, allow_null=True)
    contact_phone = PhoneNumberField(read_only=True, help_text=PHONE_HELP)
    web_url = serializers.SerializerMethodField(help_text="The ticket's page in the web application.")
    available_actions = serializers.SerializerMethodField(
        help_text="The workflow actions the caller may perform now (POST /tickets/{id}/actions/{action}/).")

    class Meta:
        model = Ticket
        fields = ("id", "reference", "title", "description", "category", "priority", "status", "status_display",
                  "requester", "assignee", "site", "location", "equipment", "affected_item", "contact_phone",
                  "vehicle", "escalation_level", "response_due_at", "resolution_due_at", "responded_at", "version",
                  "created_at", "updated_at", "status_changed_at", "assigned_at", "resolved_at", "closed_at",
                  "web_url", "available_actions")
        read_only_fields = fields

    def get_web_url(self, obj) -> str:
        return obj.get_absolute_url()

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=workflow.ACTIONS)))
    def get_available_actions(self, obj) -> list[str]:
        return [t.action for t in workflow.available_actions(obj, self.context["request"].user)]

    def to_representation(self, obj) -> dict:
        """The same dict as DRF's generic rendering of the fields above (a test holds them equal), built directly.

        DRF builds ~30 fields per request and walks them and 6 nested serializers per row (attribute
        lookups, callable checks, a translated choice label per row): most of a 25-ticket page's cost.
        The declared fields stay the schema (and the input of ``drf_representation``).
        """
        if not hasattr(self, "_fast"):  # once per serializer (a list's rows share its child)
            self._fast = (self.context["request"].user, Ticket.absolute_url_maker())
        user, url_for = self._fast
        status = obj.status
        data = {
            "id": obj.pk, "reference": obj.reference, "title": obj.title, "description": obj.description,
            "category": _ref(obj.category), "priority": _PRIORITY.to_representation(obj.priority),
            "status": _STATUS.to_representation(status), "status_display": obj.get_status_display(),
            "requester": _person(obj.requester), "assignee": _person(obj.assignee),
            "site": _ref(obj.site), "location": _ref(obj.location), "equipment": _ref(obj.equipment),
            "affected_item": obj.affected_item,
            "contact_phone": None if obj.contact_phone is None else str(obj.contact_phone),
            "vehicle": _ref(obj.vehicle), "escalation_level": obj.escalation_level,
        }
        for name in DATETIME_FIELDS[:3]:
            value = getattr(obj, name)
            data[name] = None if value is None else _DATETIME.to_representation(value)
        data["version"] = obj.version
        for name in DATETIME_FIELDS[3:]:
            value = getattr(obj, name)
            data[name] = None if value is None else _DATETIME.to_representation(value)
        data["web_url"] = url_for(obj.pk)
        data["available_actions"] = [t.action for t in workflow.available_actions(obj, user)]
        return data

    def drf_representation(self, obj) -> dict:
        """DRF's generic rendering of the declared fields: what ``to_representation`` must equal."""
        return super().to_representation(obj)


# Unbound fields format as the ModelSerializer's own (the time zone is read per call).
_DATETIME = serializers.DateTimeField(read_only=True)
_STATUS = serializers.ChoiceField(choices=Status.choices, read_only=True)
_PRIORITY = serializers.ChoiceField(choices=Priority.choices, read_only=True)
# In the order of ``TicketSerializer.Meta.fields`` around ``version``.
DATETIME_FIELDS = ("response_due_at", "resolution_due_at", "responded_at", "created_at", "updated_at",
                   "status_changed_at", "assigned_at", "resolved_at", "closed_at")


def _ref(obj) -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": str(obj)}


def _person(user) -> dict | None:
    return None if user is None else {"id": user.pk, "name": user.get_full_name()}


class TicketFilterSerializer(serializers.Serializer):
    """Query parameters of the ticket lists (the same filters as the web list and queue)."""

    q = serializers.CharField(required=False, max_length=200, help_text="FD-000123, or words of title/description")
    status = serializers.ChoiceField(choices=[c for c in STATUS_FILTERS if c[0]], required=False,
                                     help_text="A status, or `open` / `closed` for the groups")
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    category = serializers.IntegerField(required=False, min_value=1)
    site = serializers.IntegerField(required=False, min_value=1)
    assignee = serializers.IntegerField(required=False, min_value=1)
    unassigned = serializers.BooleanField(required=False, default=False)
    escalated = serializers.BooleanField(required=False, default=False)
    sla = serializers.ChoiceField(choices=[("breached", "breached"), ("due_soon", "due soon")], required=False,
                                  help_text="`breached`: a deadline has passed; `due_soon`: one falls due soon")
    sort = serializers.ChoiceField(choices=list(selectors.SORTS), required=False, help_text="Default `-created`")


class TicketWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=20_000)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(active=True), required=False,
                                                  allow_null=True)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.filter(active=True), required=False,
                                              allow_null=True)
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    equipment = serializers.PrimaryKeyRelatedField(queryset=Equipment.objects.all(), required=False,
                                                   allow_null=True)
    affected_item = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_phone = PhoneNumberField(required=False, allow_blank=True, help_text=PHONE_HELP)
    requester = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True,
        help_text="Admins only: report on someone else's behalf (anyone else gets 403).")
    photos = serializers.ListField(
        child=PhotoFileField(), required=False, max_length=MAX_PHOTOS,
        help_text=f"multipart/form-data only: up to {MAX_PHOTOS} JPEG, PNG or WebP images of at most 10 MB.")


class TicketUpdateSerializer(serializers.Serializer):
    """A partial change; ``version`` is the version the change is based on (409 when stale)."""

    version = serializers.IntegerField(min_value=1, max_value=2_147_483_647,
                                       help_text="The `version` the change is based on.")
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=20_000, required=False)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(active=True), required=False,
                                                  allow_null=True)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.filter(active=True), required=False,
                                              allow_null=True)
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    equipment = serializers.PrimaryKeyRelatedField(queryset=Equipment.objects.all(), required=False,
                                                   allow_null=True)
    affected_item = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_phone = PhoneNumberField(required=False, allow_blank=True, help_text=PHONE_HELP)


class ActionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    version = serializers.IntegerField(required=False, min_value=1, max_value=2_147_483_647,
                                       help_text="When given, the action is refused (409) if the ticket changed.")


class AssignActionSerializer(ActionSerializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), help_text="An active engineer or technician.")
    vehicle = serializers.PrimaryKeyRelatedField(queryset=Vehicle.objects.all(), required=False, allow_null=True,
                                                 help_text="A free, active vehicle (optional).")


def action_serializer_for(transition) -> type[serializers.Serializer]:
    """The request body of one workflow action, derived from its row of the transition table."""
    base = AssignActionSerializer if transition.needs_assignee else ActionSerializer
    comment = serializers.CharField(
        required=transition.comment_required, allow_blank=not transition.comment_required, max_length=10_000,
        help_text=str(transition.comment_label or "Comment"))
    name = "".join(part.capitalize() for part in transition.action.split("_")) + "ActionSerializer"
    return type(name, (base,), {"comment": comment, "__doc__": f"Body of the `{transition.action}` action."})


class ActionInfoSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=workflow.ACTIONS)
    label = serializers.CharField()
    comment_required = serializers.BooleanField()
    comment_label = serializers.CharField()
    needs_assignee = serializers.BooleanField()
    confirm = serializers.CharField(help_text="A question to confirm before acting, or empty.")


class CommentSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)

    class Meta:
        model = Comment
        fields = ("id", "author", "body", "is_internal", "created_at")
        read_only_fields = fields


class CommentWriteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=10_000)
    is_internal = serializers.BooleanField(required=False, default=False,
                                           help_text="Staff only: an internal note customers never see (else 403).")


class PhotoSerializer(serializers.ModelSerializer):
    file_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = ("id", "content_type", "width", "height", "size", "original_name", "created_at", "file_url",
                  "thumbnail_url")
        read_only_fields = fields

    def get_file_url(self, obj) -> str:
        return reverse("api:ticket-photo-file", args=[obj.ticket_id, obj.pk])

    def get_thumbnail_url(self, obj) -> str:
        return reverse("api:ticket-photo-thumbnail", args=[obj.ticket_id, obj.pk])


class PhotoUploadSerializer(serializers.Serializer):
    photos = serializers.ListField(child=PhotoFileField(), min_length=1, max_length=MAX_PHOTOS,
                                   help_text="One or more JPEG, PNG or WebP images of at most 10 MB.")


class EventSerializer(serializers.ModelSerializer):
    actor = PersonSerializer(read_only=True, allow_null=True)
    changes = serializers.SerializerMethodField(help_text="{field: [old, new], ...} and free data.")

    class Meta:
        model = TicketEvent
        fields = ("id", "actor", "action", "from_status", "to_status", "changes", "created_at")
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_changes(self, obj) -> dict:
        # The view decides what the caller may read (internal details are dropped for customers).
        return getattr(obj, "visible_changes", obj.changes)


class MacroSerializer(serializers.ModelSerializer):
    shared = serializers.BooleanField(required=False, default=False,
                                      help_text="Admins only: shared with every engineer (else a personal macro).")
    set_priority = serializers.ChoiceField(choices=[("", "-"), *Priority.choices], required=False, allow_blank=True)
    action = serializers.ChoiceField(choices=[("", "-"), *((a, a) for a in workflow.ACTIONS)], required=False,
                                     allow_blank=True, help_text="A workflow action the macro performs.")
    assign_to = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False,
                                                   allow_null=True)

    class Meta:
        model = Macro
        fields = ("id", "name", "body", "set_priority", "action", "assign_to", "shared", "active")
        read_only_fields = ("id", "active")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["shared"] = instance.owner_id is None
        return data


class MacroApplySerializer(serializers.Serializer):
    macro = serializers.PrimaryKeyRelatedField(queryset=Macro.objects.filter(active=True))
    body = serializers.CharField(required=False, allow_blank=True, max_length=10_000,
                                 help_text="The text to post; the macro's text with placeholders filled when omitted.")
    is_internal = serializers.BooleanField(required=False, default=False)
    version = serializers.IntegerField(required=False, min_value=1, max_value=2_147_483_647)


class BulkSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(a, a) for a in BULK_ACTIONS])
    tickets = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=200,
                                    help_text="Ticket ids (ones the caller may not see count as refused).")
    assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False,
                                                  allow_null=True, help_text="For `assign`.")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


class BulkRefusalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    detail = serializers.CharField()


class BulkResultSerializer(serializers.Serializer):
    done = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of the tickets changed")
    refused = BulkRefusalSerializer(many=True, help_text="Each ticket left unchanged, and why")
