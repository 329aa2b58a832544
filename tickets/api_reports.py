"""Service reports in the REST API: /api/v1/tickets/<pk>/reports/[<id>/[submit|sign|refuse|void]/].

Read, write and answer a visit report through the same selectors, permissions and services as the
report pages (``tickets/views_reports.py``): the assignee writes and submits (the last report
resolves the job), the requester signs by re-entering the password (``report_sign_off``, counted by
django-axes like a log-in) or refuses with a reason, an admin voids a signature. A state that forbids
the change is 409; a role that may never do it is 403; a report out of reach is 404.
"""

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from helpdesk.api.errors import Conflict
from helpdesk.api.schema import CONFLICT
from tickets import permissions, report_selectors, selectors, services
from tickets.errors import TicketError
from tickets.report_models import CodeKind, ReportCode, ReportPart, ServiceReport
from tickets.serializers import TicketSerializer
from tickets.services.reports import MAX_PARTS, MAX_TEXT, REPORT_FIELDS

# 400/401/403/404/429 with the one error body are declared for every operation by helpdesk/api/schema.py.

TICKET_PK = OpenApiParameter("ticket_pk", int, OpenApiParameter.PATH, description="The ticket's id.")
REPORT_PK = OpenApiParameter("pk", int, OpenApiParameter.PATH, description="The report's id.")


class CodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportCode
        fields = ("code", "label")


class CodeListSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportCode
        fields = ("id", "kind", "code", "label")
        read_only_fields = fields


class PartSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportPart
        fields = ("part_number", "description", "quantity")


class SignatureSerializer(serializers.Serializer):
    signer_name = serializers.CharField()
    signed_at = serializers.DateTimeField(source="created_at")
    content_digest = serializers.CharField()


class ReportSerializer(serializers.ModelSerializer):
    symptom = CodeSerializer()
    cause = CodeSerializer()
    action = CodeSerializer()
    parts = PartSerializer(many=True)
    author = serializers.CharField(source="author.get_full_name")
    signature = serializers.SerializerMethodField()

    class Meta:
        model = ServiceReport
        fields = ("id", "visit", "status", "author", "arrived_at", "departed_at", "travel_distance_km",
                  "travel_minutes", "labour_minutes", "symptom", "symptom_text", "cause", "cause_text", "action",
                  "action_text", "follow_up_needed", "follow_up_note", "parts", "submitted_at", "signature")
        read_only_fields = fields

    @extend_schema_field(SignatureSerializer(allow_null=True))
    def get_signature(self, obj):
        signature = next((s for s in obj.signoffs.all() if s.is_valid_signature), None)
        return SignatureSerializer(signature).data if signature else None


# --- writing ---------------------------------------------------------------------------------

class PartWriteSerializer(serializers.Serializer):
    part_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    quantity = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0,
                                        help_text="More than 0 on every line that names a part.")


class CodeField(serializers.PrimaryKeyRelatedField):
    """A code of one list by id (``GET report-codes/``): active ones, or the one already on the report."""

    def __init__(self, kind, **kwargs):
        self.kind = kind
        super().__init__(queryset=ReportCode.objects.filter(kind=kind), **kwargs)

    def to_internal_value(self, data):
        code = super().to_internal_value(data)
        report = self.parent.context.get("report")
        if not code.active and getattr(report, f"{self.field_name}_id", None) != code.pk:
            raise serializers.ValidationError("This code is no longer in use.")
        return code


class ReportWriteSerializer(serializers.Serializer):
    """A visit report's fields. Its status, author, visit and signature are set by the services only:
    sent here they are ignored."""

    arrived_at = serializers.DateTimeField()
    departed_at = serializers.DateTimeField()
    travel_distance_km = serializers.DecimalField(max_digits=7, decimal_places=1, min_value=0, max_value=99999,
                                                  required=False, allow_null=True)
    travel_minutes = serializers.IntegerField(min_value=0, max_value=2880, required=False, allow_null=True)
    labour_minutes = serializers.IntegerField(min_value=0, max_value=10080)
    symptom = CodeField(CodeKind.SYMPTOM, help_text="A symptom code's id.")
    symptom_text = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
    cause = CodeField(CodeKind.CAUSE, help_text="A cause code's id.")
    cause_text = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
    action = CodeField(CodeKind.ACTION, help_text="An action code's id.")
    action_text = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
    follow_up_needed = serializers.BooleanField(required=False)
    follow_up_note = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
    parts = PartWriteSerializer(many=True, required=False, max_length=MAX_PARTS,
                                help_text="The parts used; on PATCH the list replaces the report's (omit it to "
                                          "keep them).")

    def service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        parts = data.pop("parts", None)
        fields = {k: v for k, v in data.items() if k in REPORT_FIELDS}
        return {"parts": [dict(p) for p in parts] if parts is not None else None, **fields}


class SignSerializer(serializers.Serializer):
    signer_name = serializers.CharField(max_length=150, help_text="The requester's full name, as a signature.")
    password = serializers.CharField(trim_whitespace=False, write_only=True,
                                     help_text="The requester's password, typed again: being signed in is not "
                                               "enough. Wrong: 400 on `password`; too many wrong: 429.")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_TEXT)


def _call(fn, **kwargs):
    """One report service: a refused state is 409; PermissionDenied and ValidationError pass to the handler."""
    try:
        return fn(**kwargs)
    except services.WrongPassword:
        raise
    except TicketError as exc:
        raise Conflict(exc.message) from None


def _report(user, ticket_pk, pk) -> ServiceReport:
    return report_selectors.report_get_for(user, ticket_pk, pk)


def _fresh(request, report, code=status.HTTP_200_OK):
    report = _report(request.user, report.ticket_id, report.pk)
    return Response(ReportSerializer(report).data, status=code)


class ReportList(generics.ListAPIView):
    """The ticket's reports the user may read, by visit (drafts only for staff and their author)."""

    serializer_class = ReportSerializer
    pagination_class = None  # a job has a handful of visits

    def get_queryset(self):
        ticket = selectors.ticket_get_for(self.request.user, self.kwargs["ticket_pk"])
        visible = [r.pk for r in report_selectors.reports_for(self.request.user, ticket)]
        return (ServiceReport.objects.filter(pk__in=visible).select_related(*report_selectors.REPORT_RELATED)
                .prefetch_related("parts", "signoffs").order_by("visit"))

    @extend_schema(summary="The ticket's service reports the caller may read", parameters=[TICKET_PK],
                   responses={200: ReportSerializer(many=True)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="Write a draft report for the next visit (the assignee, while the job is worked)",
                   parameters=[TICKET_PK], request=ReportWriteSerializer,
                   responses={201: ReportSerializer, 409: CONFLICT})
    def post(self, request, ticket_pk):
        ticket = selectors.ticket_get_for(request.user, ticket_pk)
        if not permissions.can_write_report(request.user, ticket):
            if ticket.assignee_id == request.user.pk:
                raise Conflict("Reports are written while the job is in progress or on hold.")
            raise exceptions.PermissionDenied("Only the assignee writes service reports.")
        data = ReportWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        kwargs = data.service_kwargs()
        kwargs["parts"] = kwargs["parts"] or ()
        report = _call(services.report_create, actor=request.user, ticket=ticket, **kwargs)
        return _fresh(request, report, status.HTTP_201_CREATED)


class ReportDetail(APIView):
    @extend_schema(summary="One service report", parameters=[TICKET_PK, REPORT_PK],
                   responses={200: ReportSerializer})
    def get(self, request, ticket_pk, pk):
        return Response(ReportSerializer(_report(request.user, ticket_pk, pk)).data)

    @extend_schema(summary="Change a draft (or refused) report: its author, while the job is worked; "
                           "409 once submitted or signed",
                   parameters=[TICKET_PK, REPORT_PK], request=ReportWriteSerializer,
                   responses={200: ReportSerializer, 409: CONFLICT})
    def patch(self, request, ticket_pk, pk):
        report = _report(request.user, ticket_pk, pk)
        data = ReportWriteSerializer(data=request.data, partial=True, context={"report": report})
        data.is_valid(raise_exception=True)
        report = _call(services.report_update, actor=request.user, report=report, **data.service_kwargs())
        return _fresh(request, report)


class ReportSubmit(APIView):
    @extend_schema(summary="Submit (freeze) a draft: without a follow-up visit it resolves the job",
                   parameters=[TICKET_PK, REPORT_PK], request=None, responses={200: ReportSerializer, 409: CONFLICT})
    def post(self, request, ticket_pk, pk):
        report = _call(services.report_submit, actor=request.user, report=_report(request.user, ticket_pk, pk))
        return _fresh(request, report)


def _answerable(request, ticket_pk, pk) -> ServiceReport:
    """The report the requester answers: 409 when it is not waiting for their answer (a draft, signed,
    refused, a follow-up visit), 403 for anybody but the requester, 404 out of reach."""
    ticket = selectors.ticket_get_for(request.user, ticket_pk)
    try:
        report = ticket.reports.select_related(*report_selectors.REPORT_RELATED).get(pk=int(pk))
    except (ServiceReport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such report.") from None
    report.ticket = ticket
    if not permissions.can_sign_report(request.user, report):
        if ticket.requester_id == request.user.pk:
            raise Conflict("This report is not waiting for your signature.")
        raise exceptions.PermissionDenied("Only the requester signs or refuses the service report.")
    return report


class ReportSign(APIView):
    @extend_schema(summary="Sign the report (the requester, re-entering the password)",
                   description="The password is checked like a log-in (django-axes counts failures across the "
                               "pages and the API): a wrong one is 400 on `password` and nothing is signed; "
                               "after too many, 429 until the cool-off ends.",
                   parameters=[TICKET_PK, REPORT_PK], request=SignSerializer,
                   responses={200: ReportSerializer, 409: CONFLICT})
    def post(self, request, ticket_pk, pk):
        report = _answerable(request, ticket_pk, pk)
        data = SignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            _call(services.report_sign_off, actor=request.user, report=report, request=request._request,
                  **data.validated_data)
        except services.WrongPassword as exc:
            if getattr(request._request, "axes_locked_out", False):
                raise exceptions.Throttled(detail="Too many wrong passwords: signing is locked for now.") from None
            raise exceptions.ValidationError({"password": [exc.message]}) from None
        return _fresh(request, report)


class ReportRefuse(APIView):
    @extend_schema(summary="Refuse the report with a reason (the requester): the job goes back to work",
                   description="Answers with the ticket (back in progress): a refused report is the "
                               "technician's to rework, the requester no longer reads it.",
                   parameters=[TICKET_PK, REPORT_PK], request=ReasonSerializer,
                   responses={200: TicketSerializer, 409: CONFLICT})
    def post(self, request, ticket_pk, pk):
        report = _answerable(request, ticket_pk, pk)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(services.report_refuse, actor=request.user, report=report, reason=data.validated_data["reason"],
              request=request._request)
        ticket = selectors.ticket_get_for(request.user, ticket_pk)
        return Response(TicketSerializer(ticket, context={"request": request}).data)


class ReportVoid(APIView):
    @extend_schema(summary="Void the signature with a reason (admins): the report waits for a new sign-off",
                   parameters=[TICKET_PK, REPORT_PK], request=ReasonSerializer,
                   responses={200: ReportSerializer, 409: CONFLICT})
    def post(self, request, ticket_pk, pk):
        report = _report(request.user, ticket_pk, pk)
        if not permissions.can_void_signoff(request.user, report):
            if request.user.role == Role.ADMIN:
                raise Conflict("Only a signed report's signature can be voided.")
            raise exceptions.PermissionDenied("Only admins void a signature.")
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(services.report_void, actor=request.user, report=report, reason=data.validated_data["reason"])
        return _fresh(request, report)


class ReportCodeList(generics.ListAPIView):
    """The active symptom, cause and action codes a report is written with."""

    serializer_class = CodeListSerializer
    pagination_class = None

    def get_queryset(self):
        return ReportCode.objects.filter(active=True).order_by("kind", "sort_order", "label")


urlpatterns = [
    path("report-codes/", ReportCodeList.as_view(), name="report-code-list"),
    path("tickets/<int:ticket_pk>/reports/", ReportList.as_view(), name="ticket-reports"),
    path("tickets/<int:ticket_pk>/reports/<int:pk>/", ReportDetail.as_view(), name="ticket-report"),
    path("tickets/<int:ticket_pk>/reports/<int:pk>/submit/", ReportSubmit.as_view(), name="ticket-report-submit"),
    path("tickets/<int:ticket_pk>/reports/<int:pk>/sign/", ReportSign.as_view(), name="ticket-report-sign"),
    path("tickets/<int:ticket_pk>/reports/<int:pk>/refuse/", ReportRefuse.as_view(), name="ticket-report-refuse"),
    path("tickets/<int:ticket_pk>/reports/<int:pk>/void/", ReportVoid.as_view(), name="ticket-report-void"),
]
