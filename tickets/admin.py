"""Back office for tickets. Changes of state go through the same services as the web pages."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from tickets import services
from tickets.errors import TicketError
from tickets.models import Category, Comment, Macro, Photo, Ticket, TicketEvent
from tickets.sla_admin import SLA_READONLY


class TicketActionForm(ActionForm):
    assignee = forms.ModelChoiceField(
        label=_("assign to"), required=False,
        queryset=get_user_model().objects.filter(role__in=("engineer", "technician"), is_active=True),
    )


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    fields = ("original_name", "content_type", "width", "height", "size", "uploaded_by", "created_at")
    readonly_fields = fields
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False  # uploads go through photo_add (decoding, EXIF strip, thumbnail)


class CommentInline(admin.StackedInline):
    model = Comment
    extra = 0
    fields = ("author", "is_internal", "body", "created_at")
    readonly_fields = ("author", "created_at")
    raw_id_fields = ("author",)

    def has_add_permission(self, request, obj=None):
        return False  # comments go through comment_add (event + signal)


class EventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    fields = ("created_at", "actor", "action", "from_status", "to_status", "changes")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DeletedFilter(admin.SimpleListFilter):
    title = _("deleted")
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("no", _("No")), ("yes", _("Yes"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


def _run(modeladmin, request, queryset, **kwargs):
    done = failed = 0
    for ticket in queryset:
        try:
            services.ticket_transition(actor=request.user, ticket=ticket, **kwargs)
            done += 1
        except (TicketError, ValidationError, PermissionDenied) as exc:
            failed += 1
            text = getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [str(exc)]))
            modeladmin.message_user(request, f"{ticket.reference}: {text}", messages.ERROR)
    if done:
        modeladmin.message_user(request, _("%(n)s ticket(s) updated.") % {"n": done}, messages.SUCCESS)


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "status", "priority", "requester", "assignee", "site", "created_at",
                    "deleted_at")
    list_filter = ("status", "priority", "category", "site", DeletedFilter, "escalation_level")
    search_fields = ("title", "description", "requester__email", "requester__last_name", "affected_item")
    date_hierarchy = "created_at"
    list_select_related = ("requester", "assignee", "site")
    raw_id_fields = ("requester", "assignee", "equipment", "location")
    readonly_fields = ("status", "version", "created_at", "updated_at", "status_changed_at", "assigned_at",
                       "resolved_at", "closed_at", "deleted_at", "deleted_by", "escalation_level", *SLA_READONLY)
    inlines = (PhotoInline, CommentInline, EventInline)
    action_form = TicketActionForm
    actions = ("approve", "assign", "close", "restore")

    def get_search_results(self, request, queryset, search_term):
        queryset, distinct = super().get_search_results(request, queryset, search_term)
        pk = Ticket.pk_from_reference(search_term) if search_term else None
        if pk is not None:
            queryset |= self.model.objects.filter(pk=pk)
        return queryset, distinct

    def has_delete_permission(self, request, obj=None):
        return False  # deletes are soft, from the ticket page; restore with the action below

    def has_add_permission(self, request):
        return False  # tickets are reported through the site (photos, events, signals)

    def get_readonly_fields(self, request, obj=None):
        from tickets.services.tickets import EDITABLE_FIELDS

        fixed = (*self.readonly_fields, "requester", "assignee", "vehicle")
        if obj is None or obj.is_open:
            return fixed
        return fixed + EDITABLE_FIELDS

    def save_model(self, request, obj, form, change):
        """Edits go through ``ticket_update`` (event + signal), never a bare save."""
        from tickets.services.tickets import EDITABLE_FIELDS

        fields = {f: form.cleaned_data[f] for f in form.changed_data if f in EDITABLE_FIELDS}
        if fields:
            services.ticket_update(actor=request.user, ticket=obj, version=None, **fields)

    @admin.display(description=_("reference"), ordering="id")
    def reference(self, obj):
        return obj.reference

    @admin.action(description=_("Approve the selected tickets"))
    def approve(self, request, queryset):
        _run(self, request, queryset, action="approve")

    @admin.action(description=_("Assign the selected tickets (choose who above)"))
    def assign(self, request, queryset):
        pk = request.POST.get("assignee")
        assignee = get_user_model().objects.filter(pk=pk).first() if pk and pk.isdigit() else None
        if assignee is None:
            self.message_user(request, _("Choose who to assign to."), messages.ERROR)
            return
        _run(self, request, queryset, action="assign", assignee=assignee)

    @admin.action(description=_("Close the selected (resolved) tickets"))
    def close(self, request, queryset):
        _run(self, request, queryset, action="close")

    @admin.action(description=_("Restore the selected deleted tickets"))
    def restore(self, request, queryset):
        for ticket in queryset.filter(deleted_at__isnull=False):
            services.ticket_restore(actor=request.user, ticket=ticket)
            self.message_user(request, _("%(ref)s restored.") % {"ref": ticket.reference}, messages.SUCCESS)


@admin.register(TicketEvent)
class TicketEventAdmin(admin.ModelAdmin):
    """Append-only: readable, never added, changed or deleted here."""

    list_display = ("created_at", "ticket", "actor", "action", "from_status", "to_status")
    list_filter = ("action",)
    search_fields = ("ticket__title",)
    date_hierarchy = "created_at"
    list_select_related = ("ticket", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "active", "needs_service_report")
    list_filter = ("active", "needs_service_report")
    search_fields = ("name",)


class MacroAdminForm(forms.ModelForm):
    class Meta:
        model = Macro
        fields = ("name", "body", "owner", "set_priority", "action", "assign_to", "active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from tickets.workflow import TRANSITIONS

        self.fields["action"] = forms.ChoiceField(
            label=_("workflow action"), required=False,
            choices=[("", "-")] + [(a, t.label) for a, t in TRANSITIONS.items() if not t.service_only],
        )
        self.fields["body"].help_text = _("Placeholders: %(names)s") % {
            "names": ", ".join(f"{{{p}}}" for p in services.PLACEHOLDERS)}


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin):
    form = MacroAdminForm
    list_display = ("name", "owner", "set_priority", "action", "assign_to", "active")
    list_filter = ("active", "action")
    search_fields = ("name", "body")
    raw_id_fields = ("owner", "assign_to")


# Service reports ---------------------------------------------------------------------------
from tickets.report_models import ReportCode, ReportPart, ReportPhoto, ReportSignOff, ServiceReport  # noqa: E402


@admin.register(ReportCode)
class ReportCodeAdmin(admin.ModelAdmin):
    """The symptom, cause and action lists. Codes in use cannot be deleted: make them inactive."""

    list_display = ("code", "label", "kind", "active", "sort_order")
    list_filter = ("kind", "active")
    list_editable = ("active", "sort_order")
    search_fields = ("code", "label")
    ordering = ("kind", "sort_order", "label")


class ReportPartInline(admin.TabularInline):
    model = ReportPart
    extra = 0
    fields = ("part_number", "description", "quantity")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReportPhotoInline(admin.TabularInline):
    model = ReportPhoto
    extra = 0
    fields = ("original_name", "content_type", "width", "height", "size", "sha256", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReportSignOffInline(admin.TabularInline):
    model = ReportSignOff
    extra = 0
    fields = ("created_at", "outcome", "signer", "signer_name", "reason", "ip_address", "user_agent",
              "content_digest", "voided_at", "voided_by", "void_reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ServiceReport)
class ServiceReportAdmin(admin.ModelAdmin):
    """Read-only: reports are written, signed and voided through the services (pages)."""

    list_display = ("__str__", "status", "author", "arrived_at", "labour_minutes", "symptom", "cause", "action")
    list_filter = ("status", "symptom", "cause", "action")
    search_fields = ("ticket__title", "symptom_text", "cause_text", "action_text")
    raw_id_fields = ("ticket", "author")
    inlines = [ReportPartInline, ReportPhotoInline, ReportSignOffInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
