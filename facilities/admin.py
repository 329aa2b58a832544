"""The back office for the registry: search, filters and autocomplete on every foreign key.

Saves go through the services so that location paths and checks stay the same as in the web pages.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from accounts.models import FIELD_ROLES, User, name_validator
from facilities import permissions, services
from facilities.forms import EquipmentForm
from facilities.models import Equipment, EquipmentModel, Location, Manufacturer, Site, StaffProfile, Trade, Vehicle


class RegistryAdmin(admin.ModelAdmin):
    """Admins (the role) manage the registry in the back office without per-model Django permissions."""

    def _allowed(self, request) -> bool:
        return request.user.is_superuser or permissions.can_manage_registry(request.user)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


@admin.register(Site)
class SiteAdmin(RegistryAdmin):
    list_display = ["name", "address", "latitude", "longitude", "active", "equipment_total"]
    list_filter = ["active"]
    search_fields = ["name", "address"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(equipment_total=Count("equipment"))

    @admin.display(description=_("equipment"), ordering="equipment_total")
    def equipment_total(self, obj):
        return obj.equipment_total

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            services.site_paths_rebuild(site=obj)


class LocationAdminForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = ["site", "parent", "name"]

    def clean(self):
        data = super().clean()
        if data.get("site") and data.get("name"):
            probe = Location(pk=self.instance.pk, site=data["site"], parent=data.get("parent"), name=data["name"])
            services.location_check(probe)
        return data


@admin.register(Location)
class LocationAdmin(RegistryAdmin):
    form = LocationAdminForm
    list_display = ["path", "site", "parent"]
    list_filter = ["site"]
    search_fields = ["path", "name"]
    autocomplete_fields = ["site", "parent"]
    readonly_fields = ["path"]
    list_select_related = ["site", "parent"]

    def save_model(self, request, obj, form, change):
        if change:
            services.location_update(actor=request.user, location=obj, name=obj.name, parent=obj.parent)
        else:
            created = services.location_create(actor=request.user, site=obj.site, name=obj.name, parent=obj.parent)
            obj.pk, obj.path = created.pk, created.path


@admin.register(Manufacturer)
class ManufacturerAdmin(RegistryAdmin):
    search_fields = ["name"]


@admin.register(EquipmentModel)
class EquipmentModelAdmin(RegistryAdmin):
    list_display = ["name", "manufacturer", "category"]
    list_filter = ["category", "manufacturer"]
    search_fields = ["name", "manufacturer__name", "category"]
    autocomplete_fields = ["manufacturer"]
    list_select_related = ["manufacturer"]


@admin.register(Equipment)
class EquipmentAdmin(RegistryAdmin):
    form = EquipmentForm  # same checks as the web page: the location must be on the site, warranty after install
    list_display = ["asset_tag", "model", "site", "location", "status", "warranty_end"]
    list_filter = ["status", "site", "model__category", "model__manufacturer"]
    search_fields = ["asset_tag", "serial_number", "model__name", "model__manufacturer__name", "location__path"]
    autocomplete_fields = ["model", "site", "location"]
    list_select_related = ["model__manufacturer", "site", "location"]
    date_hierarchy = "install_date"


@admin.register(Vehicle)
class VehicleAdmin(RegistryAdmin):
    list_display = ["name", "plate", "kind", "capacity", "home_site", "active"]
    list_filter = ["active", "kind", "home_site"]
    search_fields = ["name", "plate"]
    autocomplete_fields = ["home_site"]


@admin.register(Trade)
class TradeAdmin(RegistryAdmin):
    search_fields = ["name"]


class StaffProfileAdminForm(forms.ModelForm):
    """Names and phone of the person are edited here too (they live on the user)."""

    first_name = forms.CharField(label=_("first name"), max_length=100, validators=[name_validator])
    last_name = forms.CharField(label=_("last name"), max_length=100, validators=[name_validator])
    phone = PhoneNumberField(label=_("phone number"), required=False)

    class Meta:
        model = StaffProfile
        fields = ["user", "first_name", "last_name", "phone", "trades", "home_site"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            self.fields["user"].queryset = User.objects.filter(role__in=FIELD_ROLES, staff_profile__isnull=True)
        if self.instance.pk:
            user = self.instance.user
            self.initial.update(first_name=user.first_name, last_name=user.last_name, phone=user.phone)



@admin.register(StaffProfile)
class StaffProfileAdmin(RegistryAdmin):
    form = StaffProfileAdminForm
    list_display = ["user", "phone", "role", "home_site", "trade_names"]
    list_filter = ["home_site", "trades", "user__role"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "user__phone"]
    autocomplete_fields = ["home_site"]  # the user is a plain list of field staff: few people, role-filtered
    filter_horizontal = ["trades"]

    def get_readonly_fields(self, request, obj=None):
        return ["user"] if obj is not None else []
    list_select_related = ["user", "home_site"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("trades")

    def save_model(self, request, obj, form, change):
        user = obj.user
        user.first_name = form.cleaned_data["first_name"]
        user.last_name = form.cleaned_data["last_name"]
        user.phone = form.cleaned_data["phone"] or ""
        user.save(update_fields=["first_name", "last_name", "phone"])
        super().save_model(request, obj, form, change)

    @admin.display(description=_("phone"))
    def phone(self, obj):
        return obj.user.phone

    @admin.display(description=_("role"))
    def role(self, obj):
        return obj.user.get_role_display()

    @admin.display(description=_("trades"))
    def trade_names(self, obj):
        return ", ".join(t.name for t in obj.trades.all())
