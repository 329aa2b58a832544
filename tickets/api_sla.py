"""SLA policies and working calendars in the REST API (admins only, like the Django admin):
/api/v1/sla-policies/ and /api/v1/working-calendars/. Writes go through ``tickets/services/sla.py``;
the rules (one active policy per priority/category/site, resolution after response, working hours)
are the models' own, the ones the admin's forms check. Others get 403, anonymous callers 401.
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from facilities.models import Site
from helpdesk.api.errors import Conflict
from helpdesk.api.schema import CONFLICT
from tickets import permissions, services
from tickets.errors import TicketError
from tickets.models import Category, Priority
from tickets.sla import sla_recompute_open
from tickets.sla_models import Holiday, SLAPolicy, WorkingCalendar


class SLAPermission(BasePermission):
    message = "Only admins manage SLA policies."

    def has_permission(self, request, view):
        return permissions.can_manage_sla(request.user)


class SLAPolicySerializer(serializers.ModelSerializer):
    priority = serializers.ChoiceField(choices=Priority.choices)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False, allow_null=True)
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.all(), required=False, allow_null=True)
    calendar = serializers.PrimaryKeyRelatedField(queryset=WorkingCalendar.objects.all(), required=False,
                                                  allow_null=True,
                                                  help_text="Working calendar (business hours); null: all day.")
    response_minutes = serializers.IntegerField(min_value=1, max_value=525_600)
    resolution_minutes = serializers.IntegerField(min_value=1, max_value=2_628_000)
    level2_after_minutes = serializers.IntegerField(min_value=1, max_value=2_147_483_647, required=False)

    class Meta:
        model = SLAPolicy
        fields = ("id", "name", "priority", "category", "site", "response_minutes", "resolution_minutes", "calendar",
                  "level2_after_minutes", "active")
        read_only_fields = ("id",)
        validators = []  # the service checks the model's rules and constraints (full_clean)


class HolidaySerializer(serializers.ModelSerializer):
    class Meta:
        model = Holiday
        fields = ("date", "name")
        validators = []


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9](:[0-5][0-9])?$", "example": "08:00",
                      "description": "A time of day in the calendar's time zone, HH:MM."})
class ClockTimeField(serializers.TimeField):
    """A wall-clock time without offset ("08:00"): JSON Schema's `time` format would demand one."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


class WorkingCalendarSerializer(serializers.ModelSerializer):
    day_start = ClockTimeField(required=False)
    day_end = ClockTimeField(required=False)
    holidays = HolidaySerializer(many=True, required=False, max_length=1000,
                                 help_text="Replaces the calendar's holidays when sent.")
    weekdays = serializers.CharField(max_length=7, required=False,
                                     help_text="Digits 1 (Monday) to 7 (Sunday): 12345 is Monday to Friday.")
    time_zone = serializers.CharField(max_length=64, required=False, help_text="An IANA name, e.g. Europe/Berlin.")

    class Meta:
        model = WorkingCalendar
        fields = ("id", "name", "time_zone", "weekdays", "day_start", "day_end", "holidays")
        read_only_fields = ("id",)
        validators = []


class RecomputeSerializer(serializers.Serializer):
    priority = serializers.ChoiceField(choices=Priority.choices, required=False,
                                       help_text="Only open tickets of this priority (default: all open tickets).")


class RecomputeResultSerializer(serializers.Serializer):
    changed = serializers.IntegerField(help_text="How many open tickets got new deadlines.")


def _conflict(fn, **kwargs):
    try:
        return fn(**kwargs)
    except TicketError as exc:
        raise Conflict(exc.message) from None


class _AdminCrud(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, SLAPermission]
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


@extend_schema_view(
    list=extend_schema(summary="SLA policies (admins)"),
    retrieve=extend_schema(summary="One SLA policy (admins)"),
    create=extend_schema(summary="Add an SLA policy (admins); open tickets keep their deadlines until recomputed",
                         responses={201: SLAPolicySerializer}),
    partial_update=extend_schema(summary="Change an SLA policy (admins)"),
    destroy=extend_schema(summary="Delete an SLA policy (admins)", responses={204: None}),
)
class SLAPolicyViewSet(_AdminCrud):
    serializer_class = SLAPolicySerializer
    queryset = SLAPolicy.objects.select_related("category", "site", "calendar").order_by("priority", "name", "id")

    def create(self, request):
        data = SLAPolicySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        policy = services.sla_policy_save(actor=request.user, **data.validated_data)
        return Response(SLAPolicySerializer(policy).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        policy = self.get_object()
        data = SLAPolicySerializer(policy, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        policy = services.sla_policy_save(actor=request.user, policy=policy, **data.validated_data)
        return Response(SLAPolicySerializer(policy).data)

    def destroy(self, request, pk=None):
        services.sla_policy_delete(actor=request.user, policy=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Recompute the deadlines of open tickets after changing policies (admins)",
                   request=RecomputeSerializer, responses={200: RecomputeResultSerializer})
    @action(detail=False, methods=["post"])
    def recompute(self, request):
        data = RecomputeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changed = sla_recompute_open(actor=request.user, now=timezone.now(),
                                     priority=data.validated_data.get("priority"))
        return Response({"changed": changed})


@extend_schema_view(
    list=extend_schema(summary="Working calendars with their holidays (admins)"),
    retrieve=extend_schema(summary="One working calendar (admins)"),
    create=extend_schema(summary="Add a working calendar (admins)", responses={201: WorkingCalendarSerializer}),
    partial_update=extend_schema(summary="Change a working calendar; `holidays` replaces its holidays (admins)"),
    destroy=extend_schema(summary="Delete a calendar no policy counts on (admins; 409 otherwise)",
                          responses={204: None, 409: CONFLICT}),
)
class WorkingCalendarViewSet(_AdminCrud):
    serializer_class = WorkingCalendarSerializer
    queryset = WorkingCalendar.objects.prefetch_related("holidays").order_by("name", "id")

    def _out(self, calendar, code=status.HTTP_200_OK):
        calendar = self.get_queryset().get(pk=calendar.pk)
        return Response(WorkingCalendarSerializer(calendar).data, status=code)

    def create(self, request):
        data = WorkingCalendarSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        calendar = services.calendar_save(actor=request.user, **data.validated_data)
        return self._out(calendar, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        calendar = self.get_object()
        data = WorkingCalendarSerializer(calendar, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        calendar = services.calendar_save(actor=request.user, calendar=calendar, **data.validated_data)
        return self._out(calendar)

    def destroy(self, request, pk=None):
        _conflict(services.calendar_delete, actor=request.user, calendar=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router):
    router.register("sla-policies", SLAPolicyViewSet, basename="sla-policy")
    router.register("working-calendars", WorkingCalendarViewSet, basename="working-calendar")
