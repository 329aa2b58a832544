"""The facilities registry in the REST API: staff read it, admins change it (through the same
services as the pages), and everyone signed in may use the pickers of the report form.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.response import Response

from facilities import permissions as rules
from facilities import selectors, services
from facilities.models import EquipmentModel, Location, Site, Trade
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
    StaffFilterSerializer,
    StaffSerializer,
    StaffWriteSerializer,
    TradeSerializer,
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
    router.register("staff", StaffViewSet, basename="staff")


urlpatterns = [
    path("pick/sites/", PickSites.as_view(), name="pick-sites"),
    path("pick/locations/", PickLocations.as_view(), name="pick-locations"),
    path("pick/equipment/", PickEquipment.as_view(), name="pick-equipment"),
]



# --- maintenance staff: the staff pages' selectors and services ---------------------------------

class StaffPermission(permissions.BasePermission):
    """Reading: admins, engineers, technicians (the staff page). Writing: admins."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return rules.can_view_registry(request.user)
        return rules.can_manage_staff(request.user)


@extend_schema_view(
    list=extend_schema(summary="Maintenance staff: engineers and technicians with phone, trades, home site and open "
                               "jobs", parameters=[StaffFilterSerializer]),
    retrieve=extend_schema(summary="One engineer or technician"),
    create=extend_schema(summary="Add an engineer or technician (admins): invited by e-mail, no password chosen "
                                 "by you", request=StaffWriteSerializer, responses={201: StaffSerializer}),
    partial_update=extend_schema(summary="Change name, phone, role (engineer/technician), trades, home site or "
                                         "active flag (admins); the e-mail is not changed here",
                                 request=StaffWriteSerializer, responses={200: StaffSerializer}),
)
class StaffViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = StaffSerializer
    permission_classes = [permissions.IsAuthenticated, StaffPermission]
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if self.action == "list":
            query = _query(StaffFilterSerializer, self.request)
            return selectors.staff_list(search=query.get("q", "").strip(), include_inactive=query["inactive"])
        return selectors.staff_list(include_inactive=True)

    def _out(self, pk, code=status.HTTP_200_OK):
        return Response(StaffSerializer(selectors.staff_list(include_inactive=True).get(pk=pk)).data, status=code)

    def _trades(self, actor, names):
        return [services.trade_get_or_create(actor=actor, name=n) for n in dict.fromkeys(names) if n.strip()]

    def create(self, request):
        data = StaffWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("is_active", None)
        with transaction.atomic():
            values["trades"] = self._trades(request.user, values.pop("trades", []))
            user = services.staff_create(actor=request.user, **values)
        return self._out(user.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        user = self.get_object()
        data = StaffWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("email", None)  # the login: changed by the person or on the People page
        profile = getattr(user, "staff_profile", None)
        current = {"first_name": user.first_name, "last_name": user.last_name, "phone": user.phone, "role": user.role,
                   "is_active": user.is_active, "home_site": profile.home_site if profile else None}
        with transaction.atomic():
            trades = (self._trades(request.user, values.pop("trades")) if "trades" in values
                      else list(profile.trades.all()) if profile else [])
            services.staff_update(actor=request.user, user=user, trades=trades, **{**current, **values})
        return self._out(user.pk)


class TradeList(generics.ListAPIView):
    """The trades (skills) of the maintenance staff."""

    permission_classes = [permissions.IsAuthenticated, RegistryPermission]
    serializer_class = TradeSerializer
    pagination_class = None

    def get_queryset(self):
        return Trade.objects.order_by("name")


urlpatterns.append(path("trades/", TradeList.as_view(), name="trade-list"))
