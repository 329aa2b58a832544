"""The facilities registry in the REST API: staff read it, admins change it (through the same
services as the pages), and everyone signed in may use the pickers of the report form.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.response import Response

from facilities import permissions as rules
from facilities import selectors, services
from facilities.models import EquipmentModel, Location, Site
from facilities.serializers import (
    EquipmentFilterSerializer,
    EquipmentModelSerializer,
    EquipmentSerializer,
    LocationFilterSerializer,
    LocationSerializer,
    LocationUpdateSerializer,
    PickEquipmentQuery,
    PickEquipmentSerializer,
    PickLocationSerializer,
    PickLocationsQuery,
    PickSiteSerializer,
    SearchSerializer,
    SiteSerializer,
    VehicleFilterSerializer,
    VehicleSerializer,
)
from helpdesk.api.errors import Conflict
from helpdesk.api.schema import CONFLICT


class RegistryPermission(permissions.BasePermission):
    """Reading: admins, engineers, technicians. Writing: admins (facilities.permissions)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return rules.can_view_registry(request.user)
        return rules.can_manage_registry(request.user)


class PickerPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return rules.can_pick_place(request.user)


def _query(serializer_class, request) -> dict:
    data = serializer_class(data=request.query_params)
    data.is_valid(raise_exception=True)
    return data.validated_data


class RegistryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List/read for staff; create (POST) and change (PATCH) for admins through ``create_with``/``update_with``."""

    permission_classes = [permissions.IsAuthenticated, RegistryPermission]
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def create_with(self, actor, data: dict):
        raise NotImplementedError

    def update_with(self, actor, obj, data: dict):
        raise NotImplementedError

    def _out(self, pk, code=status.HTTP_200_OK):
        obj = self.get_queryset().get(pk=pk)
        return Response(self.get_serializer(obj).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.create_with(request.user, dict(serializer.validated_data))
        return self._out(obj.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        serializer = self.get_serializer(obj, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        self.update_with(request.user, obj, dict(serializer.validated_data))
        return self._out(obj.pk)


@extend_schema_view(list=extend_schema(summary="Sites with their counts", parameters=[SearchSerializer]),
                    create=extend_schema(summary="Add a site (admins)"),
                    partial_update=extend_schema(summary="Change a site (admins); a rename follows into paths"))
class SiteViewSet(RegistryViewSet):
    serializer_class = SiteSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        search = self.request.query_params.get("q", "") if self.action == "list" else ""
        return selectors.site_list(search=search[:200])

    def list(self, request, *args, **kwargs):
        _query(SearchSerializer, request)
        return super().list(request, *args, **kwargs)

    def create_with(self, actor, data):
        return services.site_create(actor=actor, **data)

    def update_with(self, actor, obj, data):
        return services.site_update(actor=actor, site=obj, **data)


@extend_schema_view(
    list=extend_schema(summary="Locations in tree order (path)", parameters=[LocationFilterSerializer]),
    create=extend_schema(summary="Add a location under a parent or at the top of a site (admins)"),
    partial_update=extend_schema(summary="Rename or move a location within its site (admins)",
                                 request=LocationUpdateSerializer),
    destroy=extend_schema(summary="Delete a location and its sub-locations (admins); 409 while equipment is there",
                          responses={204: None, 409: CONFLICT}),
)
class LocationViewSet(mixins.DestroyModelMixin, RegistryViewSet):
    serializer_class = LocationSerializer

    def get_queryset(self):
        qs = Location.objects.select_related("site").order_by("path")
        if self.action == "list":
            site = _query(LocationFilterSerializer, self.request).get("site")
            if site:
                qs = qs.filter(site_id=site)
        return qs

    def partial_update(self, request, *args, **kwargs):
        location = self.get_object()
        data = LocationUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.location_update(actor=request.user, location=location, **data.validated_data)
        return self._out(location.pk)

    def create_with(self, actor, data):
        return services.location_create(actor=actor, **data)

    def perform_destroy(self, instance):
        try:
            services.location_delete(actor=self.request.user, location=instance)
        except DjangoValidationError as exc:
            raise Conflict(" ".join(exc.messages)) from None


@extend_schema_view(list=extend_schema(summary="Equipment models", parameters=[SearchSerializer]),
                    create=extend_schema(summary="Add an equipment model (admins)"),
                    partial_update=extend_schema(summary="Change an equipment model (admins)"))
class EquipmentModelViewSet(RegistryViewSet):
    serializer_class = EquipmentModelSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = EquipmentModel.objects.select_related("manufacturer").order_by("manufacturer__name", "name")
        search = self.request.query_params.get("q", "")
        if self.action == "list" and search:
            qs = qs.filter(name__icontains=search[:200]) | qs.filter(manufacturer__name__icontains=search[:200])
        return qs

    @staticmethod
    def _flat(data):
        if "manufacturer" in data:
            data["manufacturer"] = data["manufacturer"]["name"]
        return data

    def create_with(self, actor, data):
        return services.equipment_model_create(actor=actor, **self._flat(data))

    def update_with(self, actor, obj, data):
        return services.equipment_model_update(actor=actor, equipment_model=obj, **self._flat(data))


@extend_schema_view(list=extend_schema(summary="Equipment, filtered", parameters=[EquipmentFilterSerializer]),
                    create=extend_schema(summary="Add equipment (admins)"),
                    partial_update=extend_schema(summary="Change equipment (admins)"))
class EquipmentViewSet(RegistryViewSet):
    serializer_class = EquipmentSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if self.action != "list":
            return selectors.equipment_list()
        filters = _query(EquipmentFilterSerializer, self.request)
        location = None
        if filters.get("location"):
            location = Location.objects.filter(pk=filters["location"]).first()
            if location is None:
                return selectors.equipment_list().none()
        return selectors.equipment_list(search=filters.get("q", ""), site=filters.get("site"), location=location,
                                        status=filters.get("status", ""), category=filters.get("category", ""))

    def create_with(self, actor, data):
        return services.equipment_create(actor=actor, **data)

    def update_with(self, actor, obj, data):
        return services.equipment_update(actor=actor, equipment=obj, **data)


@extend_schema_view(list=extend_schema(summary="Vehicles with the open jobs holding them",
                                       parameters=[VehicleFilterSerializer]),
                    create=extend_schema(summary="Add a vehicle (admins)"),
                    partial_update=extend_schema(summary="Change a vehicle (admins)"))
class VehicleViewSet(RegistryViewSet):
    serializer_class = VehicleSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if self.action == "list" and _query(VehicleFilterSerializer, self.request).get("free"):
            free = selectors.vehicles_free().values("pk")
            return selectors.vehicle_list().filter(pk__in=free)
        return selectors.vehicle_list()

    def create_with(self, actor, data):
        return services.vehicle_create(actor=actor, **data)

    def update_with(self, actor, obj, data):
        return services.vehicle_update(actor=actor, vehicle=obj, **data)


# --- pickers of the report form: every signed-in user ----------------------------------------

class PickSites(generics.ListAPIView):
    """Active sites, for choosing where the problem is."""

    permission_classes = [permissions.IsAuthenticated, PickerPermission]
    serializer_class = PickSiteSerializer
    pagination_class = None

    def get_queryset(self):
        return Site.objects.filter(active=True).order_by("name")


@extend_schema(parameters=[PickLocationsQuery])
class PickLocations(generics.ListAPIView):
    """Locations of an active site (empty for an unknown or inactive one)."""

    permission_classes = [permissions.IsAuthenticated, PickerPermission]
    serializer_class = PickLocationSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.pick_locations(_query(PickLocationsQuery, self.request)["site"])


@extend_schema(parameters=[PickEquipmentQuery])
class PickEquipment(generics.ListAPIView):
    """Equipment (not retired) at a site, or under one of its locations."""

    permission_classes = [permissions.IsAuthenticated, PickerPermission]
    serializer_class = PickEquipmentSerializer
    pagination_class = None

    def get_queryset(self):
        query = _query(PickEquipmentQuery, self.request)
        return selectors.pick_equipment(query["site"], query.get("location"))


def register(router):
    router.register("sites", SiteViewSet, basename="site")
    router.register("locations", LocationViewSet, basename="location")
    router.register("equipment-models", EquipmentModelViewSet, basename="equipment-model")
    router.register("equipment", EquipmentViewSet, basename="equipment")
    router.register("vehicles", VehicleViewSet, basename="vehicle")


urlpatterns = [
    path("pick/sites/", PickSites.as_view(), name="pick-sites"),
    path("pick/locations/", PickLocations.as_view(), name="pick-locations"),
    path("pick/equipment/", PickEquipment.as_view(), name="pick-equipment"),
]

