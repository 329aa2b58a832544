"""The Django admin for people and organisations. Role and activity changes go through the services,
so the group, the admin flag and the sessions follow exactly as in the web UI."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import permissions, services
from accounts.models import AccountEvent, Organization, Role, User


class UserInviteAdminForm(forms.ModelForm):
    """Adding somebody in the Django admin invites them: they choose their own password."""

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "role", "phone", "organization"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") in (Role.ENGINEER, Role.TECHNICIAN) and not cleaned.get("phone"):
            self.add_error("phone", _("Engineers and technicians need a phone number."))
        return cleaned


class UserAdminChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        was_admin = self.instance.pk and User.objects.filter(pk=self.instance.pk, role=Role.ADMIN,
                                                             is_active=True).exists()
        stays_admin = cleaned.get("role", self.instance.role) == Role.ADMIN and cleaned.get("is_active", True)
        if was_admin and not stays_admin:
            others = User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=self.instance.pk)
            if not others.exists():
                raise ValidationError(_("The last admin cannot be demoted or deactivated."))
        if cleaned.get("role") in (Role.ENGINEER, Role.TECHNICIAN) and not cleaned.get("phone"):
            self.add_error("phone", _("Engineers and technicians need a phone number."))
        return cleaned


@admin.action(description=_("Deactivate the selected people (and log them out)"))
def deactivate_users(modeladmin, request, queryset):
    done = 0
    for user in queryset.filter(is_active=True):
        try:
            services.user_deactivate(actor=request.user, user=user)
            done += 1
        except (PermissionDenied, ValidationError) as exc:
            modeladmin.message_user(request, f"{user}: {' '.join(getattr(exc, 'messages', [str(exc)]))}",
                                    messages.WARNING)
    modeladmin.message_user(request, _("%(n)d deactivated.") % {"n": done}, messages.SUCCESS)


@admin.action(description=_("Send the invitation again"))
def resend_invitations(modeladmin, request, queryset):
    done = 0
    for user in queryset:
        if permissions.can_resend_invitation(request.user, user):
            services.user_resend_invitation(actor=request.user, user=user)
            done += 1
    modeladmin.message_user(request, _("%(n)d invitations sent.") % {"n": done}, messages.SUCCESS)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserAdminChangeForm
    add_form = UserInviteAdminForm
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "role", "organization", "is_active", "email_confirmed_at"]
    list_filter = ["role", "is_active", "organization"]
    list_select_related = ["organization"]
    search_fields = ["email", "first_name", "last_name", "phone"]
    actions = [deactivate_users, resend_invitations]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "phone", "organization", "time_zone"]}),
        (_("Access"), {"fields": ["role", "is_active", "is_staff", "is_superuser", "groups", "email_confirmed_at"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "first_name", "last_name", "role", "phone", "organization"],
                             "description": _("They receive an e-mail with a link to choose their password.")})]
    filter_horizontal = ["groups"]
    readonly_fields = ["is_staff", "groups", "last_login", "date_joined"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            # Nobody changes their own role or switches themselves off.
            fields += ["role", "is_active", "is_superuser"]
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            invited = services.user_invite(
                actor=request.user, email=obj.email, first_name=obj.first_name, last_name=obj.last_name,
                role=obj.role, phone=obj.phone or "", organization=obj.organization,
            )
            # The admin goes on with ``obj`` (change message, redirect): make it the saved invitee.
            obj.__dict__.update(invited.__dict__)
            return
        old = User.objects.get(pk=obj.pk)
        new_role, new_active = obj.role, obj.is_active
        obj.role, obj.is_active = old.role, old.is_active
        obj.save()
        if new_role != old.role:
            services.user_change_role(actor=request.user, user=obj, role=new_role)
        if old.is_active and not new_active:
            services.user_deactivate(actor=request.user, user=obj)
        elif new_active and not old.is_active:
            services.user_reactivate(actor=request.user, user=obj)
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "members_see_all_tickets", "created_at"]
    list_filter = ["members_see_all_tickets"]
    search_fields = ["name"]


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    """Read-only: account events are written by the services alone."""

    list_display = ["created_at", "user", "action", "old_value", "new_value", "actor"]
    list_filter = ["action"]
    list_select_related = ["user", "actor"]
    search_fields = ["user__email", "actor__email"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
