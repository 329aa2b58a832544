"""Read-only REST API of the registry for admins and field staff (``/api/v1/facilities/...``).

Customers use the htmx pickers; writes go through the web pages, the Django admin and CSV import.
"""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, serializers, viewsets
from rest_framework.permissions import BasePermission

from facilities import permissions
from facilities.models import Equipment, EquipmentModel, Location, Site, Vehicle


class CanViewRegistry(BasePermission):
    message = "Only admins, engineers and technicians may read the facilities registry."

    def has_permission(self, request, view):
        return permissions.can_view_registry(request.user)


class SiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "name", "address", "latitude", "longitude", "active"]


class LocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "site", "parent", "name", "path"]


class EquipmentModelSerializer(serializers.ModelSerializer):
    manufacturer = serializers.CharField(source="manufacturer.name", read_only=True)

    class Meta:
        model = EquipmentModel
        fields = ["id", "manufacturer", "name", "category"]


class EquipmentSerializer(serializers.ModelSerializer):
    model = EquipmentModelSerializer(read_only=True)
    location_path = serializers.CharField(source="location.path", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Equipment
        fields = ["id", "asset_tag", "serial_number", "model", "site", "location", "location_path", "install_date",
                  "warranty_end", "status", "notes"]


class VehicleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vehicle
        fields = ["id", "name", "plate", "kind", "capacity", "home_site", "active"]


class _ReadOnly(viewsets.ReadOnlyModelViewSet):
    permission_classes = [CanViewRegistry]
    filter_backends = [DjangoFilterBackend, filters.SearchFilter]


class SiteViewSet(_ReadOnly):
    queryset = Site.objects.order_by("name")
    serializer_class = SiteSerializer
    filterset_fields = ["active"]
    search_fields = ["name", "address"]


class LocationViewSet(_ReadOnly):
    queryset = Location.objects.order_by("path")
    serializer_class = LocationSerializer
    filterset_fields = ["site", "parent"]
    search_fields = ["path"]


class EquipmentViewSet(_ReadOnly):
    queryset = Equipment.objects.select_related("model__manufacturer", "location").order_by("asset_tag")
    serializer_class = EquipmentSerializer
    filterset_fields = ["site", "location", "status", "model"]
    search_fields = ["asset_tag", "serial_number", "model__name", "model__manufacturer__name"]


class VehicleViewSet(_ReadOnly):
    queryset = Vehicle.objects.order_by("name")
    serializer_class = VehicleSerializer
    filterset_fields = ["active", "home_site"]
    search_fields = ["name", "plate"]


def register(router) -> None:
    router.register("facilities/sites", SiteViewSet, basename="facilities-site")
    router.register("facilities/locations", LocationViewSet, basename="facilities-location")
    router.register("facilities/equipment", EquipmentViewSet, basename="facilities-equipment")
    router.register("facilities/vehicles", VehicleViewSet, basename="facilities-vehicle")
