"""API shapes of the facilities registry. They only translate; the services hold every rule."""

from drf_spectacular.utils import extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from accounts.models import FIELD_ROLES, Role, name_validator
from facilities.models import Equipment, EquipmentModel, Location, Site, Trade, Vehicle


class SiteSerializer(serializers.ModelSerializer):
    location_count = serializers.IntegerField(read_only=True)
    equipment_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Site
        fields = ("id", "name", "address", "latitude", "longitude", "active", "location_count", "equipment_count")
        read_only_fields = ("id", "location_count", "equipment_count")
        extra_kwargs = {"latitude": {"help_text": "Decimal degrees, -90..90"},
                        "longitude": {"help_text": "Decimal degrees, -180..180"}}


class LocationSerializer(serializers.ModelSerializer):
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.all())
    parent = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True,
                                                help_text="The location it sits inside (same site), or null.")

    class Meta:
        model = Location
        fields = ("id", "site", "parent", "name", "path")
        read_only_fields = ("id", "path")
        validators = []  # the services check names beside each other (case-insensitively) and cycles


class LocationUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    parent = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)


class EquipmentModelSerializer(serializers.ModelSerializer):
    manufacturer = serializers.CharField(max_length=200, source="manufacturer.name",
                                         help_text="The manufacturer's name (created when new).")

    class Meta:
        model = EquipmentModel
        fields = ("id", "manufacturer", "name", "category")
        read_only_fields = ("id",)
        validators = []  # uniqueness per manufacturer is checked by the service (full_clean)


class EquipmentSerializer(serializers.ModelSerializer):
    model = serializers.PrimaryKeyRelatedField(queryset=EquipmentModel.objects.all())
    model_name = serializers.CharField(source="model.__str__", read_only=True)
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.all())
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    location_path = serializers.CharField(source="location.path", read_only=True, allow_null=True, default=None)
    status = serializers.ChoiceField(choices=Equipment.Status.choices, required=False)

    class Meta:
        model = Equipment
        fields = ("id", "asset_tag", "serial_number", "model", "model_name", "site", "location", "location_path",
                  "install_date", "warranty_end", "status", "notes")
        read_only_fields = ("id", "model_name", "location_path")


class EquipmentFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=200, help_text="Asset tag, serial, model, maker or notes")
    site = serializers.IntegerField(required=False, min_value=1)
    location = serializers.IntegerField(required=False, min_value=1, help_text="Also everything below it")
    status = serializers.ChoiceField(choices=Equipment.Status.choices, required=False)
    category = serializers.CharField(required=False, max_length=100)


class VehicleSerializer(serializers.ModelSerializer):
    home_site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.all(), required=False, allow_null=True)
    busy_on = serializers.IntegerField(read_only=True, required=False, help_text="Open jobs holding the vehicle")

    class Meta:
        model = Vehicle
        fields = ("id", "name", "plate", "kind", "capacity", "home_site", "active", "busy_on")
        read_only_fields = ("id", "busy_on")
        extra_kwargs = {"plate": {"validators": []}}  # "AB12 CDE" == "ab12cde": the service checks it


class SearchSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=200)


class VehicleFilterSerializer(serializers.Serializer):
    free = serializers.BooleanField(required=False, default=False,
                                    help_text="Only active vehicles not on an open job")


class PickSiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ("id", "name", "address")
        read_only_fields = fields


class PickLocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ("id", "path")
        read_only_fields = fields


class PickEquipmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Equipment
        fields = ("id", "asset_tag", "name", "location")
        read_only_fields = fields


class PickLocationsQuery(serializers.Serializer):
    site = serializers.IntegerField(min_value=1)


class LocationFilterSerializer(serializers.Serializer):
    site = serializers.IntegerField(min_value=1, required=False, help_text="Only this site's locations")


class PickEquipmentQuery(serializers.Serializer):
    site = serializers.IntegerField(min_value=1)
    location = serializers.IntegerField(min_value=1, required=False)


# --- maintenance staff -------------------------------------------------------------------------

FIELD_ROLE_CHOICES = [(r.value, r.label) for r in Role if r.value in FIELD_ROLES]
PHONE_HELP = "Mobile number for job SMS: E.164 (+447911123456) or national; returned in international format."


class StaffSerializer(serializers.Serializer):
    """An engineer or technician as the staff page shows them."""

    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    phone = PhoneNumberField(read_only=True, help_text=PHONE_HELP)
    role = serializers.ChoiceField(choices=FIELD_ROLE_CHOICES, read_only=True)
    is_active = serializers.BooleanField(read_only=True)
    trades = serializers.SerializerMethodField()
    home_site = serializers.SerializerMethodField()
    open_jobs = serializers.IntegerField(read_only=True, default=0)

    def _profile(self, obj):
        try:
            return obj.staff_profile
        except obj._meta.model.staff_profile.RelatedObjectDoesNotExist:
            return None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_trades(self, obj):
        profile = self._profile(obj)
        return sorted(t.name for t in profile.trades.all()) if profile else []

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_home_site(self, obj):
        profile = self._profile(obj)
        return profile.home_site_id if profile else None


class StaffWriteSerializer(serializers.Serializer):
    """What an admin sets on the staff page. The e-mail is set once (the invitation goes there); the
    account's other fields (password, organisation, admin role) are not set here."""

    email = serializers.EmailField(max_length=254, help_text="On creation only: the invitation goes there.")
    first_name = serializers.CharField(max_length=100, validators=[name_validator])
    last_name = serializers.CharField(max_length=100, validators=[name_validator])
    phone = PhoneNumberField(help_text=PHONE_HELP)
    role = serializers.ChoiceField(choices=FIELD_ROLE_CHOICES)
    trades = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=50,
                                   help_text="Trade names; new ones are added to the list.")
    home_site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.filter(active=True), required=False,
                                                   allow_null=True)
    is_active = serializers.BooleanField(required=False, help_text="On change only.")


class StaffFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=200, allow_blank=True,
                              help_text="Name, e-mail, phone or trade.")
    inactive = serializers.BooleanField(required=False, default=False, help_text="Include inactive people.")


class TradeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Trade
        fields = ("id", "name")
        read_only_fields = fields
