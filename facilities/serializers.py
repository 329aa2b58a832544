"""API shapes of the facilities registry. They only translate; the services hold every rule."""

from rest_framework import serializers

from facilities.models import Equipment, EquipmentModel, Location, Site, Vehicle


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
