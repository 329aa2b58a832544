"""Django admin for SLA policies and working calendars (imported by ``tickets/admin.py``)."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tickets.models import Holiday, SLAPolicy, WorkingCalendar
from tickets.sla import sla_recompute_open

# Kept by the SLA code, never typed in: shown read-only on the ticket page of the admin.
SLA_READONLY = ("sla_policy", "response_due_at", "resolution_due_at", "responded_at", "sla_paused_at",
                "sla_paused_seconds", "escalate_at", "escalated_at", "delay_flagged_at")


def _minutes(value: int) -> str:
    hours, minutes = divmod(value, 60)
    days, hours = divmod(hours, 24)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    return " ".join(p for p in parts if p) or "0m"


@admin.action(description=_("Recompute the deadlines of open tickets with these priorities"))
def recompute_open_tickets(modeladmin, request, queryset):
    now = timezone.now()
    changed = sum(sla_recompute_open(actor=request.user, now=now, priority=p)
                  for p in set(queryset.values_list("priority", flat=True)))
    modeladmin.message_user(request, ngettext("%(n)d ticket got new deadlines.", "%(n)d tickets got new deadlines.",
                                              changed) % {"n": changed}, messages.SUCCESS)


@admin.register(SLAPolicy)
class SLAPolicyAdmin(admin.ModelAdmin):
    list_display = ("name", "priority", "category", "site", "response", "resolution", "calendar", "active")
    list_filter = ("priority", "active", "category", "site", "calendar")
    search_fields = ("name",)
    list_select_related = ("category", "site", "calendar")
    actions = (recompute_open_tickets,)
    fieldsets = (
        (None, {"fields": ("name", "active")}),
        (_("Applies to"), {"fields": ("priority", "category", "site"),
                           "description": _("The most specific active policy wins: category and site, then "
                                            "category, then site, then the priority alone.")}),
        (_("Targets"), {"fields": ("response_minutes", "resolution_minutes", "calendar", "level2_after_minutes")}),
    )

    @admin.display(description=_("response"), ordering="response_minutes")
    def response(self, obj):
        return _minutes(obj.response_minutes)

    @admin.display(description=_("resolution"), ordering="resolution_minutes")
    def resolution(self, obj):
        return _minutes(obj.resolution_minutes)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.message_user(request, _("New tickets get this policy. Use the action “Recompute the deadlines of "
                                     "open tickets” to apply it to tickets already open."), messages.INFO)


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 1


@admin.action(description=_("Recompute the deadlines of all open tickets (after changing hours or holidays)"))
def recompute_all_open_tickets(modeladmin, request, queryset):
    changed = sla_recompute_open(actor=request.user, now=timezone.now())
    modeladmin.message_user(request, ngettext("%(n)d ticket got new deadlines.", "%(n)d tickets got new deadlines.",
                                              changed) % {"n": changed}, messages.SUCCESS)


@admin.register(WorkingCalendar)
class WorkingCalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "time_zone", "weekdays_display", "day_start", "day_end")
    search_fields = ("name",)
    inlines = (HolidayInline,)
    actions = (recompute_all_open_tickets,)
