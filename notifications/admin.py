from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Role
from notifications.models import Delivery, Message, Notification, Preference
from notifications.services import delivery_retry


class RoleAdminMixin:
    """Users with the admin role run the back office, with or without Django model permissions."""

    def _role_admin(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and getattr(user, "role", None) == Role.ADMIN

    def has_module_permission(self, request):
        return self._role_admin(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._role_admin(request) or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._role_admin(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._role_admin(request) or super().has_delete_permission(request, obj)


@admin.register(Notification)
class NotificationAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = ["title", "recipient", "event", "created_at", "read_at", "visible"]
    list_filter = ["event", "visible", ("read_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["title", "recipient__email"]
    raw_id_fields = ["recipient", "actor", "ticket"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]


@admin.register(Delivery)
class DeliveryAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = [
        "id", "channel", "to", "status", "attempts", "next_attempt_at", "sent_at", "short_error", "created_at",
    ]
    list_filter = ["status", "channel", "created_at"]
    search_fields = ["to", "last_error", "recipient__email"]
    readonly_fields = [
        "notification", "channel", "recipient", "to", "payload", "status", "attempts", "next_attempt_at",
        "claimed_at", "sent_at", "last_error", "provider_id", "created_at",
    ]
    date_hierarchy = "created_at"
    actions = ["retry"]
    list_select_related = ["recipient"]

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return (obj.last_error[:80] + "...") if len(obj.last_error) > 80 else obj.last_error

    @admin.action(description=_("Retry the selected failed or pending deliveries now"))
    def retry(self, request, queryset):
        count = delivery_retry(actor=request.user, deliveries=list(queryset))
        skipped = queryset.count() - count
        self.message_user(
            request, ngettext("%(n)d delivery queued again.", "%(n)d deliveries queued again.", count) % {"n": count},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(request, _("Deliveries already sent or sending were left alone."), messages.WARNING)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Preference)
class PreferenceAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = ["user", "event", "channel", "enabled", "updated_at"]
    list_filter = ["event", "channel", "enabled"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(Message)
class MessageAdmin(RoleAdminMixin, admin.ModelAdmin):
    list_display = ["id", "sender", "recipient", "created_at", "edited_at", "read_at"]
    search_fields = ["sender__email", "recipient__email", "body"]
    raw_id_fields = ["sender", "recipient", "ticket"]
    list_select_related = ["sender", "recipient"]



